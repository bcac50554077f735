/** Manifests and policies a fork's `org/` would hold, for the tests of the extension points. */

export interface DeploymentFixture {
  readonly name: string;
  /** @default 'team-a' */
  readonly namespace?: string;
  /** @default the fixture environment's ECR */
  readonly image?: string;
  /** Extra labels, on the Deployment and its pods. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default false */
  readonly privileged?: boolean;
}

/** A Deployment that passes every built-in policy in a restricted tenant namespace (unless privileged). */
export function deploymentYaml(d: DeploymentFixture): string {
  const namespace = d.namespace ?? 'team-a';
  const labels = Object.entries({ 'app.kubernetes.io/name': d.name, owner: namespace, ...d.labels })
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${d.name}
  namespace: ${namespace}
  labels: { ${labels} }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: ${d.name} } }
  template:
    metadata:
      labels: { ${labels} }
    spec:
      securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: app
          image: ${d.image ?? '111111111111.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4.2'}
          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
          securityContext: { allowPrivilegeEscalation: false, privileged: ${d.privileged ?? false}, capabilities: { drop: [ALL] } }
`;
}

export interface PolicyFixture {
  /** @default 'deployments' (group apps) */
  readonly resource?: 'deployments' | 'configmaps';
  /** The binding's matchResources, as a YAML flow mapping. @default every namespace */
  readonly matchResources?: string;
  /** @default the cost-center label check */
  readonly expression?: string;
}

/** An org policy: objects of `resource` must carry a `cost-center` label (ValidatingAdmissionPolicy + binding). */
export function costCenterPolicyYaml(p: PolicyFixture = {}): string {
  const resource = p.resource ?? 'deployments';
  const group = resource === 'deployments' ? 'apps' : '""';
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: require-cost-center
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - { apiGroups: [${group}], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [${resource}] }
  validations:
    - expression: ${JSON.stringify(p.expression ?? "object.metadata.?labels[?'cost-center'].orValue('') != ''")}
      message: ${resource} carry a cost-center label
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: require-cost-center
spec:
  policyName: require-cost-center
  validationActions: [Deny, Audit]
${p.matchResources ? `  matchResources: ${p.matchResources}\n` : ''}`;
}
