import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/verify/cli';
import { testContext } from '../helpers';
import { fixtureAwsEnv, startFixtureServer, type FixtureServer } from './fixture-server';
import { PROGRESS_LINES, RECORDED_CLUSTER_CONFIG } from './world';

/*
 * End to end against recorded API responses on 127.0.0.1: the real SDK clients sign, serialize
 * (REST-JSON, JSON 1.1, EC2 query, AWS query) and parse (JSON, XML), through the SDK's endpoint settings.
 */

const root = path.join(__dirname, '..', '..');
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hardened-eks-verify-'));
fs.writeFileSync(
  path.join(configDir, 'cdk.json'),
  JSON.stringify({ context: { blueprint: testContext({ ...RECORDED_CLUSTER_CONFIG, tenants: [] }) } }),
);

const awsEnv = (server: FixtureServer) => fixtureAwsEnv(server, configDir);

function runBin(args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const child = spawn(process.execPath, [path.join(root, 'bin', 'hardened-eks.js'), ...args], {
    cwd: configDir,
    env: { ...clean, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

/** Runs `fn` against a fixture server with `overrides`, and stops the server however `fn` ends. */
async function withServer<T>(
  overrides: Parameters<typeof startFixtureServer>[0],
  fn: (server: FixtureServer) => Promise<T>,
): Promise<T> {
  const server = await startFixtureServer(overrides);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Runs `main` in-process with the real SDK clients, pointed at the server through the environment. */
async function runInProcess(server: FixtureServer, args: string[]) {
  const saved = { ...process.env };
  Object.assign(process.env, awsEnv(server));
  let stdout = '';
  let stderr = '';
  try {
    const status = await main(args, {
      cwd: configDir,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    });
    return { status, stdout, stderr };
  } finally {
    process.env = saved;
  }
}

describe('verify end to end (local endpoint, recorded responses) |', () => {
  test('the hardened-eks bin verifies a compliant cluster: exit 0 and the table', async () => {
    await withServer({}, async (server) => {
      const res = await runBin(['verify', '--env', 'test'], awsEnv(server));
      // Only verify's own lines: the runtime may add its warnings (the SDK's Node version notice).
      expect(res.stderr.split('\n').filter((l) => l.startsWith('verify'))).toEqual(PROGRESS_LINES);
      expect(res.status).toBe(0);
      expect(res.stdout).toMatchSnapshot();
      // The README's sample output is this run's output.
      expect(fs.readFileSync(path.join(root, 'README.md'), 'utf-8')).toContain(res.stdout.trim());
      // Every protocol was exercised, pages were followed.
      expect(server.requests).toEqual(
        expect.arrayContaining([
          'eks/DescribeCluster',
          'eks/ListAccessEntries.page2',
          'ec2/DescribeInstances.page2',
          'iam/GetInstanceProfile',
          'ssm/DescribeInstanceInformation',
          'logs/DescribeLogGroups',
          'kms/DescribeKey.secrets',
          'kms/DescribeKey.images',
          'ecr/DescribeRepositories.apps',
          'ecr/GetRepositoryPolicy.apps',
          'cloudformation/DescribeStacks',
        ]),
      );
    });
  });

  test('drift in the recorded answers exits 1; --format json names the control and evidence', async () => {
    await withServer(
      {
        'eks/DescribeCluster': (recorded) => ({
          status: 200,
          body: recorded.replace('"endpointPublicAccess": false', '"endpointPublicAccess": true'),
        }),
        'ec2/DescribeInstances.page2': (recorded) => ({
          status: 200,
          body: recorded.replace('<httpTokens>required</httpTokens>', '<httpTokens>optional</httpTokens>'),
        }),
      },
      async (server) => {
        const res = await runInProcess(server, ['--env', 'test', '--format', 'json']);
        expect(res.status).toBe(1);
        const report = JSON.parse(res.stdout);
        expect(report).toMatchObject({ environment: 'test', cluster: 'acme-test', result: 'NON_COMPLIANT' });
        const failed = report.checks.filter((c: { status: string }) => c.status === 'NON_COMPLIANT');
        expect(failed).toEqual([
          {
            controlId: 'EKS-NET-001',
            check: 'API endpoint access',
            status: 'NON_COMPLIANT',
            evidence: [
              'endpointPublicAccess=true (want false), publicAccessCidrs=0.0.0.0/0',
              'endpointPublicAccess=true, endpointPrivateAccess=true, publicAccessCidrs=0.0.0.0/0',
            ],
          },
          {
            controlId: 'EKS-NODE-002',
            check: 'nodes: IMDSv2, hop limit 1',
            status: 'NON_COMPLIANT',
            evidence: ['1 of 3 node(s) fail', 'i-00000000000000002: HttpTokens=optional'],
          },
        ]);
      },
    );
  });

  test('an EC2 UnauthorizedOperation exits 2 naming ec2:DescribeInstances', async () => {
    await withServer(
      {
        'ec2/DescribeInstances': () => ({
          status: 403,
          body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>8f7a1d2e-0000-4000-8000-0000000000ff</RequestID></Response>',
        }),
      },
      async (server) => {
        const res = await runInProcess(server, ['--env', 'test']);
        expect(res.status).toBe(2);
        expect(res.stdout).toBe('');
        expect(res.stderr.trim().split('\n').pop()).toBe(
          'verify: Access denied: the credentials lack ec2:DescribeInstances; attach the hardened-eks verify policy (see README "verify") to the role you run as',
        );
      },
    );
  });
});

describe('verify end to end, ECR (AWS JSON 1.1 errors through the real SDK) |', () => {
  const jsonError = (type: string, message: string) => () => ({
    status: 400,
    body: JSON.stringify({ __type: type, message }),
  });

  test('EKS-IMG-004: a repository without a policy (RepositoryPolicyNotFoundException) is drift, exit 1', async () => {
    await withServer(
      {
        'ecr/GetRepositoryPolicy.apps': jsonError(
          'RepositoryPolicyNotFoundException',
          "Repository policy does not exist for the repository with name 'acme-test/apps' in the registry with id '111111111111'",
        ),
      },
      async (server) => {
        const res = await runInProcess(server, ['--env', 'test', '--format', 'json']);
        expect(res.status).toBe(1);
        const failed = JSON.parse(res.stdout).checks.filter(
          (c: { status: string }) => c.status === 'NON_COMPLIANT',
        );
        expect(failed).toEqual([
          {
            controlId: 'EKS-IMG-004',
            check: 'ECR repositories: only nodes pull',
            status: 'NON_COMPLIANT',
            evidence: ['acme-test/apps: no repository policy'],
          },
        ]);
      },
    );
  });

  test('EKS-IMG-002: a missing repository (RepositoryNotFoundException) fails every image row, exit 1', async () => {
    await withServer(
      {
        'ecr/DescribeRepositories.apps': jsonError(
          'RepositoryNotFoundException',
          "The repository with name 'acme-test/apps' does not exist in the registry with id '111111111111'",
        ),
      },
      async (server) => {
        const res = await runInProcess(server, ['--env', 'test', '--format', 'json']);
        expect(res.status).toBe(1);
        const failed = JSON.parse(res.stdout).checks.filter(
          (c: { status: string }) => c.status === 'NON_COMPLIANT',
        );
        expect(failed.map((c: { controlId: string }) => c.controlId)).toEqual([
          'EKS-IMG-001',
          'EKS-IMG-002',
          'EKS-IMG-003',
          'EKS-IMG-004',
        ]);
        expect(failed[1].evidence).toEqual([
          'acme-test/apps: does not exist in registry 111111111111.dkr.ecr.us-east-1.amazonaws.com',
        ]);
        expect(server.requests).not.toContain('ecr/GetRepositoryPolicy.apps');
      },
    );
  });

  test('an ECR AccessDeniedException exits 2 naming ecr:GetRepositoryPolicy', async () => {
    await withServer(
      {
        'ecr/GetRepositoryPolicy.apps': () => ({
          status: 400,
          body: JSON.stringify({
            __type: 'AccessDeniedException',
            message:
              'User: arn:aws:sts::111111111111:assumed-role/Auditor/s is not authorized to perform: ecr:GetRepositoryPolicy',
          }),
        }),
      },
      async (server) => {
        const res = await runInProcess(server, ['--env', 'test']);
        expect(res.status).toBe(2);
        expect(res.stdout).toBe('');
        expect(res.stderr.trim().split('\n').pop()).toBe(
          'verify: Access denied: the credentials lack ecr:GetRepositoryPolicy; attach the hardened-eks verify policy (see README "verify") to the role you run as',
        );
      },
    );
  });
});

/*
 * Whatever the endpoint does, verify ends: exit 2 and one line naming the API call, within the limits passed
 * by flag (short here, so the tests stay fast), never with the bytes of an unreadable answer.
 */
describe('verify ends against a failing endpoint |', () => {
  /** Runs verify and returns its verify lines, with the time it took. */
  async function ends(server: FixtureServer, args: string[]) {
    const started = Date.now();
    const res = await runInProcess(server, ['--env', 'test', ...args]);
    return {
      ...res,
      ms: Date.now() - started,
      lines: res.stderr.split('\n').filter((l) => l.startsWith('verify:')),
    };
  }
  const count = (server: FixtureServer, key: string) => server.requests.filter((r) => r === key).length;
  // No jitter, so no backoff: the attempt counts are what these tests are about, not the waits.
  beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
  afterEach(() => jest.restoreAllMocks());
  const SECRET = 'SECRET-BYTES-0123456789';

  test('a closed port: exit 2 naming eks:DescribeCluster, after 3 attempts', async () => {
    const server = await startFixtureServer();
    await server.close();
    const res = await ends(server, []);
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.lines).toEqual([
      'verify: Cannot reach the AWS API for eks:DescribeCluster (ECONNREFUSED, 3 attempts); check network access to the service endpoint (VPC endpoints, proxy, AWS_ENDPOINT_URL)',
    ]);
  });

  test('a port that accepts and never answers: exit 2 after --request-timeout, 3 attempts', async () => {
    await withServer({ 'eks/DescribeCluster': () => 'hang' }, async (server) => {
      const res = await ends(server, ['--request-timeout', '150ms']);
      expect(res.status).toBe(2);
      expect(res.lines).toEqual([
        'verify: No answer from the AWS API for eks:DescribeCluster within 0.15s (--request-timeout, 3 attempts); check network access to the service endpoint (VPC endpoints, proxy, AWS_ENDPOINT_URL)',
      ]);
      expect(count(server, 'eks/DescribeCluster')).toBe(3);
      expect(res.ms).toBeLessThan(10_000);
    });
  });

  test('--deadline ends the run even while a request waits within its own timeout', async () => {
    await withServer({ 'eks/DescribeCluster': () => 'hang' }, async (server) => {
      const res = await ends(server, ['--request-timeout', '1m', '--deadline', '1s', '--format', 'json']);
      expect(res.status).toBe(2);
      expect(res.lines).toEqual([
        'verify: Gave up at eks:DescribeCluster: verify ran past its deadline of 1s (--deadline); raise --deadline, or find out why the AWS API answers slowly',
      ]);
      expect(JSON.parse(res.stdout)).toEqual({
        environment: 'test',
        cluster: 'acme-test',
        result: 'ERROR',
        error: { kind: 'deadline', action: 'eks:DescribeCluster', message: res.lines[0].slice(8) },
      });
      expect(res.ms).toBeLessThan(10_000);
    });
  });

  test('HTTP 500 on every attempt: exit 2 naming the call, after 3 attempts, without the page it sent', async () => {
    await withServer(
      {
        'eks/DescribeCluster': () => ({
          status: 500,
          body: `<html><body>${SECRET} internal proxy error</body></html>`,
          headers: { 'content-type': 'text/html' },
        }),
      },
      async (server) => {
        const res = await ends(server, ['--format', 'json']);
        expect(res.status).toBe(2);
        expect(res.lines).toEqual([
          'verify: eks:DescribeCluster failed: the service answered HTTP 500 (no error code, 3 attempts); try again later, or check the endpoint and any proxy in between',
        ]);
        expect(JSON.parse(res.stdout).error).toMatchObject({
          kind: 'server-error',
          action: 'eks:DescribeCluster',
        });
        expect(count(server, 'eks/DescribeCluster')).toBe(3);
        expect(res.stderr + res.stdout).not.toContain(SECRET);
      },
    );
  });

  test('a 503 that clears on retry is no error: the run completes', async () => {
    await withServer(
      {
        'eks/DescribeCluster': (recorded, asked) =>
          asked === 0
            ? { status: 503, body: '{}', headers: { 'x-amzn-errortype': 'ServiceUnavailableException' } }
            : { status: 200, body: recorded },
      },
      async (server) => {
        const res = await ends(server, []);
        expect(res.status).toBe(0);
        expect(count(server, 'eks/DescribeCluster')).toBe(2);
      },
    );
  });

  test('throttling past its retries: exit 2 naming the call and --max-attempts', async () => {
    await withServer(
      {
        'eks/ListNodegroups': () => ({
          status: 429,
          body: JSON.stringify({ message: 'Rate exceeded' }),
          headers: { 'x-amzn-errortype': 'ThrottlingException' },
        }),
      },
      async (server) => {
        const res = await ends(server, ['--max-attempts', '2']);
        expect(res.status).toBe(2);
        expect(res.lines).toEqual([
          'verify: AWS throttled eks:ListNodegroups (ThrottlingException, 2 attempts); try again later, or raise --max-attempts',
        ]);
        expect(count(server, 'eks/ListNodegroups')).toBe(2);
      },
    );
  });

  test('EC2 throttling (RequestLimitExceeded) gets every attempt, timeouts and 5xx only 3', async () => {
    await withServer(
      {
        'ec2/DescribeInstances': () => ({
          status: 503,
          body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>8f7a1d2e-0000-4000-8000-0000000000fe</RequestID></Response>',
        }),
      },
      async (server) => {
        const res = await ends(server, ['--max-attempts', '4']);
        expect(res.status).toBe(2);
        expect(res.lines).toEqual([
          'verify: AWS throttled ec2:DescribeInstances (RequestLimitExceeded, 4 attempts); try again later, or raise --max-attempts',
        ]);
        expect(count(server, 'ec2/DescribeInstances')).toBe(4);
      },
    );
  });

  test.each([
    ['kms/DescribeKey.secrets', 'kms:DescribeKey', `\u0000\u0001${SECRET}`, 'JSON'],
    ['eks/ListAccessEntries', 'eks:ListAccessEntries', '', 'JSON'],
    ['ec2/DescribeInstances', 'ec2:DescribeInstances', `<html><body>${SECRET}</body></html>`, 'XML'],
    ['iam/GetInstanceProfile', 'iam:GetInstanceProfile', `<GetInstanceProfileResponse>${SECRET}`, 'XML'],
  ])('a garbage 200 answer to %s: exit 2 naming %s, no bytes of it', async (key, action, body, format) => {
    await withServer({ [key]: () => ({ status: 200, body }) }, async (server) => {
      const res = await ends(server, ['--format', 'json']);
      expect(res.status).toBe(2);
      const bytes = Buffer.byteLength(body);
      expect(res.lines).toEqual([
        `verify: ${action} answered with a response verify cannot read (HTTP 200, ${bytes} bytes, not ${format}); check AWS_ENDPOINT_URL and any proxy in between`,
      ]);
      expect(JSON.parse(res.stdout).error).toMatchObject({ kind: 'bad-response', action });
      expect(res.stderr + res.stdout).not.toContain(SECRET);
      // Not retried: the same bytes would come back.
      expect(count(server, key)).toBe(1);
    });
  });

  test('an answer longer than 8 MiB is not read to its end: exit 2 naming the call', async () => {
    const huge = Buffer.alloc(9 * 1024 * 1024, 0x20);
    await withServer({ 'eks/DescribeCluster': () => ({ status: 200, body: huge }) }, async (server) => {
      const res = await ends(server, []);
      expect(res.status).toBe(2);
      expect(res.lines).toEqual([
        'verify: eks:DescribeCluster answered with more than 8388608 bytes, more than verify reads of one response; check AWS_ENDPOINT_URL and any proxy in between',
      ]);
    });
  });
});

describe('verify end to end, the kubectl provider role from the cluster stack |', () => {
  test('EKS-IAM-002: without the stack output, the provider entry is not recognised: drift, exit 1', async () => {
    await withServer(
      {
        'cloudformation/DescribeStacks': (recorded) => ({
          status: 200,
          body: recorded.replace(
            '<OutputKey>KubectlProviderRoleArn</OutputKey>',
            '<OutputKey>Other</OutputKey>',
          ),
        }),
      },
      async (server) => {
        const res = await runInProcess(server, ['--env', 'test', '--format', 'json']);
        expect(res.status).toBe(1);
        const row = JSON.parse(res.stdout).checks.find(
          (c: { controlId: string }) => c.controlId === 'EKS-IAM-002',
        );
        expect(row.status).toBe('NON_COMPLIANT');
        expect(row.evidence).toContain(
          'kubectl provider role unknown: stack acme-test-cluster has no output KubectlProviderRoleArn (deploy the cluster stack with this version)',
        );
        expect(row.evidence[0]).toMatch(
          /^extra: arn:aws:iam::111111111111:role\/acme-test-cluster-ClusterKubectlProviderHandlerRo-Q1W2E3R4T5Y6 /,
        );
      },
    );
  });

  test('a denied cloudformation:DescribeStacks exits 2 naming it', async () => {
    await withServer(
      {
        'cloudformation/DescribeStacks': () => ({
          status: 403,
          body: '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: cloudformation:DescribeStacks</Message></Error><RequestId>x</RequestId></ErrorResponse>',
        }),
      },
      async (server) => {
        const res = await runInProcess(server, ['--env', 'test']);
        expect(res.status).toBe(2);
        expect(res.stderr.split('\n').filter((l) => l.startsWith('verify:'))).toEqual([
          'verify: Access denied: the credentials lack cloudformation:DescribeStacks; attach the hardened-eks verify policy (see README "verify") to the role you run as',
        ]);
      },
    );
  });
});
