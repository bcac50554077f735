import type { Control } from './controls';

/*
 * Catalogue entries of delivery (EKS-DLV-*: the GitHub workflows and the optional CDK pipeline) and of a
 * fork's extensions (EKS-ADM-011), spread into CONTROLS. Kept in their own file so each area's entries
 * are edited apart.
 */
const WORKFLOWS_TEST = 'test/fork/workflows.test.ts';
const PIPELINE_TEST = 'test/stacks/pipeline-stack.test.ts';

export const DELIVERY_CONTROLS: readonly Control[] = [
  {
    id: 'EKS-ADM-011',
    title: "The org's own manifests pass the environment's admission policies as a plain user, at synth",
    rationale:
      "A fork must not ship through the platform what a tenant could not: org/manifests are checked like a tenant's apply, not as the deployer.",
    frameworks: { nsa: ['NSA: pod security'], mitre: ['MS-TA9018', 'MS-M9011'] },
    enforcedBy: ['lib/extensions/index.ts#ExtensionRegistry.manifests'],
    provedBy: 'test/extensions/registry.test.ts > EKS-ADM-011',
  },
  {
    id: 'EKS-DLV-001',
    title: 'Deployments authenticate with short-lived OIDC credentials; CI holds no long-lived AWS keys',
    rationale:
      'A stored access key outlives the run that uses it and leaks with the repository settings; an OIDC role is assumed per job and trusts one repository and environment.',
    frameworks: { nsa: ['NSA: authentication'], mitre: ['MS-TA9001'] },
    enforcedBy: ['.github/workflows/deploy.yml', '.github/workflows/ci.yml'],
    provedBy: `${WORKFLOWS_TEST} > EKS-DLV-001`,
  },
  {
    id: 'EKS-DLV-002',
    title: 'A change deploys only after synthesis with cdk-nag and the control checks, and check, pass',
    rationale:
      'The synth-time checks and the offline admission check are the gate; a path to production around them makes every control optional.',
    frameworks: { nsa: ['NSA: periodic review'], mitre: ['MS-M9005'] },
    enforcedBy: [
      '.github/workflows/ci.yml',
      '.github/workflows/deploy.yml',
      'lib/stacks/pipeline-stack.ts#synthCommands',
    ],
    provedBy: `${WORKFLOWS_TEST} > EKS-DLV-002`,
  },
  {
    id: 'EKS-DLV-003',
    title: 'An environment marked approval: true deploys only after a person approves',
    rationale:
      'Production changes get a second pair of eyes; without reviewers on the GitHub environment the deploy job fails closed.',
    frameworks: { nsa: ['NSA: authorization'] },
    enforcedBy: ['.github/workflows/deploy.yml', 'lib/stacks/pipeline-stack.ts#PipelineStack'],
    provedBy: `${WORKFLOWS_TEST} > EKS-DLV-003`,
  },
  {
    id: 'EKS-DLV-004',
    title: 'Pipeline artifacts are encrypted with a rotating, retained customer-managed key',
    rationale:
      'Synthesized templates and assets describe the whole platform; a KMS key also lets other accounts read them and nobody else.',
    frameworks: { nsa: ['NSA: encryption'] },
    enforcedBy: ['lib/stacks/pipeline-stack.ts#PipelineStack'],
    provedBy: `${PIPELINE_TEST} > EKS-DLV-004`,
  },
  {
    id: 'EKS-DLV-005',
    title: "Pipeline roles reach only the pipeline's artifacts and logs and the CDK bootstrap roles",
    rationale:
      'The pipeline deploys through the bootstrap roles of each account; its own roles must not be a broader way in.',
    frameworks: { nsa: ['NSA: least privilege'], mitre: ['MS-M9003'] },
    enforcedBy: ['lib/stacks/pipeline-stack.ts#PipelineStack'],
    provedBy: `${PIPELINE_TEST} > EKS-DLV-005`,
  },
  {
    id: 'EKS-DLV-006',
    title: 'verify runs against every environment right after it deploys',
    rationale:
      'A deployment that succeeded is not yet a cluster that matches its controls; verify proves it live.',
    frameworks: { nsa: ['NSA: periodic review'] },
    enforcedBy: ['.github/workflows/deploy.yml', 'lib/stacks/pipeline-stack.ts#verifyCommands'],
    provedBy: `${WORKFLOWS_TEST} > EKS-DLV-006`,
  },
];
