import {
  paginateDescribeLogGroups,
  type CloudWatchLogsClient,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import { pages } from './errors';
import type { ExpectedCluster } from './expected';
import { sameKey, type ResolvedKeys } from './keys';
import { result, type CheckResult } from './types';

export async function describeControlPlaneLogGroup(
  logs: CloudWatchLogsClient,
  expected: ExpectedCluster,
): Promise<LogGroup | undefined> {
  const name = expected.controlPlaneLogGroup;
  for await (const page of pages(
    'logs:DescribeLogGroups',
    paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: name }),
  )) {
    const found = (page.logGroups ?? []).find((g) => g.logGroupName === name);
    if (found) return found;
  }
  return undefined;
}

/** The control-plane log group exists, is encrypted with the logs key and keeps the configured retention. Pure. */
export function checkControlPlaneLogGroup(
  group: LogGroup | undefined,
  expected: ExpectedCluster,
  keys: ResolvedKeys,
): CheckResult {
  const name = expected.controlPlaneLogGroup;
  if (!group) return result('EKS-LOG-002', 'control-plane log group', [`${name} does not exist`], []);
  const failures: string[] = [];
  if (!group.kmsKeyId) failures.push('not KMS-encrypted');
  else if (!sameKey(group.kmsKeyId, keys.logs)) {
    failures.push(
      `encrypted with ${group.kmsKeyId}, want ${keys.logs ?? `${expected.keyAliases.logs} (alias not found)`}`,
    );
  }
  if (group.retentionInDays !== expected.logRetentionDays) {
    failures.push(
      `retentionInDays=${group.retentionInDays ?? 'never expire'} (want ${expected.logRetentionDays})`,
    );
  }
  return result('EKS-LOG-002', 'control-plane log group', failures, [
    `${name}: kmsKeyId=${group.kmsKeyId ?? '-'}, retentionInDays=${group.retentionInDays ?? '-'}`,
  ]);
}
