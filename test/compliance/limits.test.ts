import { App } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBlueprint } from '../../lib/app';
import { checkTemplateLimits } from '../../lib/compliance/limits-plugin';
import { resolveConfig } from '../../lib/config';
import { TEST_APP_PROPS, testContext } from '../helpers';

/** A template with `n` trivial resources and whatever else `extra` adds. */
function template(n: number, extra: Record<string, unknown> = {}): string {
  const Resources = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`R${i}`, { Type: 'AWS::CloudFormation::WaitConditionHandle' }]),
  );
  return JSON.stringify({ Resources, ...extra });
}
const entries = (n: number, value: object) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`X${i}`, value]));
const rules = (body: string) => checkTemplateLimits('s', body).map((f) => `${f.rule}:${f.figure}>${f.limit}`);

// The figures are CloudFormation's documented quotas (CloudFormation User Guide) and the provider's event
// budget, written out here rather than imported, so a changed constant fails these tests.
describe('CloudFormation limits at synth |', () => {
  test('500 resources pass, 501 are refused', () => {
    expect(rules(template(500))).toEqual([]);
    expect(rules(template(501))).toEqual(['resources:501>500']);
  });

  test('a template body over 1,000,000 bytes is refused', () => {
    const pad = (bytes: number) => {
      const base = template(1, { Description: '' });
      return template(1, { Description: 'x'.repeat(bytes - Buffer.byteLength(base)) });
    };
    expect(Buffer.byteLength(pad(1_000_000))).toBe(1_000_000);
    expect(rules(pad(1_000_000))).toEqual([]);
    expect(rules(pad(1_000_001))).toEqual(['template-size:1000001>1000000']);
  });

  test('200 outputs and 200 parameters pass, 201 are refused', () => {
    expect(rules(template(1, { Outputs: entries(200, { Value: 'v' }) }))).toEqual([]);
    expect(rules(template(1, { Outputs: entries(201, { Value: 'v' }) }))).toEqual(['outputs:201>200']);
    expect(rules(template(1, { Parameters: entries(201, { Type: 'String' }) }))).toEqual([
      'parameters:201>200',
    ]);
  });

  test('a custom resource over 256 KiB (262,144 bytes) of properties is refused', () => {
    const cr = (bytes: number) => {
      const props = { Manifest: '' };
      props.Manifest = 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify(props)));
      return JSON.stringify({
        Resources: { M: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: props } },
      });
    };
    expect(rules(cr(262_144))).toEqual([]);
    expect(checkTemplateLimits('s', cr(262_145))).toEqual([
      expect.objectContaining({
        rule: 'custom-resource-size',
        figure: 262_145,
        limit: 262_144,
        logicalId: 'M',
      }),
    ]);
  });

  test('synthesis of a config whose tenant manifest is too big fails naming environment, stack, figure and remedy', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-limits-'));
    const allowedEgress = Array.from({ length: 1200 }, (_, i) => ({
      cidr: `10.${Math.floor(i / 250)}.${i % 250}.0/24`,
      ports: [443],
    }));
    const app = new App({ ...TEST_APP_PROPS, outdir });
    buildBlueprint(app, resolveConfig(testContext({ tenants: [{ name: 'big', allowedEgress }] })), {
      compliance: false,
    });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => app.synth()).toThrow(expect.objectContaining({ name: 'ValidationFailed' }));
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
    const violations = report.pluginReports.flatMap((r: any) => r.violations);
    expect(violations).toHaveLength(1);
    expect(violations[0].ruleName).toBe('limit-custom-resource-size');
    expect(violations[0].description).toMatch(
      /^environment test, stack acme-test-tenant-big, resource \w+: custom resource properties of \d+ bytes \(budget 262144: .*\); split the chart/,
    );
  });
});
