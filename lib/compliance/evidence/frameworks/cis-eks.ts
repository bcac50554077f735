/**
 * CIS Amazon EKS Benchmark v1.8.0 as kube-bench's `eks-1.8.0` lists it: 50 recommendations in sections 2–5
 * (section 1, the control plane, is empty: AWS runs it). Ids, titles and assessment types are the
 * benchmark's; `basis` and `note` are the blueprint's claim of how each one is met, which the evidence
 * report combines with the catalogue (controls naming the item), `verify` and kube-bench results.
 * test/compliance/report/cis-eks.test.ts checks the list against kube-bench's own.
 */

/** How the blueprint claims to meet a recommendation, before live evidence is considered. */
export type CisBasis =
  /** Catalogue controls enforce it (the report lists those naming the item). */
  | 'blueprint'
  /** The weekly kube-bench job (EKS-K8S-CIS-001) checks it on a node or in the cluster. */
  | 'kube-bench'
  /** AWS runs and configures it (the EKS control plane). */
  | 'aws-managed'
  /** Evidence has to be gathered by a person; `note` says how. */
  | 'manual'
  /** The blueprint does not meet it; `note` says why. */
  | 'not-met';

export interface CisRecommendation {
  /** The benchmark number, such as `4.2.1`. */
  readonly id: string;
  /** The benchmark title, without the (Automated)/(Manual) tag. */
  readonly title: string;
  /** The benchmark's tag: automated items are tested by kube-bench, manual ones only print remediation. */
  readonly assessment: 'automated' | 'manual';
  readonly basis: CisBasis;
  /** How it is met, how to evidence it, or what to expect from kube-bench. */
  readonly note?: string;
}

export interface CisGroup {
  readonly id: string;
  readonly title: string;
}

export const CIS_EKS_BENCHMARK = {
  name: 'CIS Amazon EKS Benchmark',
  version: '1.8.0',
  /** The `--benchmark` value of kube-bench, and the `version` its JSON output carries. */
  kubeBench: 'eks-1.8.0',
} as const;

/** Sections and their groups, in benchmark order. */
export const CIS_EKS_GROUPS: readonly CisGroup[] = [
  { id: '2', title: 'Control Plane Configuration' },
  { id: '2.1', title: 'Logging' },
  { id: '3', title: 'Worker Nodes' },
  { id: '3.1', title: 'Worker Node Configuration Files' },
  { id: '3.2', title: 'Kubelet' },
  { id: '4', title: 'Policies' },
  { id: '4.1', title: 'RBAC and Service Accounts' },
  { id: '4.2', title: 'Pod Security Standards' },
  { id: '4.3', title: 'CNI Plugin' },
  { id: '4.4', title: 'Secrets Management' },
  { id: '4.5', title: 'General Policies' },
  { id: '5', title: 'Managed Services' },
  { id: '5.1', title: 'Image Registry and Image Scanning' },
  { id: '5.2', title: 'Identity and Access Management (IAM)' },
  { id: '5.3', title: 'AWS EKS Key Management Service' },
  { id: '5.4', title: 'Cluster Networking' },
  { id: '5.5', title: 'Authentication and Authorization' },
];

const NODE_FILE =
  'Bottlerocket generates this file from its settings API on a read-only root filesystem; the weekly kube-bench job checks it on a node.';
const KUBELET =
  'Bottlerocket renders the kubelet configuration from its settings; the blueprint sets none that weaken this. The weekly kube-bench job checks it on a node.';

