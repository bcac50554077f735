import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { AdmissionEvaluator, checkObjects, impersonatedUser, type KubeObject } from '../../lib/admission';
import { resolveConfig } from '../../lib/config';
import { FIXTURE_CDK_JSON, fixtureContext } from '../helpers';
import { lines, runCheck, type CheckRun } from '../support/check';
import { FIXTURE_IMAGE, deploymentYaml } from '../support/manifests';

const ROOT = path.join(__dirname, '..', '..');
const IMAGE = FIXTURE_IMAGE;
const deployment = deploymentYaml;

/** A ClusterRole that lets its holder mint tokens for any service account (rbac-guardrails denies it). */
const TOKEN_MINTER = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: token-minter
rules:
  - apiGroups: [""]
    resources: [serviceaccounts/token]
    verbs: [create]
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-check-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function run(...argv: (string | NodeJS.ReadableStream)[]): Promise<CheckRun> {
  const stdin = argv.find((a): a is NodeJS.ReadableStream => typeof a !== 'string');
  return runCheck(
    argv.filter((a): a is string => typeof a === 'string'),
    stdin ? { stdin } : {},
  );
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
    expect(r.stdout).toContain(
      `${file}:20: Deployment/team-a/api: [allowed-registries] images must come from an allowed registry (111111111111.dkr.ecr.us-east-1.amazonaws.com; in platform namespaces also public.ecr.aws/aws-observability, docker.io/aquasec, ghcr.io/external-secrets): nginx:latest`,
    );
    expect(r.stdout).toContain(`${file}:20: Deployment/team-a/api: [image-pinning]`);
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
    expect(report.skipped).toEqual([]);
  });

  test('GIVEN Helm-rendered multi-document YAML, Lists and directories THEN every object is checked', async () => {
    write(
      'chart/rendered.yaml',
      `---\n# Source: app/templates/deploy.yaml\n${deployment('a')}---\n# Source: empty.yaml\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: s, namespace: team-a }\n    spec: { type: NodePort, ports: [{ port: 80 }] }\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: c, namespace: team-a }\n`,
    );
    write('chart/sub/b.yml', deployment('b'));
    write('chart/.hidden.yaml', deployment('hidden'));
    write('chart/.git/config.yaml', 'not: [a manifest');
    write('chart/README.md', 'not a manifest');
    const r = await run('--format', 'json', path.join(dir, 'chart'));
    const report = JSON.parse(r.stdout);
    // A hidden file is applied by kubectl -f <dir>, so it is checked; version-control metadata is not walked.
    expect(
      report.results.map(
        (x: { kind: string; name: string; line: number }) => `${x.kind}/${x.name}@${x.line}`,
      ),
    ).toEqual(['Deployment/hidden@1', 'Deployment/a@3', 'Service/s@27', 'ConfigMap/c@31', 'Deployment/b@1']);
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

  test('GIVEN names and messages with terminal escapes THEN the text output shows them as ?', async () => {
    const file = write('x.yaml', deployment('web', 'team-a', '"nginx:latest\\e]0;owned\\a"'));
    const r = await run(file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nginx:latest?]0;owned?');
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

describe('check | --as and --as-group evaluate as the identity that applies the manifests', () => {
  const admission = resolveConfig(fixtureContext()).environments[0].admission;

  test('GIVEN --help THEN both flags are listed, exit 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--as <user>\s+the user admission sees \(request\.userInfo\.username\)/);
    expect(r.stdout).toMatch(/--as-group <group>\s+a group of that user.*repeat/);
    for (const flag of ['--max-bytes', '--allow-empty', '--format text|json|sarif'])
      expect(r.stdout).toContain(flag);
  });

  test('EKS-ADM-007: GIVEN a ClusterRole granting serviceaccounts/token create THEN denied for a plain user, admitted with the platform admin group', async () => {
    const file = write('role.yaml', TOKEN_MINTER);
    const plain = await run('--format', 'json', file);
    expect(plain.code).toBe(1);
    expect(JSON.parse(plain.stdout).results[0].violations).toEqual([
      expect.objectContaining({
        policy: 'rbac-guardrails',
        message: 'roles must not grant nodes/proxy or create on serviceaccounts/token',
      }),
    ]);
    const deployer = 'arn:aws:sts::111111111111:assumed-role/platform-deployer/session';
    expect((await run('--as', deployer, file)).code).toBe(1);
    const admin = await run(
      '--as',
      deployer,
      '--as-group',
      'team-x',
      '--as-group',
      admission.platformAdminGroup,
      '--format',
      'json',
      file,
    );
    expect(admin.code).toBe(0);
    // The output has the same shape whoever the user is.
    expect(Object.keys(JSON.parse(admin.stdout))).toEqual(Object.keys(JSON.parse(plain.stdout)));
  });

  test('GIVEN --as-group without --as, or an empty name THEN a usage error, as kubectl refuses it', async () => {
    const file = write('role.yaml', TOKEN_MINTER);
    expect(await run('--as-group', 'platform:admins', file)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^hardened-eks check: --as-group needs --as <user>/),
    });
    expect((await run('--as', '', file)).stderr).toMatch(/--as needs a user name/);
  });

  test('GIVEN --as THEN request.userInfo is what the API server builds for an impersonated user', () => {
    expect(impersonatedUser('jane')).toEqual({ username: 'jane', groups: ['system:authenticated'] });
    expect(impersonatedUser('jane', ['dev', 'ops'])).toEqual({
      username: 'jane',
      groups: ['dev', 'ops', 'system:authenticated'],
    });
    expect(impersonatedUser('jane', ['system:authenticated', 'dev']).groups).toEqual([
      'system:authenticated',
      'dev',
    ]);
    expect(impersonatedUser('system:serviceaccount:ci:deployer')).toEqual({
      username: 'system:serviceaccount:ci:deployer',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'],
    });
    expect(impersonatedUser('system:anonymous')).toEqual({
      username: 'system:anonymous',
      groups: ['system:unauthenticated'],
    });

    // And that is exactly what a policy's CEL sees.
    const policy: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'who' },
      spec: {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE'] },
          ],
        },
        validations: [
          {
            expression:
              "request.userInfo.username == 'jane' && request.userInfo.groups == ['ops', 'system:authenticated']",
          },
        ],
      },
    };
    const binding: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'who' },
      spec: { policyName: 'who', validationActions: ['Deny'] },
    };
    const evaluator = AdmissionEvaluator.compile([policy, binding]);
    const cm = {
      file: 'x',
      line: 1,
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' } },
    };
    expect(checkObjects(evaluator, [cm], { userInfo: impersonatedUser('jane', ['ops']) })[0].allowed).toBe(
      true,
    );
    expect(checkObjects(evaluator, [cm])[0].allowed).toBe(false);
    expect(admission.platformAdminGroup).toBe('platform:admins');
  });
});

