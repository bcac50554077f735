/**
 * Microsoft Threat Matrix for Kubernetes: its 10 tactics with their techniques (MS-TA9xxx), and the
 * techniques each mitigation (MS-M9xxx) addresses, as microsoft/Threat-Matrix-for-Kubernetes lists them
 * (docs/tactics, docs/mitigations). A technique can belong to several tactics.
 */

export interface Tactic {
  /** A stable slug; the matrix gives tactics no ids. */
  readonly id: string;
  readonly name: string;
  readonly techniques: readonly string[];
}

export const THREAT_MATRIX = { name: 'Microsoft Threat Matrix for Kubernetes' } as const;

export const TECHNIQUES: Readonly<Record<string, string>> = {
  'MS-TA9001': 'Using cloud credentials',
  'MS-TA9002': 'Compromised image in registry',
  'MS-TA9003': 'Kubeconfig file',
  'MS-TA9004': 'Application vulnerability',
  'MS-TA9005': 'Exposed sensitive interfaces',
  'MS-TA9006': 'Exec into container',
  'MS-TA9007': 'bash/cmd inside container',
  'MS-TA9008': 'New container',
  'MS-TA9009': 'Application exploit (RCE)',
  'MS-TA9010': 'SSH server running inside container',
  'MS-TA9011': 'Sidecar injection',
  'MS-TA9012': 'Backdoor container',
  'MS-TA9013': 'Writable hostPath mount',
  'MS-TA9014': 'Kubernetes CronJob',
  'MS-TA9015': 'Malicious admission controller',
  'MS-TA9016': 'Container service account',
  'MS-TA9017': 'Static pods',
  'MS-TA9018': 'Privileged container',
  'MS-TA9019': 'Cluster-admin binding',
  'MS-TA9020': 'Access cloud resources',
  'MS-TA9021': 'Clear container logs',
  'MS-TA9022': 'Delete K8S events',
  'MS-TA9023': 'Pod / container name similarity',
  'MS-TA9024': 'Connect from proxy server',
  'MS-TA9025': 'List K8S secrets',
  'MS-TA9026': 'Mount service principal',
  'MS-TA9027': 'Application credentials in configuration files',
  'MS-TA9028': 'Access managed identity credentials',
  'MS-TA9029': 'Access Kubernetes API server',
  'MS-TA9030': 'Access Kubelet API',
  'MS-TA9031': 'Network mapping',
  'MS-TA9033': 'Instance Metadata API',
  'MS-TA9034': 'Cluster internal networking',
  'MS-TA9035': 'CoreDNS poisoning',
  'MS-TA9036': 'ARP poisoning and IP spoofing',
  'MS-TA9037': 'Images from a private registry',
  'MS-TA9038': 'Data destruction',
  'MS-TA9039': 'Resource hijacking',
  'MS-TA9040': 'Denial of service',
  'MS-TA9041': 'Collecting data from pod',
};

export const TACTICS: readonly Tactic[] = [
  {
    id: 'initial-access',
    name: 'Initial Access',
    techniques: ['MS-TA9001', 'MS-TA9002', 'MS-TA9003', 'MS-TA9004', 'MS-TA9005'],
  },
  {
    id: 'execution',
    name: 'Execution',
    techniques: ['MS-TA9006', 'MS-TA9007', 'MS-TA9008', 'MS-TA9009', 'MS-TA9010', 'MS-TA9011'],
  },
  {
    id: 'persistence',
    name: 'Persistence',
    techniques: ['MS-TA9012', 'MS-TA9013', 'MS-TA9014', 'MS-TA9015', 'MS-TA9016', 'MS-TA9017'],
  },
  {
    id: 'privilege-escalation',
    name: 'Privilege Escalation',
    techniques: ['MS-TA9018', 'MS-TA9019', 'MS-TA9013', 'MS-TA9020'],
  },
  {
    id: 'defense-evasion',
    name: 'Defense Evasion',
    techniques: ['MS-TA9021', 'MS-TA9022', 'MS-TA9023', 'MS-TA9024'],
  },
  {
    id: 'credential-access',
    name: 'Credential Access',
    techniques: ['MS-TA9025', 'MS-TA9026', 'MS-TA9016', 'MS-TA9027', 'MS-TA9028', 'MS-TA9015'],
  },
  {
    id: 'discovery',
    name: 'Discovery',
    techniques: ['MS-TA9029', 'MS-TA9030', 'MS-TA9031', 'MS-TA9005', 'MS-TA9033'],
  },
  {
    id: 'lateral-movement',
    name: 'Lateral Movement',
    techniques: ['MS-TA9020', 'MS-TA9016', 'MS-TA9034', 'MS-TA9027', 'MS-TA9013', 'MS-TA9035', 'MS-TA9036'],
  },
  { id: 'collection', name: 'Collection', techniques: ['MS-TA9037', 'MS-TA9041'] },
  { id: 'impact', name: 'Impact', techniques: ['MS-TA9038', 'MS-TA9039', 'MS-TA9040'] },
];

