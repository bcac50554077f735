/**
 * The control catalogue: every control the blueprint implements, what it maps to, where it is enforced and
 * which test proves it. Entries are data; the posture report and the synth-time checks read them.
 * Framework IDs: CIS Amazon EKS Benchmark v1.8.0, Kubescape NSA/MITRE control IDs (C-xxxx), NSA/CISA
 * Kubernetes Hardening Guide v1.2 sections, Microsoft Threat Matrix for Kubernetes (MS-TAxxxx / MS-Mxxxx).
 */
import { DELIVERY_CONTROLS } from './delivery-controls';
import { DETECTION_CONTROLS } from './detection-controls';

export interface Control {
  readonly id: string;
  readonly title: string;
  /** Why it matters, for the report. */
  readonly rationale: string;
  readonly frameworks: {
    readonly cisEks?: readonly string[];
    readonly nsa?: readonly string[];
    readonly mitre?: readonly string[];
  };
  /** Code that enforces the control (file#symbol) and the synth-time checks that guard it. */
  readonly enforcedBy: readonly string[];
  /** The test that fails when the control is removed: `file > test title prefix`. */
  readonly provedBy: string;
  /** The config field through which a fork may weaken the control; the report shows it as a deviation. */
  readonly deviationField?: string;
  /** What the enforcing mechanism cannot express, and what covers it instead (e.g. a saved query). */
  readonly limitation?: string;
}

const STACK_TEST = 'test/stacks/cluster-stack.test.ts';
const NET_TEST = 'test/stacks/network-stack.test.ts';
const CHARTS_TEST = 'test/charts/baseline.test.ts';
const ADM_TEST = 'test/policies/fixtures.test.ts';
const PSS_TEST = 'test/policies/pod-security-conformance.test.ts';
const VERIFY_TEST = 'test/verify/verify.test.ts';
const IAM_TEST = 'test/iam/least-privilege.test.ts';
const EGRESS_TEST = 'test/stacks/isolated-egress.test.ts';

