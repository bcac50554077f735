import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/verify/cli';
import { testContext } from '../helpers';
import { startFixtureServer, type FixtureServer } from './fixture-server';
import { RECORDED_CLUSTER_CONFIG } from './world';

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

/** Environment of a process that may only talk to the fixture server, with throwaway credentials. */
function awsEnv(server: FixtureServer): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: server.url,
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-key',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(configDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(configDir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

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
    const server = await startFixtureServer();
    try {
      const res = await runBin(['verify', '--env', 'test'], awsEnv(server));
      expect(res.stderr).not.toMatch(/Error|denied/);
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
        ]),
      );
    } finally {
      await server.close();
    }
  });

  test('drift in the recorded answers exits 1; --format json names the control and evidence', async () => {
    const server = await startFixtureServer({
      'eks/DescribeCluster': (recorded) => ({
        status: 200,
        body: recorded.replace('"endpointPublicAccess": false', '"endpointPublicAccess": true'),
      }),
      'ec2/DescribeInstances.page2': (recorded) => ({
        status: 200,
        body: recorded.replace('<httpTokens>required</httpTokens>', '<httpTokens>optional</httpTokens>'),
      }),
    });
    try {
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
    } finally {
      await server.close();
    }
  });

  test('an EC2 UnauthorizedOperation exits 2 naming ec2:DescribeInstances', async () => {
    const server = await startFixtureServer({
      'ec2/DescribeInstances': () => ({
        status: 403,
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>8f7a1d2e-0000-4000-8000-0000000000ff</RequestID></Response>',
      }),
    });
    try {
      const res = await runInProcess(server, ['--env', 'test']);
      expect(res.status).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim().split('\n').pop()).toBe(
        'verify: Access denied: the credentials lack ec2:DescribeInstances; attach the hardened-eks verify policy (see README "verify") to the role you run as',
      );
    } finally {
      await server.close();
    }
  });
});

describe('verify end to end, ECR (AWS JSON 1.1 errors through the real SDK) |', () => {
  const jsonError = (type: string, message: string) => () => ({
    status: 400,
    body: JSON.stringify({ __type: type, message }),
  });

  test('EKS-IMG-004: a repository without a policy (RepositoryPolicyNotFoundException) is drift, exit 1', async () => {
    const server = await startFixtureServer({
      'ecr/GetRepositoryPolicy.apps': jsonError(
        'RepositoryPolicyNotFoundException',
        "Repository policy does not exist for the repository with name 'acme-test/apps' in the registry with id '111111111111'",
      ),
    });
    try {
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
    } finally {
      await server.close();
    }
  });

  test('EKS-IMG-002: a missing repository (RepositoryNotFoundException) fails every image row, exit 1', async () => {
    const server = await startFixtureServer({
      'ecr/DescribeRepositories.apps': jsonError(
        'RepositoryNotFoundException',
        "The repository with name 'acme-test/apps' does not exist in the registry with id '111111111111'",
      ),
    });
    try {
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
    } finally {
      await server.close();
    }
  });

  test('an ECR AccessDeniedException exits 2 naming ecr:GetRepositoryPolicy', async () => {
    const server = await startFixtureServer({
      'ecr/GetRepositoryPolicy.apps': () => ({
        status: 400,
        body: JSON.stringify({
          __type: 'AccessDeniedException',
          message:
            'User: arn:aws:sts::111111111111:assumed-role/Auditor/s is not authorized to perform: ecr:GetRepositoryPolicy',
        }),
      }),
    });
    try {
      const res = await runInProcess(server, ['--env', 'test']);
      expect(res.status).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim().split('\n').pop()).toBe(
        'verify: Access denied: the credentials lack ecr:GetRepositoryPolicy; attach the hardened-eks verify policy (see README "verify") to the role you run as',
      );
    } finally {
      await server.close();
    }
  });
});

test('an unreachable endpoint exits 2 with one line naming the call, not a stack trace', async () => {
  const server = await startFixtureServer();
  await server.close();
  process.env.AWS_MAX_ATTEMPTS = '1';
  const res = await runInProcess(server, ['--env', 'test']).finally(
    () => delete process.env.AWS_MAX_ATTEMPTS,
  );
  expect(res.status).toBe(2);
  expect(res.stderr.trim().split('\n').pop()).toBe(
    'verify: Cannot reach the AWS API for eks:DescribeCluster (ECONNREFUSED); check network access to the service endpoint (VPC endpoints, proxy, AWS_ENDPOINT_URL)',
  );
});