/** Each mitigation's name and the techniques it addresses (MS-M9005 is the union of its three parts). */
export const MITIGATIONS: Readonly<
  Record<string, { readonly name: string; readonly techniques: readonly string[] }>
> = {
  'MS-M9001': { name: 'Multi-factor authentication', techniques: ['MS-TA9001'] },
  'MS-M9002': {
    name: 'Restrict access to the API server using IP firewall',
    techniques: ['MS-TA9001', 'MS-TA9003', 'MS-TA9024', 'MS-TA9029', 'MS-TA9040'],
  },
  'MS-M9003': {
    name: 'Adhere to least-privilege principle',
    techniques: [
      'MS-TA9001',
      'MS-TA9003',
      'MS-TA9006',
      'MS-TA9008',
      'MS-TA9011',
      'MS-TA9012',
      'MS-TA9014',
      'MS-TA9015',
      'MS-TA9016',
      'MS-TA9019',
      'MS-TA9020',
      'MS-TA9022',
      'MS-TA9025',
      'MS-TA9026',
      'MS-TA9029',
      'MS-TA9030',
      'MS-TA9035',
      'MS-TA9037',
      'MS-TA9041',
    ],
  },
  'MS-M9004': { name: 'Secure CI/CD environment', techniques: ['MS-TA9002'] },
  'MS-M9005': {
    name: 'Image assurance policy',
    techniques: [
      'MS-TA9002',
      'MS-TA9004',
      'MS-TA9008',
      'MS-TA9009',
      'MS-TA9011',
      'MS-TA9012',
      'MS-TA9014',
      'MS-TA9018',
      'MS-TA9023',
      'MS-TA9034',
    ],
  },
  'MS-M9006': { name: 'Enable just-in-time access to API server', techniques: ['MS-TA9003'] },
  'MS-M9007': { name: 'Network intrusion prevention', techniques: ['MS-TA9004'] },
  'MS-M9008': { name: 'Limit access to services over network', techniques: ['MS-TA9005'] },
  'MS-M9009': {
    name: 'Require strong authentication to services',
    techniques: ['MS-TA9005', 'MS-TA9024', 'MS-TA9030'],
  },
  'MS-M9010': { name: 'Restrict exec commands on pods', techniques: ['MS-TA9006', 'MS-TA9041'] },
  'MS-M9011': {
    name: 'Restrict container runtime using LSM',
    techniques: ['MS-TA9006', 'MS-TA9007', 'MS-TA9009', 'MS-TA9010', 'MS-TA9013', 'MS-TA9039', 'MS-TA9040'],
  },
  'MS-M9012': { name: 'Remove tools from container images', techniques: ['MS-TA9007', 'MS-TA9039'] },
  'MS-M9013': {
    name: 'Restrict over permissive containers',
    techniques: [
      'MS-TA9008',
      'MS-TA9011',
      'MS-TA9012',
      'MS-TA9013',
      'MS-TA9014',
      'MS-TA9018',
      'MS-TA9020',
      'MS-TA9026',
      'MS-TA9036',
    ],
  },
  'MS-M9014': {
    name: 'Network segmentation',
    techniques: ['MS-TA9005', 'MS-TA9009', 'MS-TA9010', 'MS-TA9024', 'MS-TA9030', 'MS-TA9031', 'MS-TA9034'],
  },
  'MS-M9015': { name: 'Avoid running management interface on containers', techniques: ['MS-TA9010'] },
  'MS-M9016': {
    name: 'Restrict file and directory permissions',
    techniques: ['MS-TA9013', 'MS-TA9017', 'MS-TA9021'],
  },
  'MS-M9017': {
    name: 'Ensure that pods meet defined Pod Security Standards',
    techniques: ['MS-TA9013', 'MS-TA9018'],
  },
  'MS-M9018': {
    name: 'Restricting cloud metadata API access',
    techniques: ['MS-TA9020', 'MS-TA9028', 'MS-TA9033', 'MS-TA9037'],
  },
  'MS-M9019': { name: 'Allocate specific identities to pods', techniques: ['MS-TA9020', 'MS-TA9028'] },
  'MS-M9020': { name: 'Collect logs to remote data storage', techniques: ['MS-TA9021', 'MS-TA9022'] },
  'MS-M9021': {
    name: 'Restrict the usage of unauthenticated APIs in the cluster',
    techniques: ['MS-TA9024'],
  },
  'MS-M9022': { name: 'Use managed secret store', techniques: ['MS-TA9025', 'MS-TA9027'] },
  'MS-M9023': { name: 'Remove unused secrets from the cluster', techniques: ['MS-TA9025'] },
  'MS-M9024': { name: 'Restrict access to etcd', techniques: ['MS-TA9025'] },
  'MS-M9025': { name: 'Disable service account auto mount', techniques: ['MS-TA9016'] },
  'MS-M9026': {
    name: 'Avoid using plain text credentials in configuration files',
    techniques: ['MS-TA9027'],
  },
  'MS-M9027': { name: 'Use NodeRestriction admission controller', techniques: ['MS-TA9030'] },
  'MS-M9028': { name: 'Use CNIs that are not prone to ARP poisoning', techniques: ['MS-TA9036'] },
  'MS-M9029': { name: 'Set requests and limits for containers', techniques: ['MS-TA9040'] },
  'MS-M9030': { name: 'Use cloud storage provider', techniques: ['MS-TA9038'] },
  'MS-M9031': { name: 'Implement data backup strategy', techniques: ['MS-TA9038'] },
  'MS-M9032': { name: 'Avoid using web-hosted manifest for Kubelet', techniques: ['MS-TA9017'] },
};

