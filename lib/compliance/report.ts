import type { BlueprintConfig } from '../config';
import type { Control } from './controls';
import { DEVIATION_RULES, deviations } from './deviations';

/** The declared deviations come from the one list in deviations.ts; re-exported for the report's readers. */
export { deviations, type Deviation } from './deviations';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The config fields through which a control can be weakened, from the one list (deviations.ts). */
function weakenedThrough(controlId: string): string[] {
  return DEVIATION_RULES.filter((r) => r.controlIds.includes(controlId)).map((r) => r.field);
}

/**
 * The control catalogue as Markdown: one row per control, the config fields that can weaken a control
 * (with why), then the deviations the given configuration declares.
 */
export function renderControlsMarkdown(controls: readonly Control[], config?: BlueprintConfig): string {
  const lines = [
    '# Controls',
    '',
    'Generated from `lib/compliance/controls.ts` and `lib/compliance/deviations.ts` by `npm run docs`; do not edit by hand.',
    '',
    '| ID | control | CIS EKS 1.8 | NSA / Kubescape | MITRE (MS threat matrix) | enforced by | proved by | weakened only through |',
    '|---|---|---|---|---|---|---|---|',
    ...controls.map((c) => {
      const fields = weakenedThrough(c.id);
      return [
        c.id,
        cell(c.title),
        (c.frameworks.cisEks ?? []).join(', '),
        cell((c.frameworks.nsa ?? []).join(', ')),
        (c.frameworks.mitre ?? []).join(', '),
        c.enforcedBy.map((x) => `\`${x}\``).join('<br>'),
        `\`${c.provedBy}\``,
        fields.length > 0 ? fields.map((f) => `\`${f}\``).join('<br>') : '—',
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |');
    }),
    '',
    '## Config fields that weaken a control',
    '',
    'A weakening is possible only through these fields; each value that weakens a control is a declared deviation,',
    'shown by the posture report, accepted by the synth-time checks and by `verify`.',
    '',
    '| field | controls | what it costs |',
    '|---|---|---|',
    ...DEVIATION_RULES.map((r) => `| \`${r.field}\` | ${r.controlIds.join(', ')} | ${cell(r.reason)} |`),
    '',
  ];
  if (config) {
    const devs = deviations(config);
    lines.push('## Declared deviations in the shipped configuration', '');
    if (devs.length === 0) lines.push('None.', '');
    else {
      lines.push('| environment | control | field | value | what it costs |', '|---|---|---|---|---|');
      for (const d of devs)
        lines.push(
          `| ${d.environment} | ${d.controlId} | \`${d.field}\` | ${cell(d.value)} | ${cell(d.reason)} |`,
        );
      lines.push('');
    }
  }
  return lines.join('\n');
}
