/**
 * Throughput of the offline admission evaluator over the upstream Pod Security corpus: objects per second
 * through policy 2 alone and through every policy of the default environment (what `check` runs); and of
 * `check` end to end on 5,000 Deployments in one file (read as kubectl reads YAML, every policy, the JSON
 * report). Part of `npm run bench`; `npm run bench:admission` runs it alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  AdmissionEvaluator,
  checkObjects,
  namespaceObject,
  parseManifests,
  requestFor,
  type AdmissionRequest,
  type KubeObject,
} from '../lib/admission';
import { resolveConfig } from '../lib/config';
import { POLICY_ID_LABEL, admissionPolicies } from '../policies';
import { deploymentYaml } from '../test/support/manifests';

const ROOT = path.join(__dirname, '..');
const CORPUS = process.env.PSS_FIXTURES_DIR ?? path.join(ROOT, '..', 'shared', 'fixtures', 'pss');

function requests(): AdmissionRequest[] {
  const out: AdmissionRequest[] = [];
  for (const level of fs.readdirSync(CORPUS).filter((d) => fs.statSync(path.join(CORPUS, d)).isDirectory()))
    for (const version of fs.readdirSync(path.join(CORPUS, level)))
      for (const verdict of ['pass', 'fail']) {
        const dir = path.join(CORPUS, level, version, verdict);
        if (!fs.existsSync(dir)) continue;
        const ns = namespaceObject('app', {
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': version,
        });
        for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
          const pod = parse(fs.readFileSync(path.join(dir, f), 'utf-8')) as KubeObject;
          out.push(requestFor(pod, { namespace: 'app', namespaceObject: ns }));
        }
      }
  return out;
}

function throughput(evaluator: AdmissionEvaluator, reqs: readonly AdmissionRequest[]): number {
  for (const r of reqs) evaluator.evaluate(r); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 1000) {
    for (const r of reqs) evaluator.evaluate(r);
    n += reqs.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (n / elapsed) * 1000;
}

const CHECK_OBJECTS = 5000;

/**
 * `check` end to end on one file of 5,000 Deployments, best of three runs: objects per second by the
 * clock and by CPU time (the machine may be shared; CPU time is the steadier figure).
 */
function checkThroughput(evaluator: AdmissionEvaluator): { wall: number; cpu: number } {
  const text = Array.from({ length: CHECK_OBJECTS }, (_, i) => deploymentYaml(`web-${i}`)).join('---\n');
  let wall = Infinity;
  let cpu = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    const usage = process.cpuUsage();
    const { objects, errors } = parseManifests('bench.yaml', text);
    if (errors.length > 0 || objects.length !== CHECK_OBJECTS) throw new Error('bench input did not parse');
    JSON.stringify({ results: checkObjects(evaluator, objects, { version: 'v1.34' }) });
    const used = process.cpuUsage(usage);
    wall = Math.min(wall, Number(process.hrtime.bigint() - start) / 1e6);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall: (CHECK_OBJECTS / wall) * 1000, cpu: (CHECK_OBJECTS / cpu) * 1000 };
}

export function benchAdmission(): void {
  console.log('\nadmission evaluator (objects/s over the Pod Security corpus)');
  if (!fs.existsSync(CORPUS)) {
    console.log(`  skipped: corpus not found at ${CORPUS} (set PSS_FIXTURES_DIR)`);
    return;
  }
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf-8'));
  const env = resolveConfig(cdkJson.context.blueprint).environments[0];
  const start = process.hrtime.bigint();
  const all = AdmissionEvaluator.compile(admissionPolicies(env.admission));
  const compileMs = Number(process.hrtime.bigint() - start) / 1e6;
  const pss = all.filter((p) => p.labels[POLICY_ID_LABEL] === 'pod-security');
  const reqs = requests();
  console.log(`  compile all ${all.policyNames.length} policies: ${compileMs.toFixed(0)} ms (once per run)`);
  console.log(
    `  pod-security only:   ${throughput(pss, reqs).toFixed(0).padStart(7)} objects/s (${reqs.length} pods)`,
  );
  console.log(
    `  every policy:        ${throughput(all, reqs).toFixed(0).padStart(7)} objects/s (${reqs.length} pods)`,
  );
  const e2e = checkThroughput(all);
  console.log(
    `  check end to end:    ${e2e.wall.toFixed(0).padStart(7)} objects/s (${CHECK_OBJECTS} Deployments in one file; ${e2e.cpu.toFixed(0)} objects per CPU second)`,
  );
}

if (require.main === module) benchAdmission();
