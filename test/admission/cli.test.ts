import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/admission/cli';
import { FIXTURE_CDK_JSON } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4.2';

function deployment(name: string, namespace = 'team-a', image = IMAGE): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { app.kubernetes.io/name: ${name}, owner: team-a }
spec:
  selector: { matchLabels: { app.kubernetes.io/name: ${name} } }
  template:
    metadata:
      labels: { app.kubernetes.io/name: ${name}, owner: team-a }
    spec:
      securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: app
          image: ${image}
          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
`;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-check-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  // The fixture config, never the fork's cdk.json (unless a test passes its own --config).
  const args = argv.includes('--config') ? argv : ['--config', FIXTURE_CDK_JSON, ...argv];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: ROOT });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('check | verdicts and exit codes', () => {
  test('GIVEN a compliant manifest THEN exit 0 and a one-line summary', async () => {
    const r = await run(write('ok.yaml', deployment('web')));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('1 object checked against environment dev: 0 denied, 0 violations\n');
  });

  test('GIVEN violations THEN exit 1 with file, line, object, policy and message', async () => {
    const file = write('bad.yaml', `${deployment('web')}---\n${deployment('api', 'team-a', 'nginx:latest')}`);
    const r = await run(file);
    expect(r.code).toBe(1);
    const rel = path.relative(ROOT, file);
    expect(r.stdout).toContain(
      `${rel}:20: Deployment/team-a/api: [allowed-registries] images must come from an allowed registry (111111111111.dkr.ecr.us-east-1.amazonaws.com, public.ecr.aws/aws-observability, docker.io/aquasec, ghcr.io/external-secrets): nginx:latest`,
    );
    expect(r.stdout).toContain(`${rel}:20: Deployment/team-a/api: [image-pinning]`);
    expect(r.stdout).toMatch(/2 objects checked against environment dev: 1 denied, 2 violations\n$/);
  });

  test('GIVEN --format json THEN stdout is one JSON object with a result per object', async () => {
    const r = await run('--format', 'json', write('a.yaml', deployment('api', 'default')));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.results).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'api',
        namespace: 'default',
        allowed: false,
        violations: [
          expect.objectContaining({
            policy: 'secrets-hygiene',
            message: 'workloads must not run in the default namespace; use a tenant namespace',
          }),
        ],
      }),
    ]);
    expect(report.summary).toEqual({ objects: 1, denied: 1, violations: 1 });
  });

  test('GIVEN Helm-rendered multi-document YAML, Lists and directories THEN every object is checked', async () => {
    write(
      'chart/rendered.yaml',
      `---\n# Source: app/templates/deploy.yaml\n${deployment('a')}---\n# Source: empty.yaml\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: s, namespace: team-a }\n    spec: { type: NodePort, ports: [{ port: 80 }] }\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: c, namespace: team-a }\n`,
    );
    write('chart/sub/b.yml', deployment('b'));
    write('chart/README.md', 'not a manifest');
    const r = await run('--format', 'json', path.join(dir, 'chart'));
    const report = JSON.parse(r.stdout);
    expect(
      report.results.map(
        (x: { kind: string; name: string; line: number }) => `${x.kind}/${x.name}@${x.line}`,
      ),
    ).toEqual(['Deployment/a@3', 'Service/s@27', 'ConfigMap/c@31', 'Deployment/b@1']);
    expect(r.code).toBe(1);
  });

  test('GIVEN --only THEN only those policies are evaluated', async () => {
    const file = write('x.yaml', deployment('api', 'team-a', 'nginx:latest'));
    expect((await run('--only', 'pod-security', file)).code).toBe(0);
    expect((await run('--only', 'pod-security,image-pinning', file)).code).toBe(1);
  });

  test('GIVEN --level baseline or a Namespace in the input THEN its Pod Security level applies', async () => {
    const root = deployment('web')
      .replace(/ {6}securityContext: .*\n/, '')
      .replace(/ {10}securityContext: .*\n/, '');
    const file = write('root.yaml', root);
    expect((await run('--only', 'pod-security', file)).code).toBe(1);
    expect((await run('--only', 'pod-security', '--level', 'baseline', file)).code).toBe(0);
    const ns =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: { pod-security.kubernetes.io/enforce: baseline }\n---\n';
    expect((await run('--only', 'pod-security', write('with-ns.yaml', ns + root))).code).toBe(0);
  });

  test('GIVEN a policy the environment runs in Warn THEN its violations are warnings and exit 0', async () => {
    const cdk = JSON.parse(fs.readFileSync(FIXTURE_CDK_JSON, 'utf-8'));
    cdk.context.blueprint.org.admission = { warnOnlyPolicies: ['image-pinning'] };
    const config = write('cdk.json', JSON.stringify(cdk));
    const r = await run(
      '--config',
      config,
      write('x.yaml', deployment('api', 'team-a', IMAGE.replace('1.4.2', 'latest'))),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Deployment/team-a/api: warning: [image-pinning] images must carry a version tag',
    );
  });

  test('GIVEN 500 small manifests THEN they are checked in seconds', async () => {
    for (let i = 0; i < 500; i++) write(`many/d${String(i).padStart(3, '0')}.yaml`, deployment(`web-${i}`));
    const start = Date.now();
    const r = await run('--format', 'json', path.join(dir, 'many'));
    const seconds = (Date.now() - start) / 1000;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toHaveLength(500);
    expect(seconds).toBeLessThan(10);
  });
});

describe('check | bin/check.ts', () => {
  test('GIVEN the bin with a file and stdin THEN --format json prints clean JSON on stdout, exit code is the verdict', () => {
    const file = write('x.yaml', deployment('api', 'team-a', 'nginx'));
    const r = spawnSync(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        'bin/check.ts',
        '--config',
        FIXTURE_CDK_JSON,
        '--format',
        'json',
        file,
        '-',
      ],
      {
        cwd: ROOT,
        encoding: 'utf-8',
        input: deployment('from-stdin'),
      },
    );
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout).results;
    expect(results[0]).toMatchObject({ name: 'api', allowed: false });
    expect(results[1]).toMatchObject({ file: '<stdin>', line: 1, name: 'from-stdin', allowed: true });
  });
});

describe('check | invalid input exits 2 with file and line', () => {
  test('a YAML syntax error', async () => {
    const file = write(
      'broken.yaml',
      `${deployment('a')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n`,
    );
    const r = await run('--format', 'json', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${path.basename(file)}:24:\\d+: error: `));
    expect(JSON.parse(r.stdout)).toMatchObject({ errors: [{ line: 24 }], results: [] });
  });

  test('a document that is not a Kubernetes object', async () => {
    const r = await run(
      write('x.yaml', `${deployment('a')}---\njust a string\n---\nmetadata: { name: x }\n`),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.yaml:20:1: error: document 2 is not a Kubernetes object/);
    expect(r.stderr).toMatch(/x\.yaml:22:1: error: document 3 has no apiVersion and kind/);
  });

  test('a missing file, an unknown flag, an unknown policy, an unknown environment', async () => {
    expect(await run(path.join(dir, 'nope.yaml'))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/nope\.yaml:0:0: error: cannot be read/),
    });
    expect(await run('--frobnicate', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown flag --frobnicate[\s\S]*usage:/),
    });
    expect(await run('--only', 'nope', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--only: unknown policy nope/),
    });
    expect(await run('--env', 'prod', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/is not an environment/),
    });
    expect(await run('--level', 'strict', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--level must be/),
    });
    expect(await run()).toMatchObject({ code: 2, stderr: expect.stringMatching(/name at least one file/) });
  });
});
