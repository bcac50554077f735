import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/admission/cli';
import { FIXTURE_CDK_JSON } from '../helpers';
import { costCenterPolicyYaml } from './fixtures';

/*
 * `check` enforces a fork's org/policies exactly like the built-in policies: it reads them from the org/
 * beside the cdk.json it uses, through the same registry function the cluster's chart is built from.
 */
const POLICY = costCenterPolicyYaml({ resource: 'configmaps' });
const CONFIGMAP =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: team-a }\ndata: { a: b }\n';

let project: string;
beforeEach(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-fork-check-'));
  fs.copyFileSync(FIXTURE_CDK_JSON, path.join(project, 'cdk.json'));
  fs.writeFileSync(path.join(project, 'cm.yaml'), CONFIGMAP);
});
afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  fs.writeFileSync(path.join(project, file), text);
}

async function check(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: project });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('check | org/policies', () => {
  test('GIVEN no org/ THEN only the built-in policies apply', async () => {
    expect((await check('cm.yaml')).code).toBe(0);
  });

  test('GIVEN an org policy beside cdk.json THEN check enforces it and --only can select it', async () => {
    write('org/policies/cost-center.yaml', POLICY);
    const r = await check('cm.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'cm.yaml:1: ConfigMap/team-a/settings: [require-cost-center] configmaps carry a cost-center label',
    );
    expect((await check('--only', 'pod-security', 'cm.yaml')).code).toBe(0);
    expect((await check('--only', 'require-cost-center', 'cm.yaml')).code).toBe(1);
    // A folder named like another configured environment is that environment's only.
    const cdk = JSON.parse(fs.readFileSync(FIXTURE_CDK_JSON, 'utf-8'));
    const envs = cdk.context.blueprint.environments;
    envs.prod = { ...envs.dev, vpcCidr: '10.20.0.0/16', tenants: [] };
    write('cdk.json', JSON.stringify(cdk));
    fs.rmSync(path.join(project, 'org'), { recursive: true });
    write('org/policies/prod/cost-center.yaml', POLICY);
    expect((await check('--env', 'dev', 'cm.yaml')).code).toBe(0);
    expect((await check('--env', 'prod', 'cm.yaml')).code).toBe(1);
  });

  test('GIVEN an org policy that does not compile THEN exit 2 with one line naming its file', async () => {
    write(
      'org/policies/broken.yaml',
      costCenterPolicyYaml({ resource: 'configmaps', expression: 'object.metadata.labels +' }),
    );
    const r = await check('cm.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^hardened-eks check: org\/policies\/broken\.yaml:1: ValidatingAdmissionPolicy\/require-cost-center spec\.validations\[0\]\.expression: .+\n$/,
    );
  });
});