describe('check | checking nothing is an error', () => {
  test.each([
    ['an empty file', 'empty.yaml', '', /empty\.yaml: nothing to check: no Kubernetes objects in it/],
    [
      'a file of only ---',
      'dashes.yaml',
      '---\n---\n# nothing\n',
      /dashes\.yaml: nothing to check: no Kubernetes objects in it/,
    ],
    ['an empty List', 'list.yaml', 'apiVersion: v1\nkind: List\nitems: []\n', /list\.yaml: nothing to check/],
  ])('GIVEN %s THEN exit 2 with one clear line; --allow-empty accepts it', async (_, name, text, message) => {
    const file = write(name, text);
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('pass --allow-empty if that is expected');
    const allowed = await run('--allow-empty', file);
    expect(allowed).toMatchObject({
      code: 0,
      stdout: '0 objects checked against environment dev: 0 denied, 0 violations\n',
    });
  });

  test('GIVEN an empty directory THEN exit 2 saying it has no manifest files', async () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    write('empty/README.md', '# no manifests here');
    const r = await run('--format', 'json', path.join(dir, 'empty'));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toEqual({
      code: 'empty',
      message: `${path.join(dir, 'empty')}: nothing to check: no .yaml, .yml or .json files in it; pass --allow-empty if that is expected`,
    });
  });

  test('GIVEN empty stdin (a failed helm template | check -) THEN exit 2; one empty input among others is named', async () => {
    const r = await run('-', Readable.from([]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /<stdin>: nothing to check: standard input holds no Kubernetes objects \(did the command before \| fail\?\)/,
    );
    const mixed = await run(write('ok.yaml', deployment('web')), write('empty.yaml', ''));
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/empty\.yaml: nothing to check/);
  });
});

