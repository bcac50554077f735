import type { UpgradePlan } from './types';

/** The plan for pipelines: steps in execution order, then the insights. */
export function renderJson(plan: UpgradePlan): string {
  return `${JSON.stringify(
    {
      from: plan.from,
      to: plan.to,
      steps: plan.steps.map((s) => ({
        round: s.round,
        component: s.component,
        name: s.name,
        from: s.from,
        to: s.to,
      })),
      insights: plan.insights,
    },
    null,
    2,
  )}\n`;
}

/** The plan for people: numbered steps per round, what to deploy, then what blocks or warns. */
export function renderText(plan: UpgradePlan): string {
  const lines = [
    `hardened-eks upgrade-plan: cluster ${plan.cluster} (environment ${plan.environment}), ${plan.from} -> ${plan.to}`,
    '',
  ];
  const rounds = [...new Set(plan.steps.map((s) => s.round))];
  if (rounds.length === 0)
    lines.push('Nothing to do: the cluster, its node groups and add-ons match the config.');
  let n = 0;
  const width = Math.max(0, ...plan.steps.map((s) => s.name.length));
  for (const round of rounds) {
    const steps = plan.steps.filter((s) => s.round === round);
    const deploy = steps.some((s) => s.component === 'control-plane')
      ? `set kubernetesVersion "${round}" for ${plan.environment}, then deploy`
      : 'deploy';
    lines.push(`Round ${round} (${deploy}: npx cdk deploy --all -c env=${plan.environment})`);
    for (const s of steps) {
      n += 1;
      lines.push(
        `  ${String(n).padStart(2)}. ${s.component.padEnd(13)} ${s.name.padEnd(width)}  ${s.from} -> ${s.to}`,
      );
    }
    lines.push('');
  }
  if (plan.insights.length > 0) {
    lines.push('Upgrade insights (EKS UPGRADE_READINESS):');
    for (const i of plan.insights) {
      const at = i.kubernetesVersion ? ` [${i.kubernetesVersion}]` : '';
      lines.push(`  ${i.blocking ? 'BLOCKS' : 'WARN  '} ${i.name}${at}: ${i.reason ?? i.id}`);
      for (const d of i.deprecations) {
        const replaced = d.replacedWith ? `, use ${d.replacedWith}` : '';
        const removed = d.stopServingVersion ? ` (removed in ${d.stopServingVersion}${replaced})` : replaced;
        const clients = d.clients.length > 0 ? `; called by ${d.clients.join(', ')}` : '';
        lines.push(`         ${d.usage}${removed}${clients}`);
      }
      if (i.recommendation) lines.push(`         ${i.recommendation}`);
    }
    lines.push('');
  }
  const blocking = plan.insights.filter((i) => i.blocking).length;
  lines.push(
    `${plan.steps.length} step(s) in ${rounds.length} round(s); ${blocking} insight(s) block, ${plan.insights.length - blocking} warn`,
  );
  return `${lines.join('\n')}\n`;
}
