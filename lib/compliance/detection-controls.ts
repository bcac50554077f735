import { AUDIT_ALARMS } from '../constructs/audit/audit-rules';
import type { AuditAlarmId } from '../config';
import type { Control } from './controls';

/*
 * Catalogue entries of the detection stack (EKS-DET-*) and image assurance (EKS-IMG-*), spread into
 * CONTROLS. Kept in their own file so each area's entries are edited apart.
 */
const AUDIT_TEST = 'test/constructs/audit/audit-rules.test.ts';
const DET_TEST = 'test/stacks/detection-stack.test.ts';
const ALARMS = 'lib/constructs/audit/audit-rules.ts#AUDIT_ALARMS';

/** The alarm's filter-pattern limitation and its fallback query, from the alarm definition itself. */
function limitationOf(id: AuditAlarmId): string | undefined {
  const l = AUDIT_ALARMS.find((a) => a.id === id)?.limitation;
  return l && `${l.note} Fallback: saved Logs Insights query "${l.queryId}".`;
}

/** Detection (audit alarms, queries, GuardDuty, dashboard) and image assurance: lib/stacks/detection-stack.ts. */
export const DETECTION_CONTROLS: readonly Control[] = [
  {
    id: 'EKS-DET-001',
    title: 'Alarm on allowed requests by system:anonymous / system:unauthenticated',
    rationale: 'An anonymous request that succeeds means an RBAC binding grants the internet access.',
    frameworks: {
      cisEks: ['2.1.2'],
      nsa: ['NSA: authentication', 'NSA: audit logging'],
      mitre: ['MS-TA9029', 'MS-M9020'],
    },
    enforcedBy: [
      ALARMS,
      'lib/constructs/audit-alarms.ts#AuditAlarms',
      'lib/constructs/audit/queries.ts#anonymous-allowed',
    ],
    provedBy: `${AUDIT_TEST} > EKS-DET-001`,
    deviationField: 'detection.alarms.anonymousAllowed',
    limitation: limitationOf('anonymousAllowed'),
  },
  {
    id: 'EKS-DET-002',
    title: 'Alarm on pods/exec, pods/attach, pods/portforward and ephemeral debug containers',
    rationale: 'A shell in a running container bypasses the image and deployment pipeline.',
    frameworks: {
      cisEks: ['2.1.2'],
      nsa: ['C-0002', 'NSA: audit logging'],
      mitre: ['MS-TA9006', 'MS-TA9007', 'MS-M9010'],
    },
    enforcedBy: [ALARMS, 'lib/constructs/audit-alarms.ts#AuditAlarms'],
    provedBy: `${AUDIT_TEST} > EKS-DET-002`,
    deviationField: 'detection.alarms.podExec',
  },
  {
    id: 'EKS-DET-003',
    title: 'Alarm on (Cluster)RoleBindings to cluster-admin or system:masters',
    rationale: 'A new cluster-admin binding is the classic persistence and privilege-escalation step.',
    frameworks: {
      cisEks: ['4.1.1', '4.1.8'],
      nsa: ['C-0035', 'NSA: audit logging'],
      mitre: ['MS-TA9019', 'MS-M9003'],
    },
    enforcedBy: [
      ALARMS,
      'lib/constructs/audit-alarms.ts#AuditAlarms',
      'lib/constructs/audit/queries.ts#rbac-changes',
    ],
    provedBy: `${AUDIT_TEST} > EKS-DET-003`,
    deviationField: 'detection.alarms.privilegedBinding',
    limitation: limitationOf('privilegedBinding'),
  },
  {
    id: 'EKS-DET-004',
    title: 'Alarm on changes to webhook configurations and admission policies',
    rationale: 'A rogue or disabled admission controller silently removes every policy control.',
    frameworks: { cisEks: ['4.1.11'], nsa: ['C-0036', 'C-0039'], mitre: ['MS-TA9015'] },
    enforcedBy: [ALARMS, 'lib/constructs/audit-alarms.ts#AuditAlarms'],
    provedBy: `${AUDIT_TEST} > EKS-DET-004`,
    deviationField: 'detection.alarms.admissionConfigChange',
  },
  {
    id: 'EKS-DET-005',
    title: 'Alarm on spikes of 401/403 responses',
    rationale: 'Bursts of denied requests are credential stuffing, scanning or a stolen token probing RBAC.',
    frameworks: { cisEks: ['2.1.2'], nsa: ['NSA: audit logging'], mitre: ['MS-TA9029', 'MS-TA9001'] },
    enforcedBy: [ALARMS, 'lib/constructs/audit-alarms.ts#AuditAlarms'],
    provedBy: `${AUDIT_TEST} > EKS-DET-005`,
    deviationField: 'detection.alarms.authFailures',
  },
  {
    id: 'EKS-DET-006',
    title: 'Alarm on Secret reads by non-control-plane identities above a threshold',
    rationale: 'Mass secret reads are credential access; the control plane’s own reads are excluded.',
    frameworks: { cisEks: ['4.1.2'], nsa: ['C-0015'], mitre: ['MS-TA9025'] },
    enforcedBy: [
      ALARMS,
      'lib/constructs/audit-alarms.ts#AuditAlarms',
      'lib/constructs/audit/queries.ts#secret-reads',
    ],
    provedBy: `${AUDIT_TEST} > EKS-DET-006`,
    deviationField: 'detection.alarms.secretReads',
  },
  {
    id: 'EKS-DET-007',
    title: 'Alarm on Pod Security, admission-policy and webhook denials',
    rationale: 'Denials show someone trying to run privileged or non-compliant workloads.',
    frameworks: { cisEks: ['4.2.1', '4.2.4'], nsa: ['C-0057'], mitre: ['MS-TA9018', 'MS-M9017'] },
    enforcedBy: [
      ALARMS,
      'lib/constructs/audit-alarms.ts#AuditAlarms',
      'lib/constructs/audit/queries.ts#policy-violations',
    ],
    provedBy: `${AUDIT_TEST} > EKS-DET-007`,
    deviationField: 'detection.alarms.admissionDenials',
    limitation: limitationOf('admissionDenials'),
  },
  {
    id: 'EKS-DET-008',
    title: 'Alarm when the control plane stops delivering audit events',
    rationale: 'Every other detection is blind if audit logging is turned off or broken.',
    frameworks: {
      cisEks: ['2.1.1', '2.1.2'],
      nsa: ['C-0067', 'NSA: audit logging'],
      mitre: ['MS-TA9021', 'MS-M9020'],
    },
    enforcedBy: [ALARMS, 'lib/constructs/audit-alarms.ts#AuditAlarms'],
    provedBy: `${AUDIT_TEST} > EKS-DET-008`,
    deviationField: 'detection.alarms.auditLogSilence',
  },
  {
    id: 'EKS-DET-010',
    title:
      'Alarms notify a KMS-encrypted, TLS-only SNS topic that only this account’s alarms and rule may use',
    rationale:
      'Alarm payloads name users and resources; the topic policy admits CloudWatch and EventBridge only with aws:SourceAccount/aws:SourceArn (confused deputy), and the key serves only this topic (kms:EncryptionContext:aws:sns:topicArn).',
    frameworks: { nsa: ['NSA: audit logging', 'NSA: encryption'], mitre: ['MS-M9020'] },
    enforcedBy: [
      'lib/constructs/alarm-topic.ts#AlarmTopic',
      'lib/constructs/blueprint-key.ts#alarms',
      'lib/compliance/rules#EKS-DET-010',
    ],
    provedBy: `${DET_TEST} > EKS-DET-010`,
  },
  {
    id: 'EKS-DET-011',
    title: 'Saved Logs Insights queries for investigations',
    rationale: 'Responders start from reviewed queries instead of writing them during an incident.',
    frameworks: { cisEks: ['2.1.2'], nsa: ['NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: [
      'lib/constructs/audit/queries.ts#auditQueries',
      'lib/constructs/audit-queries.ts#AuditQueries',
    ],
    provedBy: `${DET_TEST} > EKS-DET-011`,
  },
  {
    id: 'EKS-DET-012',
    title: 'GuardDuty EKS audit-log and runtime monitoring (managed agent add-on)',
    rationale:
      'Managed threat detection on the audit log and on node/container behaviour (e.g. crypto mining).',
    frameworks: { nsa: ['NSA: audit logging'], mitre: ['MS-TA9039', 'MS-TA9009', 'MS-TA9006'] },
    enforcedBy: ['lib/constructs/guardduty.ts#GuardDutyEks'],
    provedBy: 'test/constructs/guardduty.test.ts > EKS-DET-012',
    deviationField: 'detection.guardDuty.mode',
  },
  {
    id: 'EKS-DET-013',
    title: 'GuardDuty findings about the cluster reach the alarm topic and the dashboard',
    rationale: 'Findings nobody sees are not detection; the rule also provides the findings metric.',
    frameworks: { nsa: ['NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: ['lib/constructs/guardduty.ts#GuardDutyFindings'],
    provedBy: `${DET_TEST} > EKS-DET-013`,
  },
  {
    id: 'EKS-DET-014',
    title: 'Container Insights (CloudWatch Observability add-on) with its own Pod Identity role',
    rationale: 'Node, pod and API-server metrics show resource hijacking and denial of service.',
    frameworks: { nsa: ['NSA: audit logging'], mitre: ['MS-TA9039', 'MS-TA9040'] },
    enforcedBy: ['lib/constructs/container-insights.ts#ContainerInsights'],
    provedBy: `${DET_TEST} > EKS-DET-014`,
    deviationField: 'detection.containerInsights',
  },
  {
    id: 'EKS-DET-015',
    title: 'A security dashboard per environment',
    rationale: 'On-call sees alarm states, audit metrics, findings and nodes on one page.',
    frameworks: { nsa: ['NSA: audit logging'], mitre: ['MS-M9020'] },
    enforcedBy: ['lib/constructs/security-dashboard.ts#SecurityDashboard'],
    provedBy: `${DET_TEST} > EKS-DET-015`,
  },
  {
    id: 'EKS-IMG-001',
    title: 'ECR repositories scan images on push',
    rationale: 'Known-vulnerable images are flagged before they are deployed.',
    frameworks: {
      cisEks: ['5.1.1'],
      nsa: ['C-0221', 'NSA: vulnerability scanning'],
      mitre: ['MS-TA9002', 'MS-M9005'],
    },
    enforcedBy: ['lib/constructs/image-repository.ts#imageScanOnPush', 'lib/compliance/rules#EKS-IMG-001'],
    provedBy: `${DET_TEST} > EKS-IMG-001`,
  },
  {
    id: 'EKS-IMG-002',
    title: 'ECR image tags are immutable',
    rationale: 'A pushed tag cannot be replaced by a compromised image under the same name.',
    frameworks: { cisEks: ['5.1.1'], nsa: ['NSA: supply chain'], mitre: ['MS-TA9002', 'MS-M9005'] },
    enforcedBy: ['lib/constructs/image-repository.ts#imageTagMutability', 'lib/compliance/rules#EKS-IMG-002'],
    provedBy: `${DET_TEST} > EKS-IMG-002`,
  },
  {
    id: 'EKS-IMG-003',
    title: 'ECR repositories are KMS-encrypted, retained and have lifecycle rules',
    rationale: 'Images are encrypted under the org’s key; stale and untagged images expire.',
    frameworks: { nsa: ['NSA: encryption'], mitre: ['MS-TA9037'] },
    enforcedBy: ['lib/constructs/image-repository.ts#ImageRepository', 'lib/compliance/rules#EKS-IMG-003'],
    provedBy: `${DET_TEST} > EKS-IMG-003`,
  },
  {
    id: 'EKS-IMG-004',
    title: 'Only the cluster’s nodes may pull from the repositories',
    rationale: 'The repository policy denies pulls by any other principal, whatever its IAM policy says.',
    frameworks: { cisEks: ['5.1.2', '5.1.3'], nsa: ['C-0222', 'C-0223'], mitre: ['MS-TA9037', 'MS-M9003'] },
    enforcedBy: ['lib/constructs/image-repository.ts#NobodyElsePulls'],
    provedBy: `${DET_TEST} > EKS-IMG-004`,
  },
];
