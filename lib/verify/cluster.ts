import { DescribeClusterCommand, type Cluster, type EKSClient } from '@aws-sdk/client-eks';
import { call, isNotFound, VerifyError } from './errors';
import type { ExpectedCluster } from './expected';
import { sameKey, type ResolvedKeys } from './keys';
import { result, type CheckResult } from './types';

/** The five control-plane log types, as the EKS API names them. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export async function describeCluster(eks: EKSClient, expected: ExpectedCluster): Promise<Cluster> {
  try {
    const res = await call('eks:DescribeCluster', () =>
      eks.send(new DescribeClusterCommand({ name: expected.clusterName })),
    );
    if (!res.cluster) {
      throw new VerifyError(
        'eks:DescribeCluster answered without a cluster; check AWS_ENDPOINT_URL and any proxy in between',
        'bad-response',
        'eks:DescribeCluster',
      );
    }
    return res.cluster;
  } catch (err) {
    if (isNotFound(err)) {
      throw new VerifyError(
        `Cluster "${expected.clusterName}" not found in ${expected.region}; deploy environment "${expected.environment}" first, or pass the right --region / --profile`,
        'not-found',
        'eks:DescribeCluster',
        err,
      );
    }
    throw err;
  }
}

/** The cluster's own settings, from one DescribeCluster answer. Pure. */
export function checkCluster(c: Cluster, expected: ExpectedCluster, keys: ResolvedKeys): CheckResult[] {
  return [
    checkEndpoint(c, expected),
    checkSecretsEncryption(c, keys),
    checkLogTypes(c),
    checkAuthentication(c),
    checkVersion(c, expected),
    checkDeletionProtection(c, expected),
  ];
}

function checkEndpoint(c: Cluster, expected: ExpectedCluster): CheckResult {
  const vpc = c.resourcesVpcConfig ?? {};
  const pub = vpc.endpointPublicAccess === true;
  const priv = vpc.endpointPrivateAccess === true;
  const failures: string[] = [];
  if (!priv) failures.push(`endpointPrivateAccess=${String(vpc.endpointPrivateAccess)} (want true)`);
  // EKS reports publicAccessCidrs ["0.0.0.0/0"] even while public access is off: only read it when on.
  const cidrs = [...(vpc.publicAccessCidrs ?? [])].sort();
  if (pub) {
    const allowed = [...expected.publicEndpointCidrs].sort();
    if (allowed.length === 0) {
      failures.push(`endpointPublicAccess=true (want false), publicAccessCidrs=${cidrs.join(',')}`);
    } else {
      const extra = cidrs.filter((x) => !allowed.includes(x));
      if (extra.length > 0)
        failures.push(`publicAccessCidrs has ${extra.join(',')} beyond the configured CIDRs`);
    }
  } else if (vpc.endpointPublicAccess !== false) {
    failures.push('endpointPublicAccess is not reported (want false)');
  }
  const evidence = [`endpointPublicAccess=${pub}`, `endpointPrivateAccess=${priv}`];
  if (pub) evidence.push(`publicAccessCidrs=${cidrs.join(',')}`);
  return result('EKS-NET-001', 'API endpoint access', failures, [evidence.join(', ')]);
}

function checkSecretsEncryption(c: Cluster, keys: ResolvedKeys): CheckResult {
  const secrets = (c.encryptionConfig ?? []).find((e) => (e.resources ?? []).includes('secrets'));
  const keyArn = secrets?.provider?.keyArn;
  const failures: string[] = [];
  if (!secrets) failures.push('no encryptionConfig for "secrets"');
  else if (!keys.secrets) failures.push(`the secrets key alias does not exist; cluster uses ${keyArn}`);
  else if (!sameKey(keyArn, keys.secrets))
    failures.push(`secrets encrypted with ${keyArn}, want ${keys.secrets}`);
  return result('EKS-KMS-001', 'Secrets envelope encryption', failures, keyArn ? [`keyArn=${keyArn}`] : []);
}

function checkLogTypes(c: Cluster): CheckResult {
  const enabled = new Set<string>(
    (c.logging?.clusterLogging ?? []).filter((s) => s.enabled === true).flatMap((s) => s.types ?? []),
  );
  const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.has(t));
  return result(
    'EKS-LOG-001',
    'control-plane log types',
    missing.length > 0 ? [`disabled: ${missing.join(', ')}`] : [],
    [`enabled: ${CONTROL_PLANE_LOG_TYPES.filter((t) => enabled.has(t)).join(', ') || 'none'}`],
  );
}

function checkAuthentication(c: Cluster): CheckResult {
  const mode = c.accessConfig?.authenticationMode;
  const bootstrap = c.accessConfig?.bootstrapClusterCreatorAdminPermissions;
  const failures: string[] = [];
  if (mode !== 'API') failures.push(`authenticationMode=${mode ?? 'unset'} (want API)`);
  return result('EKS-IAM-001', 'authentication mode', failures, [
    `authenticationMode=${mode ?? 'unset'}, bootstrapClusterCreatorAdminPermissions=${String(bootstrap)}`,
  ]);
}

function checkVersion(c: Cluster, expected: ExpectedCluster): CheckResult {
  const failures =
    c.version === expected.kubernetesVersion
      ? []
      : [`version=${c.version ?? 'unset'} (want ${expected.kubernetesVersion})`];
  // EKS assigns the platform version itself: evidence only.
  return result('EKS-VER-002', 'Kubernetes version', failures, [
    `version=${c.version}, platformVersion=${c.platformVersion ?? 'unknown'}, status=${c.status ?? 'unknown'}`,
  ]);
}

function checkDeletionProtection(c: Cluster, expected: ExpectedCluster): CheckResult {
  const actual = c.deletionProtection === true;
  // A fork that turned protection off in config declared the deviation; only an undeclared change fails.
  const failures =
    expected.deletionProtection && !actual
      ? [`deletionProtection=${String(c.deletionProtection)} (want true)`]
      : [];
  return result('EKS-OPS-001', 'cluster deletion protection', failures, [
    `deletionProtection=${actual}${expected.deletionProtection ? '' : ' (off in config: declared deviation)'}`,
  ]);
}