/**
 * The techniques a control addresses: the ones it names, or, when it names only mitigations, the
 * techniques of those mitigations (a mitigation alone says less precisely where the control acts).
 */
export function techniquesOf(mitre: readonly string[]): string[] {
  const named = mitre.filter((id) => id in TECHNIQUES);
  if (named.length > 0) return named;
  return [...new Set(mitre.flatMap((id) => MITIGATIONS[id]?.techniques ?? []))];
}

/** Controls outside the detective families that detect, and why. */
const DETECTIVE_EXTRAS: Readonly<Record<string, string>> = {
  'EKS-K8S-LOG-001': 'ships node and container logs off the node',
  'EKS-K8S-CIS-001': 'the weekly kube-bench run reports drift from the benchmark',
};
/** Controls inside the detective families that prevent, and why. */
const PREVENTIVE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'EKS-VER-004': 'limits what the verify role may do; it checks nothing itself',
};

/**
 * Whether a control detects (logs, alarms, findings, live and periodic checks) or prevents. Decided by
 * the catalogue's id families (EKS-DET, EKS-LOG, EKS-VER detect), so a new detection control lands in
 * the right column without an edit; the two lists above hold the exceptions.
 */
export function controlRole(controlId: string): 'preventive' | 'detective' {
  if (controlId in PREVENTIVE_EXCEPTIONS) return 'preventive';
  return /^EKS-(DET|LOG|VER)-/.test(controlId) || controlId in DETECTIVE_EXTRAS ? 'detective' : 'preventive';
}
