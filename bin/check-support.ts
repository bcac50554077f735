#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, resolveConfig, standardSupportShortfall } from '../lib/config';

/**
 * `.ci/run`: every environment of the shipped cdk.json must run a Kubernetes version with at least 60 days
 * of EKS standard support left, judged today (tests use a pinned date and never read cdk.json).
 * Usage: tsx bin/check-support.ts [--config cdk.json] [--date YYYY-MM-DD]. Exit 0 ok, 1 too old, 2 bad input.
 */
export function checkSupport(argv: readonly string[], today: string): { code: number; lines: string[] } {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = path.resolve(flag('--config') ?? 'cdk.json');
  const date = flag('--date') ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    return { code: 2, lines: [`--date must be YYYY-MM-DD (got "${date}")`] };
  let raw: unknown;
  try {
    raw = (JSON.parse(fs.readFileSync(file, 'utf-8')) as { context?: { blueprint?: unknown } }).context
      ?.blueprint;
  } catch {
    return { code: 2, lines: [`Cannot read ${file} as JSON`] };
  }
  try {
    const lines = resolveConfig(raw).environments.flatMap((env) => {
      const problem = standardSupportShortfall(env.kubernetesVersion, date);
      return problem
        ? [`${file}: environment ${env.name}: kubernetesVersion ${env.kubernetesVersion} ${problem}`]
        : [];
    });
    return { code: lines.length > 0 ? 1 : 0, lines };
  } catch (err) {
    if (ConfigError.isConfigError(err)) return { code: 2, lines: err.message.split('\n') };
    throw err;
  }
}

if (require.main === module) {
  const { code, lines } = checkSupport(process.argv.slice(2), new Date().toISOString().slice(0, 10));
  for (const l of lines) process.stderr.write(`check-support: ${l}\n`);
  if (code === 0)
    process.stdout.write(
      'check-support: every environment has at least 60 days of EKS standard support left\n',
    );
  process.exitCode = code;
}
