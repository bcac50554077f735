/**
 * NSA/CISA Kubernetes Hardening Guide (v1.2, August 2022): its chapters and sections, and which of the
 * catalogue's `frameworks.nsa` references (Kubescape control ids `C-xxxx` and `NSA: <topic>` tags) belong
 * to each. A control implements every section one of its references maps to.
 */

export interface NsaSection {
  /** A stable slug. */
  readonly id: string;
  readonly chapter: string;
  readonly title: string;
  /** Catalogue `frameworks.nsa` values that this section covers. */
  readonly refs: readonly string[];
}

export const NSA_CISA_GUIDE = {
  name: 'NSA/CISA Kubernetes Hardening Guide',
  version: '1.2',
} as const;

const POD = 'Kubernetes Pod security';
const NET = 'Network separation and hardening';
const AUTH = 'Authentication and authorization';
const AUDIT = 'Audit logging and threat detection';
const UPGRADE = 'Upgrading and application security practices';

export const NSA_CISA_SECTIONS: readonly NsaSection[] = [
  {
    id: 'non-root',
    chapter: POD,
    title: 'Non-root containers and rootless container engines',
    refs: ['C-0013'],
  },
  { id: 'immutable-fs', chapter: POD, title: 'Immutable container file systems', refs: ['C-0017'] },
  {
    id: 'secure-images',
    chapter: POD,
    title: 'Building secure container images',
    refs: ['C-0078', 'C-0221', 'NSA: image scanning', 'NSA: vulnerability scanning', 'NSA: supply chain'],
  },
  {
    id: 'pod-security',
    chapter: POD,
    title: 'Pod security enforcement',
    refs: ['NSA: pod security', 'C-0016', 'C-0038', 'C-0041', 'C-0044', 'C-0046', 'C-0048', 'C-0057'],
  },
  {
    id: 'service-account-tokens',
    chapter: POD,
    title: 'Protecting Pod service account tokens',
    refs: ['C-0034', 'C-0189', 'C-0190'],
  },
  {
    id: 'container-environments',
    chapter: POD,
    title: 'Hardening container environments',
    refs: ['C-0055', 'NSA: node hardening'],
  },
  { id: 'namespaces', chapter: NET, title: 'Namespaces', refs: ['C-0061', 'C-0212'] },
  {
    id: 'network-policies',
    chapter: NET,
    title: 'Network policies',
    refs: ['NSA: network separation', 'C-0030', 'C-0054', 'C-0205', 'C-0206', 'C-0230'],
  },
  {
    id: 'resource-policies',
    chapter: NET,
    title: 'Resource policies',
    refs: ['NSA: resource quotas', 'C-0270', 'C-0271'],
  },
  {
    id: 'control-plane',
    chapter: NET,
    title: 'Control plane hardening',
    refs: ['NSA: firewalls', 'C-0227', 'C-0228'],
  },
  { id: 'worker-nodes', chapter: NET, title: 'Worker node segmentation', refs: ['C-0229'] },
  { id: 'encryption', chapter: NET, title: 'Encryption', refs: ['NSA: encryption', 'C-0066'] },
  { id: 'secrets', chapter: NET, title: 'Secrets', refs: ['C-0012', 'C-0015', 'C-0207', 'C-0234'] },
  {
    id: 'cloud-infrastructure',
    chapter: NET,
    title: 'Protecting sensitive cloud infrastructure',
    refs: ['NSA: least privilege', 'NSA: availability', 'C-0052', 'C-0222', 'C-0223', 'C-0225'],
  },
  { id: 'authentication', chapter: AUTH, title: 'Authentication', refs: ['NSA: authentication', 'C-0285'] },
  {
    id: 'rbac',
    chapter: AUTH,
    title: 'Role-based access control',
    refs: [
      'NSA: authorization',
      'C-0002',
      'C-0035',
      'C-0185',
      'C-0186',
      'C-0187',
      'C-0191',
      'C-0279',
      'C-0281',
      'C-0282',
    ],
  },
  { id: 'logging', chapter: AUDIT, title: 'Logging', refs: ['NSA: audit logging', 'C-0067'] },
  {
    id: 'threat-detection',
    chapter: AUDIT,
    title: 'Threat detection',
    refs: ['NSA: audit logging', 'C-0036', 'C-0039'],
  },
  {
    id: 'upgrading',
    chapter: UPGRADE,
    title: 'Upgrading and application security practices',
    refs: ['NSA: upgrading and application security practices', 'NSA: periodic review'],
  },
];