describe('check | every exit path of --format json prints one JSON document, stderr stays short', () => {
  type Outcome = { code: number; stdout: string; stderr: string };
  const exits: [string, number, string, () => Promise<Outcome>][] = [
    ['clean', 0, 'results', async () => run('--format', 'json', write('ok.yaml', deployment('web')))],
    [
      'violations',
      1,
      'results',
      async () => run('--format', 'json', write('bad.yaml', deployment('web', 'default'))),
    ],
    ['an unknown flag', 2, 'usage', async () => run('--format', 'json', '--frobnicate', 'x')],
    [
      'a bad flag value before --format',
      2,
      'usage',
      async () => run('--level', 'strict', '--format=json', 'x'),
    ],
    ['an unknown environment', 2, 'config', async () => run('--format', 'json', '--env', 'prod', 'x')],
    [
      'a config that is not JSON',
      2,
      'config',
      async () => run('--format', 'json', '--config', write('cdk.json', '{'), 'x'),
    ],
    ['a missing file', 2, 'input', async () => run('--format', 'json', path.join(dir, 'nope.yaml'))],
    ['nothing to check', 2, 'empty', async () => run('--format', 'json', write('e.yaml', ''))],
    [
      'an internal error',
      2,
      'internal',
      async () => {
        // A stdin that breaks in a way no input can: the run must still end in one JSON document.
        const broken = {
          on: () => {
            throw new TypeError('stdin exploded');
          },
        } as unknown as NodeJS.ReadableStream;
        return run('--format', 'json', '-', broken);
      },
    ],
  ];

  test.each(exits)('GIVEN %s THEN exit %d and one JSON document (%s)', async (_, code, kind, go) => {
    const r = await go();
    expect(r.code).toBe(code);
    const doc = JSON.parse(r.stdout);
    if (kind === 'results') expect(doc).toHaveProperty('results');
    else expect(doc.error).toMatchObject({ code: kind, message: expect.any(String) });
    expect(lines(r.stderr).length).toBeLessThanOrEqual(5);
  });

  test('GIVEN a file with a hundred broken documents THEN stderr has five lines, JSON lists the problems', async () => {
    const file = write(
      'broken.yaml',
      Array.from({ length: 100 }, (_, i) => `apiVersion: v1\nkind: [x${i}\n`).join('---\n'),
    );
    const r = await run('--format', 'json', file);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(5);
    expect(lines(r.stderr)[4]).toMatch(/^\.\.\. and \d+ more problems \(--format json lists all\)$/);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.problems.length).toBeGreaterThan(5);
    expect(doc.error.message).toMatch(
      new RegExp(`^\\d+ problems with the input; the first: ${file}:\\d+:\\d+: error: `),
    );
  });

  test('GIVEN a YAML syntax error THEN exit 2 with file and line', async () => {
    const file = write(
      'broken.yaml',
      `${deployment('a')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n`,
    );
    const r = await run('--format', 'json', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${path.basename(file)}:24:\\d+: error: `));
    expect(JSON.parse(r.stdout).error.problems).toEqual([expect.objectContaining({ file, line: 24 })]);
  });

  test('GIVEN documents that are not Kubernetes objects THEN each is named with its line', async () => {
    const r = await run(
      write('x.yaml', `${deployment('a')}---\njust a string\n---\nmetadata: { name: x }\n`),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.yaml:20:1: error: document 2 is not a Kubernetes object \(it is a string\)/);
    expect(r.stderr).toMatch(/x\.yaml:22:1: error: document 3 has no apiVersion and kind/);
  });

  test('GIVEN bad flags THEN one line naming the flag, and the usage line', async () => {
    expect(await run('--frobnicate', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^hardened-eks check: unknown flag --frobnicate\nusage: /),
    });
    expect((await run('--only', 'nope', 'x')).stderr).toMatch(/--only: unknown policy nope/);
    expect((await run('--env', 'prod', 'x')).stderr).toMatch(/is not an environment/);
    expect((await run('--level', 'strict', 'x')).stderr).toMatch(/--level must be/);
    expect((await run('--format', 'xml', 'x')).stderr).toMatch(/--format must be text, json or sarif/);
    expect((await run()).stderr).toMatch(/name at least one file/);
    expect((await run('-', '-')).stderr).toMatch(/- \(stdin\) can be named only once/);
  });
});

describe('check | large inputs', () => {
  test('GIVEN 200 manifests in a directory THEN each is a result', async () => {
    for (let i = 0; i < 200; i++) write(`many/d${String(i).padStart(3, '0')}.yaml`, deployment(`web-${i}`));
    const r = await run('--format', 'json', path.join(dir, 'many'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results).toHaveLength(200);
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
      { cwd: ROOT, encoding: 'utf-8', input: deployment('from-stdin') },
    );
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout).results;
    expect(results[0]).toMatchObject({ name: 'api', allowed: false });
    expect(results[1]).toMatchObject({ file: '<stdin>', line: 1, name: 'from-stdin', allowed: true });
  });
});
