import { DescribeRepositoriesCommand, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { pullAccessOf } from '../../lib/verify/images';
import { VerifyError } from '../../lib/verify/errors';
import type { CheckResult } from '../../lib/verify/types';
import { verifyCluster } from '../../lib/verify/verify';
import {
  ACCOUNT,
  awsError,
  compliantWorld,
  expectedForTest,
  KEYS,
  mockedClients,
  NODE_ROLE,
  REPOSITORY,
  repositoryPolicy,
  type World,
} from './world';

async function imageRows(world: World, expected = expectedForTest()): Promise<CheckResult[]> {
  const { clients } = mockedClients(world);
  const report = await verifyCluster(clients, expected);
  return report.results.filter((r) => r.controlId.startsWith('EKS-IMG-'));
}

/** The failing image rows after one drift, as [control id, evidence]. */
async function imageFailuresAfter(drift: (w: World) => void): Promise<[string, readonly string[]][]> {
  const world = compliantWorld();
  drift(world);
  return (await imageRows(world))
    .filter((r) => r.status === 'NON_COMPLIANT')
    .map((r) => [r.controlId, r.evidence]);
}

describe('verify, ECR image repositories |', () => {
  test('EKS-IMG-001..004: a repository deployed as configured passes all four rows, with evidence', async () => {
    // GIVEN the detection stack's repository as ImageRepository creates it  WHEN verified
    const rows = await imageRows(compliantWorld());
    // THEN the four image controls pass and show what ECR answered
    expect(rows).toEqual([
      {
        controlId: 'EKS-IMG-001',
        check: 'ECR repositories: scan on push',
        status: 'COMPLIANT',
        evidence: [`${REPOSITORY}: scanOnPush=true`],
      },
      {
        controlId: 'EKS-IMG-002',
        check: 'ECR repositories: immutable tags',
        status: 'COMPLIANT',
        evidence: [`${REPOSITORY}: imageTagMutability=IMMUTABLE`],
      },
      {
        controlId: 'EKS-IMG-003',
        check: 'ECR repositories: KMS images key',
        status: 'COMPLIANT',
        evidence: [`${REPOSITORY}: encryptionType=KMS, kmsKey=${KEYS.images}`],
      },
      {
        controlId: 'EKS-IMG-004',
        check: 'ECR repositories: only nodes pull',
        status: 'COMPLIANT',
        evidence: [`${REPOSITORY}: pull allowed for ${NODE_ROLE}; others denied`],
      },
    ]);
  });

  test('EKS-IMG-001: a repository without scan on push fails', async () => {
    const f = await imageFailuresAfter((w) => {
      w.repositories[0].imageScanningConfiguration = { scanOnPush: false };
    });
    expect(f).toEqual([
      ['EKS-IMG-001', [`${REPOSITORY}: scanOnPush=false`, `${REPOSITORY}: scanOnPush=false`]],
    ]);
  });

  test('EKS-IMG-002: mutable tags fail, naming the mutability', async () => {
    const f = await imageFailuresAfter((w) => {
      w.repositories[0].imageTagMutability = 'MUTABLE';
    });
    expect(f).toEqual([
      [
        'EKS-IMG-002',
        [
          `${REPOSITORY}: imageTagMutability=MUTABLE (want IMMUTABLE)`,
          `${REPOSITORY}: imageTagMutability=MUTABLE`,
        ],
      ],
    ]);
  });

  test('EKS-IMG-002: immutable tags with exclusions are not immutable', async () => {
    const f = await imageFailuresAfter((w) => {
      w.repositories[0].imageTagMutability = 'IMMUTABLE_WITH_EXCLUSION';
    });
    expect(f.map(([id, e]) => [id, e[0]])).toEqual([
      ['EKS-IMG-002', `${REPOSITORY}: imageTagMutability=IMMUTABLE_WITH_EXCLUSION (want IMMUTABLE)`],
    ]);
  });

  test('EKS-IMG-003: AES256 encryption fails, naming the images key it wants', async () => {
    const f = await imageFailuresAfter((w) => {
      w.repositories[0].encryptionConfiguration = { encryptionType: 'AES256' };
    });
    expect(f).toEqual([
      [
        'EKS-IMG-003',
        [
          `${REPOSITORY}: encryptionType=AES256 (want KMS with ${KEYS.images})`,
          `${REPOSITORY}: encryptionType=AES256, kmsKey=-`,
        ],
      ],
    ]);
  });

  test('EKS-IMG-003: KMS with another key fails', async () => {
    const f = await imageFailuresAfter((w) => {
      w.repositories[0].encryptionConfiguration = { encryptionType: 'KMS', kmsKey: KEYS.logs };
    });
    expect(f.map(([id, e]) => [id, e[0]])).toEqual([
      ['EKS-IMG-003', `${REPOSITORY}: encrypted with ${KEYS.logs}, want ${KEYS.images}`],
    ]);
  });

  test('EKS-IMG-003: the images key is resolved from alias/<cluster>/images', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    await verifyCluster(clients, expectedForTest());
    const aliases = mocks.kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId);
    expect(aliases).toContain('alias/acme-test/images');
  });

  test('EKS-IMG-004: a policy granting pull to "*" fails with the principals as evidence', async () => {
    const f = await imageFailuresAfter((w) => {
      w.repositoryPolicies[REPOSITORY] = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'ecr:*' }],
      });
    });
    expect(f).toEqual([
      [
        'EKS-IMG-004',
        [
          `${REPOSITORY}: pull granted to * (not a node role)`,
          `${REPOSITORY}: no statement denies pulls by principals other than the node role`,
          `${REPOSITORY}: pull allowed for *; others not denied`,
        ],
      ],
    ]);
  });

  test('EKS-IMG-004: another account granted pull fails even with the deny in place', async () => {
    const other = 'arn:aws:iam::222222222222:root';
    const f = await imageFailuresAfter((w) => {
      const doc = JSON.parse(repositoryPolicy());
      doc.Statement[0].Principal = { AWS: [NODE_ROLE, other] };
      w.repositoryPolicies[REPOSITORY] = JSON.stringify(doc);
    });
    expect(f.map(([id, e]) => [id, e[0]])).toEqual([
      ['EKS-IMG-004', `${REPOSITORY}: pull granted to ${other} (not a node role)`],
    ]);
  });

  test('EKS-IMG-004: no repository policy (RepositoryPolicyNotFoundException) fails', async () => {
    const f = await imageFailuresAfter((w) => {
      delete w.repositoryPolicies[REPOSITORY];
    });
    expect(f).toEqual([['EKS-IMG-004', [`${REPOSITORY}: no repository policy`]]]);
  });

  test('EKS-IMG-004: a deny that spares another role as well as the node role does not count', () => {
    const doc = JSON.parse(repositoryPolicy());
    doc.Statement[1].Condition.ArnNotEquals['aws:PrincipalArn'] = `arn:aws:iam::${ACCOUNT}:role/Other`;
    expect(pullAccessOf(JSON.stringify(doc), [NODE_ROLE])).toEqual({
      allowed: [NODE_ROLE],
      othersDenied: false,
    });
    expect(pullAccessOf(repositoryPolicy(), [NODE_ROLE])).toEqual({
      allowed: [NODE_ROLE],
      othersDenied: true,
    });
  });

  test('EKS-IMG-001..004: a missing repository fails every row with evidence, and its policy is not asked', async () => {
    const world = compliantWorld();
    world.repositories = [];
    const { clients, mocks } = mockedClients(world);
    const rows = (await verifyCluster(clients, expectedForTest())).results.filter((r) =>
      r.controlId.startsWith('EKS-IMG-'),
    );
    const missing = `${REPOSITORY}: does not exist in registry ${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
    expect(rows.map((r) => [r.controlId, r.status, r.evidence])).toEqual([
      ['EKS-IMG-001', 'NON_COMPLIANT', [missing]],
      ['EKS-IMG-002', 'NON_COMPLIANT', [missing]],
      ['EKS-IMG-003', 'NON_COMPLIANT', [missing]],
      ['EKS-IMG-004', 'NON_COMPLIANT', [missing]],
    ]);
    expect(mocks.ecr.commandCalls(GetRepositoryPolicyCommand)).toHaveLength(0);
  });

  test('EKS-IMG-001: each configured repository is asked for by name in the configured registry', async () => {
    const expected = expectedForTest({ detection: { imageRepositories: ['apps', 'team/api'] } });
    const world = compliantWorld();
    world.repositories.push({ ...world.repositories[0], repositoryName: 'acme-test/team/api' });
    world.repositoryPolicies['acme-test/team/api'] = repositoryPolicy();
    const { clients, mocks } = mockedClients(world);
    const report = await verifyCluster(clients, expected);
    expect(mocks.ecr.commandCalls(DescribeRepositoriesCommand).map((c) => c.args[0].input)).toEqual([
      { registryId: ACCOUNT, repositoryNames: ['acme-test/apps'] },
      { registryId: ACCOUNT, repositoryNames: ['acme-test/team/api'] },
    ]);
    expect(report.results.find((r) => r.controlId === 'EKS-IMG-001')?.evidence).toEqual([
      'acme-test/apps: scanOnPush=true',
      'acme-test/team/api: scanOnPush=true',
    ]);
  });

  test('EKS-IMG-001..004: no repositories configured is NOT_APPLICABLE and ECR is not asked', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    const expected = expectedForTest({ detection: { imageRepositories: [] } });
    const report = await verifyCluster(clients, expected);
    expect(report.results.filter((r) => r.controlId.startsWith('EKS-IMG-')).map((r) => r.status)).toEqual([
      'NOT_APPLICABLE',
      'NOT_APPLICABLE',
      'NOT_APPLICABLE',
      'NOT_APPLICABLE',
    ]);
    expect(mocks.ecr.calls()).toHaveLength(0);
    expect(mocks.kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId)).not.toContain(
      'alias/acme-test/images',
    );
  });

  test('EKS-IMG-001: AccessDenied on DescribeRepositories names ecr:DescribeRepositories', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    mocks.ecr
      .on(DescribeRepositoriesCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: ecr:DescribeRepositories'));
    const err = await verifyCluster(clients, expectedForTest()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerifyError);
    expect((err as Error).message).toMatch(/^Access denied: the credentials lack ecr:DescribeRepositories;/);
  });

  test('EKS-IMG-004: AccessDenied on GetRepositoryPolicy names ecr:GetRepositoryPolicy', async () => {
    const { clients, mocks } = mockedClients(compliantWorld());
    mocks.ecr
      .on(GetRepositoryPolicyCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: ecr:GetRepositoryPolicy'));
    await expect(verifyCluster(clients, expectedForTest())).rejects.toThrow(
      /^Access denied: the credentials lack ecr:GetRepositoryPolicy;/,
    );
  });
});
