/** Manifests the `check` tests and the admission bench share. No imports: the bench loads it too. */

/** An image from the fixture config's own registry, pinned to a version. */
export const FIXTURE_IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4.2';

/**
 * A Deployment as an app team writes it, admitted by every policy of the fixture config when namespace
 * and image are left as they are (20 lines; the next document starts on line 21).
 */
export function deploymentYaml(name: string, namespace = 'team-a', image = FIXTURE_IMAGE): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { app.kubernetes.io/name: ${name}, owner: team-a }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: ${name} } }
  template:
    metadata:
      labels: { app.kubernetes.io/name: ${name}, owner: team-a }
    spec:
      securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: app
          image: ${image}
          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
`;
}