export const CIS_EKS_RECOMMENDATIONS: readonly CisRecommendation[] = [
  { id: '2.1.1', title: 'Enable audit Logs', assessment: 'manual', basis: 'blueprint' },
  {
    id: '2.1.2',
    title: 'Ensure audit logs are collected and managed',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '3.1.1',
    title: 'Ensure that the kubeconfig file permissions are set to 644 or more restrictive',
    assessment: 'automated',
    basis: 'kube-bench',
    note: NODE_FILE,
  },
  {
    id: '3.1.2',
    title: 'Ensure that the kubelet kubeconfig file ownership is set to root:root',
    assessment: 'automated',
    basis: 'kube-bench',
    note: NODE_FILE,
  },
  {
    id: '3.1.3',
    title: 'Ensure that the kubelet configuration file has permissions set to 644 or more restrictive',
    assessment: 'automated',
    basis: 'kube-bench',
    note: NODE_FILE,
  },
  {
    id: '3.1.4',
    title: 'Ensure that the kubelet configuration file ownership is set to root:root',
    assessment: 'automated',
    basis: 'kube-bench',
    note: NODE_FILE,
  },
  {
    id: '3.2.1',
    title: 'Ensure that the Anonymous Auth is Not Enabled',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.2',
    title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.3',
    title: 'Ensure that a Client CA File is Configured',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.4',
    title: 'Ensure that the --read-only-port is disabled',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.5',
    title: 'Ensure that the --streaming-connection-idle-timeout argument is not set to 0',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.6',
    title: 'Ensure that the --make-iptables-util-chains argument is set to true',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.7',
    title:
      'Ensure that the --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.8',
    title: 'Ensure that the --rotate-certificates argument is not present or is set to true',
    assessment: 'automated',
    basis: 'kube-bench',
    note: KUBELET,
  },
  {
    id: '3.2.9',
    title: 'Ensure that the RotateKubeletServerCertificate argument is set to true',
    assessment: 'automated',
    basis: 'kube-bench',
    note: `${KUBELET} kube-bench requires the feature gate to be present; Bottlerocket variants for Kubernetes 1.29+ rotate serving certificates through server-tls-bootstrap instead, so a FAIL here may not be a weakness: check settings.kubernetes.server-tls-bootstrap on the node.`,
  },
  {
    id: '4.1.1',
    title: 'Ensure that the cluster-admin role is only used where required',
    assessment: 'automated',
    basis: 'blueprint',
  },
  { id: '4.1.2', title: 'Minimize access to secrets', assessment: 'automated', basis: 'blueprint' },
  {
    id: '4.1.3',
    title: 'Minimize wildcard use in Roles and ClusterRoles',
    assessment: 'automated',
    basis: 'blueprint',
  },
  {
    id: '4.1.4',
    title: 'Minimize access to create pods',
    assessment: 'automated',
    basis: 'kube-bench',
    note: 'Tenant developer and namespace-admin Roles grant pod create in their own namespace only; the weekly kube-bench job lists every other subject that can.',
  },
  {
    id: '4.1.5',
    title: 'Ensure that default service accounts are not actively used.',
    assessment: 'automated',
    basis: 'blueprint',
  },
  {
    id: '4.1.6',
    title: 'Ensure that Service Account Tokens are only mounted where necessary',
    assessment: 'automated',
    basis: 'blueprint',
  },
  {
    id: '4.1.7',
    title:
      'Cluster Access Manager API to streamline and enhance the management of access controls within EKS clusters',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '4.1.8',
    title: 'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '4.1.9',
    title: 'Minimize access to create PersistentVolume objects',
    assessment: 'manual',
    basis: 'manual',
    note: 'No baseline role grants create on persistentvolumes, and tenant Roles are namespaced, so they cannot. Evidence: `kubectl auth can-i create persistentvolumes --as=x --as-group=<group>` for each group with an access entry is "no" except for the admin and break-glass groups.',
  },
  {
    id: '4.1.10',
    title: 'Minimize access to the proxy sub-resource of Node objects',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '4.1.11',
    title: 'Minimize access to webhook configuration objects',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '4.1.12',
    title: 'Minimize access to the service account token creation',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '4.2.1',
    title: 'Minimize the admission of privileged containers',
    assessment: 'automated',
    basis: 'blueprint',
    note: 'kube-bench looks at every namespace: EKS add-ons in the exempt system namespaces (kube-proxy, for one) may be listed.',
  },
  {
    id: '4.2.2',
    title: 'Minimize the admission of containers wishing to share the host process ID namespace',
    assessment: 'automated',
    basis: 'blueprint',
    note: 'The kube-bench job itself runs with hostPID, in its declared privileged namespace exception.',
  },
  {
    id: '4.2.3',
    title: 'Minimize the admission of containers wishing to share the host IPC namespace',
    assessment: 'automated',
    basis: 'blueprint',
  },
  {
    id: '4.2.4',
    title: 'Minimize the admission of containers wishing to share the host network namespace',
    assessment: 'automated',
    basis: 'blueprint',
    note: 'aws-node, kube-proxy and the Pod Identity agent use hostNetwork in kube-system, which the admission policies exempt; kube-bench lists them.',
  },
  {
    id: '4.2.5',
    title: 'Minimize the admission of containers with allowPrivilegeEscalation',
    assessment: 'automated',
    basis: 'blueprint',
  },
  {
    id: '4.3.1',
    title: 'Ensure CNI plugin supports network policies',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '4.3.2',
    title: 'Ensure that all Namespaces have Network Policies defined',
    assessment: 'automated',
    basis: 'blueprint',
    note: 'kube-system and the add-on namespaces have no default-deny by design (README, Known limits); kube-bench expects a policy in every namespace.',
  },
  {
    id: '4.4.1',
    title: 'Prefer using secrets as files over secrets as environment variables',
    assessment: 'automated',
    basis: 'blueprint',
  },
  { id: '4.4.2', title: 'Consider external secret storage', assessment: 'manual', basis: 'blueprint' },
  {
    id: '4.5.1',
    title: 'Create administrative boundaries between resources using namespaces',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '4.5.2',
    title: 'The default namespace should not be used',
    assessment: 'automated',
    basis: 'blueprint',
  },
  {
    id: '5.1.1',
    title: 'Ensure Image Vulnerability Scanning using Amazon ECR image scanning or a third party provider',
    assessment: 'manual',
    basis: 'blueprint',
  },
  { id: '5.1.2', title: 'Minimize user access to Amazon ECR', assessment: 'manual', basis: 'blueprint' },
  {
    id: '5.1.3',
    title: 'Minimize cluster access to read-only for Amazon ECR',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.1.4',
    title: 'Minimize Container Registries to only those approved',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.2.1',
    title: 'Prefer using dedicated Amazon EKS Service Accounts',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.3.1',
    title: 'Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.4.1',
    title: 'Restrict Access to the Control Plane Endpoint',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.4.2',
    title: 'Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.4.3',
    title: 'Ensure clusters are created with Private Nodes',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.4.4',
    title: 'Ensure Network Policy is Enabled and set as appropriate',
    assessment: 'manual',
    basis: 'blueprint',
  },
  {
    id: '5.4.5',
    title: 'Encrypt traffic to HTTPS load balancers with TLS certificates',
    assessment: 'manual',
    basis: 'manual',
    note: 'The blueprint creates no load balancer, and the service-exposure policy (EKS-ADM-008) keeps workload load balancers internal. Evidence per load balancer: its listeners are HTTPS/TLS with an ACM certificate (`aws elbv2 describe-listeners`).',
  },
  {
    id: '5.5.1',
    title:
      'Manage Kubernetes RBAC users with AWS IAM Authenticator for Kubernetes or Upgrade to AWS CLI v1.16.156 or greater',
    assessment: 'manual',
    basis: 'blueprint',
  },
];

/** The section a recommendation belongs to (`4.2.1` → `4`) and its group (`4.2`). */
export function cisSectionOf(id: string): string {
  return id.split('.')[0];
}
export function cisGroupOf(id: string): string {
  return id.split('.').slice(0, 2).join('.');
}
