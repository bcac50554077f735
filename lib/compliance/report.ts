import type { BlueprintConfig, EnvironmentConfig } from '../config';
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
