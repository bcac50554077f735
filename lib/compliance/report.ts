import type { BlueprintConfig, EnvironmentConfig } from '../config';
import { POLICIES } from '../../policies';
import type { Control } from './controls';

/** A control weakened by an environment's config, as the report shows it. */
export interface Deviation {
  readonly environment: string;
  readonly controlId: string;
  readonly field: string;
  readonly value: string;
}

/** Which declared config values weaken which control, per environment. */
export function deviations(config: BlueprintConfig): Deviation[] {
  return config.environments.flatMap((e: EnvironmentConfig) => {
    const out: Deviation[] = [];
    const add = (controlId: string, field: string, value: unknown) =>
      out.push({ environment: e.name, controlId, field, value: JSON.stringify(value) });
    if (e.endpointAccess !== 'private') add('EKS-NET-001', 'publicEndpointCidrs', e.publicEndpointCidrs);
    if (e.cisLevel !== 2) add('EKS-NODE-008', 'cisLevel', e.cisLevel);
    if (!e.clusterDeletionProtection) add('EKS-OPS-001', 'clusterDeletionProtection', false);
    if (!e.terminationProtection) add('EKS-OPS-001', 'terminationProtection', false);
    for (const t of e.tenants.filter((x) => x.allowExec))
      add('EKS-K8S-RBAC-002', `tenants[${t.name}].allowExec`, true);
    for (const [ns, ex] of Object.entries(e.baseline.namespaceExceptions)) {
      add('EKS-K8S-PSA-001', `baseline.namespaceExceptions.${ns}`, `${ex.enforce}: ${ex.reason}`);
    }
    const a = e.admission;
    for (const id of a.warnOnlyPolicies) {
      for (const c of POLICIES[id].controls)
        add(c, 'admission.warnOnlyPolicies', `${id}: Warn, Audit (not Deny)`);
    }
    if (a.allowPodExec) add('EKS-ADM-010', 'admission.allowPodExec', true);
    if (a.execAllowedNamespaces.length > 0) {
      add('EKS-ADM-010', 'admission.execAllowedNamespaces', a.execAllowedNamespaces);
    }
    const ownRegistry = `${e.account}.dkr.ecr.${e.region}.amazonaws.com`;
    const otherRegistries = a.allowedRegistries.filter((r) => r !== ownRegistry);
    if (otherRegistries.length > 0) add('EKS-ADM-003', 'admission.allowedRegistries', otherRegistries);
    if (a.internetFacingLoadBalancerNamespaces.length > 0) {
      add(
        'EKS-ADM-008',
        'admission.internetFacingLoadBalancerNamespaces',
        a.internetFacingLoadBalancerNamespaces,
      );
    }
    for (const [ns, level] of Object.entries(a.podSecurityExceptions)) {
      if (!e.baseline.namespaceExceptions[ns])
        add('EKS-ADM-001', `admission.podSecurityExceptions.${ns}`, level);
    }
    if (e.detection.guardDuty.mode === 'off') add('EKS-DET-012', 'detection.guardDuty.mode', 'off');
    if (!e.detection.containerInsights.enabled)
      add('EKS-DET-014', 'detection.containerInsights.enabled', false);
    return out;
  });
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The control catalogue as Markdown: one row per control, then the declared deviations. */
export function renderControlsMarkdown(controls: readonly Control[], config?: BlueprintConfig): string {
  const lines = [
    '# Controls',
    '',
    'Generated from `lib/compliance/controls.ts` by `npm run docs`; do not edit by hand.',
    '',
    '| ID | control | CIS EKS 1.8 | NSA / Kubescape | MITRE (MS threat matrix) | enforced by | proved by | weakened only through |',
    '|---|---|---|---|---|---|---|---|',
    ...controls.map((c) =>
      [
        c.id,
        cell(c.title),
        (c.frameworks.cisEks ?? []).join(', '),
        cell((c.frameworks.nsa ?? []).join(', ')),
        (c.frameworks.mitre ?? []).join(', '),
        c.enforcedBy.map((x) => `\`${x}\``).join('<br>'),
        `\`${c.provedBy}\``,
        c.deviationField ? `\`${c.deviationField}\`` : '—',
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '',
  ];
  if (config) {
    const devs = deviations(config);
    lines.push('## Declared deviations in the shipped configuration', '');
    if (devs.length === 0) lines.push('None.', '');
    else {
      lines.push('| environment | control | field | value |', '|---|---|---|---|');
      for (const d of devs)
        lines.push(`| ${d.environment} | ${d.controlId} | \`${d.field}\` | ${cell(d.value)} |`);
      lines.push('');
    }
  }
  return lines.join('\n');
}
