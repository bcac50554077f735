import { resolveConfig } from '../../lib/config';
import { fixtureContext, testContext, configErrorOf } from '../helpers';

const errorOf = configErrorOf;

const AUDITOR = 'arn:aws:iam::111111111111:role/SecurityAuditor';

describe('config | verify', () => {
  test('GIVEN no verify field WHEN resolved THEN no auditor roles and the default agent floor', () => {
    const env = resolveConfig(testContext()).environments[0];
    expect(env.verify).toEqual({ auditorRoleArns: [], minSsmAgentVersion: '3.2.0.0' });
  });

  test('GIVEN org and environment values WHEN resolved THEN the environment wins field by field', () => {
    const shipped = fixtureContext() as { environments: { dev: object } };
    const ctx = {
      org: { verify: { auditorRoleArns: [AUDITOR], minSsmAgentVersion: '3.3.0.0' } },
      environments: { dev: { ...shipped.environments.dev, verify: { minSsmAgentVersion: '3.3.1000.0' } } },
    };
    expect(resolveConfig(ctx).environments[0].verify).toEqual({
      auditorRoleArns: [AUDITOR],
      minSsmAgentVersion: '3.3.1000.0',
    });
  });

  test('GIVEN a bad auditor ARN WHEN resolved THEN one line names the field, value and fix', () => {
    expect(errorOf(testContext({ verify: { auditorRoleArns: ['SecurityAuditor'] } }))).toBe(
      'Invalid blueprint config at environments.test.verify.auditorRoleArns[0]: must be an IAM role ARN such as arn:aws:iam::123456789012:role/SecurityAuditor (got "SecurityAuditor")',
    );
  });

  test('GIVEN a repeated auditor role or a typo WHEN resolved THEN the error names it', () => {
    expect(errorOf(testContext({ verify: { auditorRoleArns: [AUDITOR, AUDITOR] } }))).toBe(
      `Invalid blueprint config at environments.test.verify.auditorRoleArns[1]: lists a role twice; list each auditor role once (got "${AUDITOR}")`,
    );
    expect(errorOf(testContext({ verify: { auditorRoles: [] } }))).toBe(
      'Invalid blueprint config at environments.test.verify.auditorRoles: is not a known field; did you mean "auditorRoleArns"?',
    );
    expect(errorOf(testContext({ verify: { minSsmAgentVersion: '3.2' } }))).toMatch(
      /verify\.minSsmAgentVersion: must be an SSM agent version such as 3\.3\.0\.0 \(got "3\.2"\)$/,
    );
  });
});