export const CONTROLS: readonly Control[] = [
  {
    id: 'EKS-NET-001',
    title: 'Kubernetes API endpoint is private',
    rationale: 'A public endpoint exposes the API server (and any credential leak) to the internet.',
    frameworks: {
      cisEks: ['5.4.1', '5.4.2'],
      nsa: ['C-0227', 'C-0228', 'NSA: network separation'],
      mitre: ['MS-TA9005', 'MS-M9002'],
    },
    enforcedBy: ['lib/stacks/cluster-stack.ts#endpointAccess', 'lib/compliance/rules#EKS-NET-001'],
    provedBy: `${STACK_TEST} > EKS-NET-001`,
    deviationField: 'publicEndpointCidrs',
  },
  {
    id: 'EKS-NET-002',
    title: 'No security group opens SSH or admits 0.0.0.0/0',
    rationale: 'Nodes are reached through SSM only; an open port 22 or a world-open rule is a way around it.',
    frameworks: { cisEks: ['5.4.3'], nsa: ['NSA: firewalls'], mitre: ['MS-TA9010', 'MS-M9014'] },
    enforcedBy: ['lib/constructs/private-vpc.ts#EndpointSecurityGroup', 'lib/compliance/rules#EKS-NET-002'],
    provedBy: `${STACK_TEST} > EKS-NET-002`,
  },
  {
    id: 'EKS-NET-003',
    title: 'Nodes run only in private subnets without public IPs',
    rationale: 'Private nodes cannot be reached from the internet; public subnets only hold NAT gateways.',
    frameworks: { cisEks: ['5.4.3'], nsa: ['C-0229', 'NSA: network separation'], mitre: ['MS-TA9005'] },
    enforcedBy: ['lib/constructs/private-vpc.ts#PrivateVpc'],
    provedBy: `${NET_TEST} > EKS-NET-003`,
  },
  {
    id: 'EKS-NET-004',
    title: 'VPC endpoints for every AWS API the in-VPC functions, nodes and add-ons call',
    rationale:
      'Nodes, SSM, Pod Identity and the kubectl provider (its framework invokes the handler through lambda, answers CloudFormation through S3) keep working without internet egress (egress=isolated).',
    frameworks: { nsa: ['NSA: firewalls'], mitre: ['MS-M9014'] },
    enforcedBy: ['lib/constructs/private-vpc.ts#REQUIRED_INTERFACE_ENDPOINTS'],
    provedBy: `${EGRESS_TEST} > EKS-NET-004`,
    limitation:
      "GuardDuty's runtime agent reaches guardduty-data through an endpoint GuardDuty creates itself (EKS_ADDON_MANAGEMENT).",
  },
  {
    id: 'EKS-NET-007',
    title: 'With egress=isolated, every image and chart comes from an ECR mirror in the region',
    rationale:
      'An isolated VPC reaches ECR through its endpoints only; a public registry would fail the deploy, or tempt someone to open egress.',
    frameworks: { cisEks: ['5.1.4'], nsa: ['NSA: image scanning'], mitre: ['MS-TA9002', 'MS-M9005'] },
    enforcedBy: ['lib/config/baseline.ts#isolatedEgressIssues'],
    provedBy: `${EGRESS_TEST} > EKS-NET-007`,
  },
  {
    id: 'EKS-NET-005',
    title: 'VPC CNI enforces Kubernetes NetworkPolicies',
    rationale: 'Without an enforcing CNI, every NetworkPolicy of the baseline is decoration.',
    frameworks: {
      cisEks: ['4.3.1', '5.4.4'],
      nsa: ['C-0205', 'C-0230', 'NSA: network separation'],
      mitre: ['MS-TA9034', 'MS-M9014'],
    },
    enforcedBy: ['lib/constructs/managed-addons.ts#vpc-cni'],
    provedBy: `${STACK_TEST} > EKS-NET-005`,
  },
  {
    id: 'EKS-NET-006',
    title: "The VPC's default security group allows nothing",
    rationale: 'Anything attached to the default group by mistake would get its allow-all rules.',
    frameworks: { nsa: ['NSA: firewalls'] },
    enforcedBy: ['lib/constructs/private-vpc.ts#restrictDefaultSecurityGroup'],
    provedBy: `${NET_TEST} > EKS-NET-006`,
  },
  {
    id: 'EKS-LOG-001',
    title: 'All five control-plane log types are enabled',
    rationale: 'Audit and authenticator logs are the evidence of who did what in the cluster.',
    frameworks: { cisEks: ['2.1.1'], nsa: ['C-0067', 'NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: [
      'lib/stacks/cluster-stack.ts#ALL_CONTROL_PLANE_LOG_TYPES',
      'lib/compliance/rules#EKS-LOG-001',
    ],
    provedBy: `${STACK_TEST} > EKS-LOG-001`,
  },
  {
    id: 'EKS-LOG-002',
    title: 'Log groups are KMS-encrypted, have retention and are retained',
    rationale: 'EKS offers no key for its log group, so the blueprint creates it first with the logs key.',
    frameworks: { cisEks: ['2.1.2'], nsa: ['NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: [
      'lib/constructs/encrypted-log-group.ts#EncryptedLogGroup',
      'lib/compliance/rules#EKS-LOG-002',
    ],
    provedBy: `${STACK_TEST} > EKS-LOG-002`,
    deviationField: 'logRetentionDays',
  },
  {
    id: 'EKS-LOG-003',
    title: 'VPC flow logs capture all traffic',
    rationale: 'Flow logs show lateral movement and exfiltration attempts at the network layer.',
    frameworks: { nsa: ['NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: ['lib/constructs/private-vpc.ts#addFlowLog'],
    provedBy: `${NET_TEST} > EKS-LOG-003`,
  },
  {
    id: 'EKS-LOG-004',
    title: 'No workload, node or tenant role can write to, shorten or delete the audit log groups',
    rationale:
      'The control-plane log is the audit trail and flow logs the network evidence; a privileged agent must not be able to forge or expire them.',
    frameworks: { cisEks: ['2.1.1'], nsa: ['NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: ['lib/constructs/container-insights.ts#AgentPolicy'],
    provedBy: `${IAM_TEST} > EKS-LOG-004`,
    limitation:
      "The Container Insights agent's scoped policy replaces CloudWatchAgentServerPolicy, which AWS documents for the add-on; it is to be confirmed on a first real deploy.",
  },
  {
    id: 'EKS-KMS-001',
    title: 'Kubernetes Secrets are envelope-encrypted with a customer-managed key',
    rationale: 'A CMK puts decryption of every Secret under the org’s own key policy and CloudTrail.',
    frameworks: { cisEks: ['5.3.1'], nsa: ['C-0066', 'NSA: encryption'], mitre: ['MS-TA9025'] },
    enforcedBy: ['lib/stacks/cluster-stack.ts#secretsEncryptionKey', 'lib/compliance/rules#EKS-KMS-001'],
    provedBy: `${STACK_TEST} > EKS-KMS-001`,
  },
  {
    id: 'EKS-KMS-002',
    title: 'KMS keys rotate, are retained and admit only the service that uses them',
    rationale: 'A deleted key makes its data unreadable forever; rotation limits the life of key material.',
    frameworks: { nsa: ['NSA: encryption'] },
    enforcedBy: ['lib/constructs/blueprint-key.ts#BlueprintKey', 'lib/compliance/rules#EKS-KMS-002'],
    provedBy: `${STACK_TEST} > EKS-KMS-002`,
  },
  {
    id: 'EKS-IAM-001',
    title: 'Cluster authentication uses access entries only (mode API, no aws-auth)',
    rationale: 'The aws-auth ConfigMap is editable from inside the cluster; access entries are IAM-governed.',
    frameworks: {
      cisEks: ['4.1.7', '5.5.1'],
      nsa: ['C-0285', 'NSA: authentication'],
      mitre: ['MS-TA9001', 'MS-M9003'],
    },
    enforcedBy: ['aws-eks-v2 Cluster', 'lib/compliance/rules#EKS-IAM-001'],
    provedBy: `${STACK_TEST} > EKS-IAM-001`,
  },
  {
    id: 'EKS-IAM-002',
    title: 'No implicit cluster-creator admin; explicit access entries with Kubernetes groups',
    rationale: 'Every principal with cluster access is named in config and bound to a group RBAC knows.',
    frameworks: {
      cisEks: ['4.1.1', '5.5.1'],
      nsa: ['C-0035', 'NSA: authorization'],
      mitre: ['MS-TA9019', 'MS-M9003'],
    },
    enforcedBy: ['lib/constructs/cluster-access.ts#ClusterAccess', 'lib/compliance/rules#EKS-IAM-002'],
    provedBy: `${STACK_TEST} > EKS-IAM-002`,
    deviationField: 'adminRoleArns',
  },
  {
    id: 'EKS-IAM-004',
    title: 'Node role is minimal: worker, ECR pull-only, and exactly the SSM session actions',
    rationale:
      'AmazonSSMManagedInstanceCore grants ssm:GetParameter* on *; the CNI policy belongs to aws-node.',
    frameworks: {
      cisEks: ['5.1.3'],
      nsa: ['C-0223', 'NSA: least privilege'],
      mitre: ['MS-TA9020', 'MS-M9003'],
    },
    enforcedBy: ['lib/constructs/ssm-only-node-role.ts#SsmOnlyNodeRole', 'lib/compliance/rules#EKS-IAM-004'],
    provedBy: `${STACK_TEST} > EKS-IAM-004`,
  },
  {
    id: 'EKS-IAM-005',
    title: 'Add-ons that call AWS use their own Pod Identity role',
    rationale: 'No pod borrows the node role; each add-on’s permissions are separately auditable.',
    frameworks: {
      cisEks: ['5.2.1'],
      nsa: ['C-0225', 'NSA: least privilege'],
      mitre: ['MS-TA9020', 'MS-M9019'],
    },
    enforcedBy: ['lib/constructs/managed-addons.ts#ManagedAddons', 'lib/constructs/pod-identity-role.ts'],
    provedBy: `${STACK_TEST} > EKS-IAM-005`,
  },
  {
    id: 'EKS-IAM-006',
    title: 'Pod Identity roles trust one cluster, namespace and service account; session tags stay on',
    rationale:
      'Without conditions, any Pod Identity association in the account (any cluster, any namespace) could be pointed at a role and obtain it.',
    frameworks: {
      cisEks: ['5.2.1'],
      nsa: ['C-0225', 'NSA: least privilege'],
      mitre: ['MS-TA9020', 'MS-M9019'],
    },
    enforcedBy: ['lib/constructs/pod-identity-role.ts#podIdentityTrustConditions'],
    provedBy: `${IAM_TEST} > EKS-IAM-006`,
    limitation:
      'The conditions read the session tags EKS Pod Identity sets; an association created with disableSessionTags gets no credentials (the trust denies), which is the safe failure.',
  },
  {
    id: 'EKS-IAM-007',
    title: 'No role can do more than its job (evaluated with an IAM policy engine)',
    rationale:
      'Node role, External Secrets controller, tenant store roles, the verify policy, key and repository policies are evaluated as AWS would, not string-matched.',
    frameworks: { cisEks: ['5.1.2', '5.2.1'], nsa: ['NSA: least privilege'], mitre: ['MS-M9003'] },
    enforcedBy: [
      'lib/constructs/ssm-only-node-role.ts#SsmOnlyNodeRole',
      'lib/constructs/in-cluster-baseline.ts#ExternalSecretsPolicy',
      'lib/constructs/verify-policy.ts#VerifyPolicy',
      'lib/constructs/blueprint-key.ts#BlueprintKey',
      'lib/constructs/image-repository.ts#ImageRepository',
    ],
    provedBy: `${IAM_TEST} > EKS-IAM-007`,
  },
  {
    id: 'EKS-NODE-001',
    title: 'Nodes run Bottlerocket',
    rationale:
      'A minimal, immutable, SELinux-enforcing OS with no shell, package manager or sshd by default.',
    frameworks: { nsa: ['NSA: node hardening'], mitre: ['MS-TA9007'] },
    enforcedBy: ['lib/constructs/bottlerocket-node-group.ts#amiType', 'lib/compliance/rules#EKS-NODE-001'],
    provedBy: `${STACK_TEST} > EKS-NODE-001`,
  },
  {
    id: 'EKS-NODE-002',
    title: 'IMDSv2 required with hop limit 1',
    rationale: 'Pods cannot reach instance metadata, so they cannot take the node role’s credentials.',
    frameworks: { nsa: ['C-0052'], mitre: ['MS-TA9033', 'MS-TA9020', 'MS-M9018'] },
    enforcedBy: [
      'lib/constructs/bottlerocket-node-group.ts#LaunchTemplate',
      'lib/compliance/rules#EKS-NODE-002',
    ],
    provedBy: `${STACK_TEST} > EKS-NODE-002`,
  },
  {
    id: 'EKS-NODE-003',
    title: 'Both Bottlerocket volumes are gp3 and encrypted with the EBS key',
    rationale: 'Container images, logs and emptyDir data on the data volume are encrypted at rest.',
    frameworks: { nsa: ['NSA: encryption'] },
    enforcedBy: [
      'lib/constructs/bottlerocket-node-group.ts#blockDevices',
      'lib/compliance/rules#EKS-NODE-003',
    ],
    provedBy: `${STACK_TEST} > EKS-NODE-003`,
  },
  {
    id: 'EKS-NODE-004',
    title: 'No SSH key, no remote access, no admin container: SSM is the only way onto a node',
    rationale: 'Session Manager sessions are IAM-authorised and logged; SSH keys are neither.',
    frameworks: { nsa: ['NSA: node hardening'], mitre: ['MS-TA9010', 'MS-M9003'] },
    enforcedBy: [
      'lib/constructs/bottlerocket-node-group.ts',
      'lib/constructs/bottlerocket/user-data.ts',
      'lib/compliance/rules#EKS-NODE-004',
    ],
    provedBy: `${STACK_TEST} > EKS-NODE-004`,
  },
  {
    id: 'EKS-NODE-005',
    title:
      'Bottlerocket hardening: kernel lockdown, seccomp default, PID limit, no unsafe sysctls, no metrics',
    rationale: 'Node settings are fixed at launch in user data, so they cannot drift.',
    frameworks: { cisEks: ['3.2'], nsa: ['C-0055', 'NSA: node hardening'], mitre: ['MS-TA9040', 'MS-M9013'] },
    enforcedBy: [
      'lib/constructs/bottlerocket/user-data.ts#bottlerocketSettings',
      'lib/compliance/rules#EKS-NODE-005',
    ],
    provedBy: 'test/constructs/bottlerocket/user-data.test.ts > EKS-NODE-005',
  },
  {
    id: 'EKS-NODE-008',
    title: 'CIS Bottlerocket Level 2 kernel modules and network sysctls',
    rationale: 'Disables rarely used filesystems and protocols and ICMP redirects, logs martian packets.',
    frameworks: { nsa: ['NSA: node hardening'] },
    enforcedBy: [
      'lib/constructs/bottlerocket/user-data.ts#CIS_L2_SYSCTLS',
      'lib/compliance/rules#EKS-NODE-008',
    ],
    provedBy: 'test/constructs/bottlerocket/user-data.test.ts > EKS-NODE-008',
    deviationField: 'cisLevel',
  },
  {
    id: 'EKS-OPS-001',
    title: 'Cluster deletion protection and stack termination protection',
    rationale: 'A stray `cdk destroy` or console click cannot delete a production cluster.',
    frameworks: { nsa: ['NSA: availability'], mitre: ['MS-TA9038'] },
    enforcedBy: [
      'lib/stacks/cluster-stack.ts#deletionProtection',
      'lib/stacks/blueprint-stack.ts',
      'lib/compliance/rules#EKS-OPS-001',
    ],
    provedBy: `${STACK_TEST} > EKS-OPS-001`,
    deviationField: 'clusterDeletionProtection',
  },
  {
    id: 'EKS-OPS-002',
    title: 'Node group rolls respect PodDisruptionBudgets, and a replaced group gets a new name',
    rationale:
      'ForceUpdateEnabled ends a stuck roll by evicting pods a PodDisruptionBudget protects; a fixed node group name makes every replacing change fail with "already exists".',
    frameworks: { nsa: ['NSA: availability'] },
    enforcedBy: [
      'lib/constructs/bottlerocket-node-group.ts#BottlerocketNodeGroup',
      'lib/naming.ts#nodegroupName',
      'lib/compliance/rules#EKS-OPS-002',
    ],
    provedBy: 'test/constructs/bottlerocket-node-group.test.ts > EKS-OPS-002',
    deviationField: 'nodeGroups[].forceUpdate',
  },
  {
    id: 'EKS-K8S-PSA-001',
    title: 'Every namespace declares Pod Security enforce/audit/warn, pinned to the cluster version',
    rationale:
      'EKS runs PSA with the default privileged and no way to change it; unlabelled means unprotected.',
    frameworks: {
      cisEks: ['4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5'],
      nsa: ['C-0057', 'C-0038', 'C-0041', 'C-0016', 'NSA: pod security'],
      mitre: ['MS-TA9018', 'MS-M9017'],
    },
    enforcedBy: ['charts/namespaces.ts#podSecurityLabels'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-PSA-001`,
    deviationField: 'baseline.namespaceExceptions',
  },
  {
    id: 'EKS-K8S-PSA-002',
    title:
      'Every workload the baseline ships passes Pod Security restricted, or runs in a declared exception',
    rationale: 'The platform must meet the bar it sets for tenants; exceptions carry their reason.',
    frameworks: {
      cisEks: ['4.2.1', '4.2.5'],
      nsa: ['C-0013', 'C-0017', 'C-0055', 'NSA: least privilege'],
      mitre: ['MS-M9013'],
    },
    enforcedBy: [
      'charts/logging.ts',
      'charts/kube-bench.ts',
      'charts/external-secrets.ts#externalSecretsHelmValues',
    ],
    provedBy: `${CHARTS_TEST} > EKS-K8S-PSA-002`,
    deviationField: 'baseline.namespaceExceptions',
  },
  {
    id: 'EKS-K8S-DEF-001',
    title: 'The default namespace is restricted and the baseline deploys nothing there',
    rationale: 'Workloads in default escape tenant quotas, RBAC and network policies.',
    frameworks: { cisEks: ['4.5.1', '4.5.2'], nsa: ['C-0212'] },
    enforcedBy: ['charts/props.ts#baselinePropsFrom'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-DEF-001`,
  },
  {
    id: 'EKS-K8S-NET-001',
    title: 'Default-deny ingress and egress in every managed namespace, with DNS to CoreDNS only',
    rationale:
      'Pods talk only along declared paths; lateral movement and exfiltration need an explicit allow.',
    frameworks: {
      cisEks: ['4.3.2'],
      nsa: ['C-0206', 'C-0054', 'C-0030', 'NSA: network separation'],
      mitre: ['MS-TA9034', 'MS-M9014'],
    },
    enforcedBy: ['charts/network-policies.ts#NamespaceIsolation'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-NET-001`,
  },
  {
    id: 'EKS-K8S-NET-002',
    title: 'No NetworkPolicy allows egress to the instance metadata service',
    rationale: 'Together with hop limit 1 this keeps pods away from the node role.',
    frameworks: { nsa: ['C-0052'], mitre: ['MS-TA9033', 'MS-M9018'] },
    enforcedBy: ['charts/network-policies.ts#allowEgressToCidr'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-NET-002`,
  },
  {
    id: 'EKS-K8S-RBAC-001',
    title: 'No Role or ClusterRole of the baseline uses wildcards, escalate, bind or impersonate',
    rationale: 'Wildcards grant future resources; escalate/bind/impersonate are privilege escalation.',
    frameworks: { cisEks: ['4.1.3', '4.1.8'], nsa: ['C-0187', 'C-0191', 'C-0035'], mitre: ['MS-M9003'] },
    enforcedBy: ['charts/rbac.ts', 'charts/tenants.ts'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-RBAC-001`,
  },
  {
    id: 'EKS-K8S-RBAC-002',
    title: 'No pods/exec, attach or port-forward except where config grants it',
    rationale: 'Exec into a container is the most direct way to use a workload’s identity and data.',
    frameworks: { nsa: ['C-0002'], mitre: ['MS-TA9006', 'MS-M9010'] },
    enforcedBy: ['charts/tenants.ts#developerRules'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-RBAC-002`,
    deviationField: 'tenants[].allowExec',
  },
  {
    id: 'EKS-K8S-RBAC-003',
    title: 'No binding to cluster-admin or anonymous groups; viewers and auditors cannot read Secrets',
    rationale: 'Cluster admin comes only from access entries; read roles must not leak credentials.',
    frameworks: {
      cisEks: ['4.1.1', '4.1.2'],
      nsa: ['C-0185', 'C-0186', 'C-0015'],
      mitre: ['MS-TA9019', 'MS-TA9025', 'MS-M9003'],
    },
    enforcedBy: ['charts/rbac.ts#VIEWER_RULES'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-RBAC-003`,
  },
  {
    id: 'EKS-K8S-RBAC-004',
    title: 'The default ServiceAccount of every managed namespace does not automount a token',
    rationale: 'A pod that does not call the API should hold no API credential.',
    frameworks: {
      cisEks: ['4.1.5', '4.1.6'],
      nsa: ['C-0189', 'C-0190', 'C-0034'],
      mitre: ['MS-TA9016', 'MS-M9025'],
    },
    enforcedBy: ['charts/namespaces.ts#NamespacesChart'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-RBAC-004`,
  },
  {
    id: 'EKS-K8S-TEN-001',
    title: 'Each tenant gets its own restricted namespace with ResourceQuota, LimitRange, roles and policies',
    rationale: 'Administrative and resource boundaries per team; no LoadBalancer or NodePort by quota.',
    frameworks: {
      cisEks: ['4.5.1'],
      nsa: ['C-0270', 'C-0271', 'NSA: resource quotas'],
      mitre: ['MS-TA9039', 'MS-M9029'],
    },
    enforcedBy: ['charts/tenants.ts#TenantChart', 'lib/stacks/tenant-stack.ts#TenantStack'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-TEN-001`,
  },
  {
    id: 'EKS-K8S-TEN-002',
    title: 'Each tenant’s SecretStore reads only its own Secrets Manager prefix through its own IAM role',
    rationale: 'Stores otherwise share the controller identity, so any tenant could read any secret.',
    frameworks: { cisEks: ['4.4.2', '5.2.1'], nsa: ['C-0234'], mitre: ['MS-TA9025', 'MS-M9022'] },
    enforcedBy: ['charts/tenants.ts#SecretStore', 'lib/constructs/in-cluster-baseline.ts#TenantSecrets'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-TEN-002`,
  },
  {
    id: 'EKS-K8S-LOG-001',
    title: 'Node and container logs are shipped to a KMS-encrypted log group by Fluent Bit via Pod Identity',
    rationale: 'Logs outlive the pod and the node that wrote them.',
    frameworks: { nsa: ['NSA: audit logging'], mitre: ['MS-TA9021', 'MS-M9020'] },
    enforcedBy: ['charts/logging.ts#LoggingChart', 'lib/constructs/in-cluster-baseline.ts#NodeLogs'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-LOG-001`,
  },
  {
    id: 'EKS-K8S-CIS-001',
    title: 'A weekly kube-bench job checks the CIS EKS benchmark, pinned to its version',
    rationale: 'Periodic review of node and policy settings, evidence in the logs.',
    frameworks: { cisEks: ['3.1', '3.2', '4.1'], nsa: ['NSA: periodic review'] },
    enforcedBy: ['charts/kube-bench.ts#KubeBenchChart'],
    provedBy: `${CHARTS_TEST} > EKS-K8S-CIS-001`,
  },

  // Admission policies (policies/): native ValidatingAdmissionPolicies, proved by their fixtures.
  {
    id: 'EKS-ADM-001',
    title: 'Every namespace declares Pod Security enforce: restricted (exceptions from config only)',
    rationale: 'Without the label, the built-in Pod Security Admission enforces nothing in that namespace.',
    frameworks: {
      cisEks: ['4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5'],
      nsa: ['NSA: pod security'],
      mitre: ['MS-M9011'],
    },
    enforcedBy: ['policies/namespace-pod-security.ts#NamespacePodSecurity'],
    provedBy: `${ADM_TEST} > EKS-ADM-001`,
    deviationField: 'admission.podSecurityExceptions',
  },
  {
    id: 'EKS-ADM-002',
    title:
      "Pod Security restricted (or the namespace's declared baseline) as CEL over pods and pod templates",
    rationale:
      'Rejects a non-compliant workload at its controller, not silently at the ReplicaSet, and backs up PSA.',
    frameworks: {
      cisEks: ['4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5'],
      nsa: ['C-0013', 'C-0016', 'C-0038', 'C-0041', 'C-0044', 'C-0046', 'C-0048', 'C-0055', 'C-0057'],
      mitre: ['MS-TA9018', 'MS-TA9013', 'MS-M9011'],
    },
    enforcedBy: ['policies/pod-security.ts#PodSecurity'],
    provedBy: `${PSS_TEST} > EKS-ADM-002`,
  },
  {
    id: 'EKS-ADM-003',
    title: "Images only from the allowed registries (the environment's ECR plus an explicit list)",
    rationale: 'An image from an unvetted registry bypasses ECR scanning and provenance.',
    frameworks: { cisEks: ['5.1.4'], nsa: ['C-0078'], mitre: ['MS-TA9002', 'MS-M9005'] },
    enforcedBy: ['policies/allowed-registries.ts#AllowedRegistries'],
    provedBy: `${ADM_TEST} > EKS-ADM-003`,
    deviationField: 'admission.extraAllowedRegistries',
  },
  {
    id: 'EKS-ADM-004',
    title: 'No :latest or tag-less images; digests optionally required',
    rationale: 'A moving tag makes what runs differ from what was scanned and reviewed.',
    frameworks: { nsa: ['NSA: image scanning'], mitre: ['MS-TA9002', 'MS-M9005'] },
    enforcedBy: ['policies/image-pinning.ts#ImagePinning'],
    provedBy: `${ADM_TEST} > EKS-ADM-004`,
  },
  {
    id: 'EKS-ADM-005',
    title: 'Every container requests CPU and memory and limits memory',
    rationale: 'Unbounded containers starve their neighbours (resource hijacking, denial of service).',
    frameworks: { nsa: ['C-0271', 'C-0270'], mitre: ['MS-TA9039', 'MS-TA9040', 'MS-M9029'] },
    enforcedBy: ['policies/container-resources.ts#ContainerResources'],
    provedBy: `${ADM_TEST} > EKS-ADM-005`,
  },
  {
    id: 'EKS-ADM-006',
    title: 'Workloads carry the required ownership labels',
    rationale: 'Every workload can be traced to a team during an incident.',
    frameworks: { cisEks: ['4.5.1'], nsa: ['NSA: network separation'] },
    enforcedBy: ['policies/required-labels.ts#RequiredLabels'],
    provedBy: `${ADM_TEST} > EKS-ADM-006`,
  },
  {
    id: 'EKS-ADM-007',
    title:
      'RBAC guardrails: no cluster-admin or system-group bindings, no wildcard or escalation permissions',
    rationale: 'Tenants cannot grant themselves or others more than they have, nor rewire admission.',
    frameworks: {
      cisEks: ['4.1.1', '4.1.3', '4.1.8', '4.1.10', '4.1.11', '4.1.12'],
      nsa: ['C-0035', 'C-0187', 'C-0191', 'C-0279', 'C-0281', 'C-0282'],
      mitre: ['MS-TA9019', 'MS-TA9015', 'MS-M9003'],
    },
    enforcedBy: [
      'policies/rbac-guardrails.ts#RbacGuardrails',
      'lib/stacks/cluster-stack.ts#kubectlAccessEntry',
      'charts/external-secrets.ts#externalSecretsHelmValues',
    ],
    provedBy: `${ADM_TEST} > EKS-ADM-007`,
    limitation:
      'The deploying identity (the kubectl provider, in deployerGroup) may grant writes on admission configurations named by resourceNames, which the External Secrets cert controller needs; test/deploy/rehearsal.test.ts proves the real chart is admitted for it and denied for anyone else.',
  },
  {
    id: 'EKS-ADM-008',
    title: 'No NodePort, no externalIPs, LoadBalancers internal unless allowed by config',
    rationale: 'Services must not expose workloads on nodes or the internet by accident (CVE-2020-8554).',
    frameworks: { cisEks: ['5.4.3'], nsa: ['NSA: network separation'], mitre: ['MS-TA9005', 'MS-M9014'] },
    enforcedBy: ['policies/service-exposure.ts#ServiceExposure'],
    provedBy: `${ADM_TEST} > EKS-ADM-008`,
    deviationField: 'admission.internetFacingLoadBalancerNamespaces',
  },
  {
    id: 'EKS-ADM-009',
    title: 'Secrets mounted as files, never env vars; no workloads in default',
    rationale: 'Env vars leak into logs, crash dumps and child processes; default has no tenant boundary.',
    frameworks: { cisEks: ['4.4.1', '4.5.2'], nsa: ['C-0012', 'C-0207', 'C-0061'], mitre: ['MS-TA9027'] },
    enforcedBy: ['policies/secrets-hygiene.ts#SecretsHygiene'],
    provedBy: `${ADM_TEST} > EKS-ADM-009`,
  },
  {
    id: 'EKS-ADM-010',
    title: 'exec, attach and port-forward only for the break-glass group',
    rationale: 'Exec into a container is the shortest path from API access to code execution and data.',
    frameworks: { nsa: ['C-0002'], mitre: ['MS-TA9006', 'MS-TA9041', 'MS-M9010'] },
    enforcedBy: ['policies/pod-exec.ts#PodExec'],
    provedBy: `${ADM_TEST} > EKS-ADM-010`,
    deviationField: 'admission.allowPodExec',
  },
  ...DETECTION_CONTROLS,
  ...DELIVERY_CONTROLS,
  // Live checks of `hardened-eks verify` (lib/verify) that no synth-time control covers. The other verify
  // rows reuse the ids above: a live probe is another proof of the same control.
  {
    id: 'EKS-VER-001',
    title: 'Every running node is an SSM managed instance, online, with a current agent',
    rationale: 'Proves that Session Manager, and only it, reaches every node, including nodes added by hand.',
    frameworks: { nsa: ['NSA: node hardening'], mitre: ['MS-TA9010', 'MS-M9003'] },
    enforcedBy: ['lib/verify/nodes.ts#probeNodes', 'lib/verify/node-checks.ts#ssmProblems'],
    provedBy: `${VERIFY_TEST} > EKS-VER-001`,
    deviationField: 'verify.minSsmAgentVersion',
  },
  {
    id: 'EKS-VER-002',
    title: 'The running Kubernetes version is the configured one',
    rationale: 'An upgrade done outside the blueprint leaves config, add-on pins and node releases behind.',
    frameworks: { nsa: ['NSA: upgrading and application security practices'] },
    enforcedBy: ['lib/verify/cluster.ts#checkVersion'],
    provedBy: `${VERIFY_TEST} > EKS-VER-002`,
  },
  {
    id: 'EKS-VER-003',
    title: 'Managed add-ons are installed, active, healthy and on a version EKS supports for the cluster',
    rationale: 'A degraded or removed CNI, DNS or Pod Identity agent silently weakens other controls.',
    frameworks: { nsa: ['NSA: upgrading and application security practices'], mitre: ['MS-M9014'] },
    enforcedBy: ['lib/verify/addons.ts#checkAddons'],
    provedBy: `${VERIFY_TEST} > EKS-VER-003`,
  },
  {
    id: 'EKS-VER-005',
    title: 'GuardDuty is enabled with the configured EKS protection features',
    rationale: 'Audit-log and runtime findings are the detection layer behind every preventive control.',
    frameworks: { nsa: ['NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: ['lib/verify/guardduty.ts#checkGuardDuty'],
    provedBy: `${VERIFY_TEST} > EKS-VER-005`,
  },
  {
    id: 'EKS-VER-004',
    title: 'The verify policy is read-only and scoped to the cluster, its keys and its log group',
    rationale: 'Auditors and pipelines prove the posture without any right to change it.',
    frameworks: { nsa: ['NSA: least privilege'], mitre: ['MS-M9003'] },
    enforcedBy: ['lib/constructs/verify-policy.ts#VerifyPolicy'],
    provedBy: 'test/constructs/verify-policy.test.ts > EKS-VER-004',
  },
];

export function controlById(id: string, catalogue: readonly Control[] = CONTROLS): Control {
  const c = catalogue.find((x) => x.id === id);
  if (!c)
    throw new Error(
      `Unknown control id "${id}"; add it to lib/compliance/controls.ts (a fork's: to org/index.ts controls)`,
    );
  return c;
}
