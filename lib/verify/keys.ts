import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { call, isNotFound, toVerifyError } from './errors';
import type { ExpectedCluster } from './expected';

/** The blueprint's keys as KMS answers for their aliases; `undefined` when an alias does not exist. */
export interface ResolvedKeys {
  readonly secrets?: string;
  readonly ebs?: string;
  readonly logs?: string;
  readonly images?: string;
}

/** Resolves `alias/<cluster>/<purpose>` to key ARNs: the APIs report ARNs, config knows aliases. */
export async function resolveKeys(kms: KMSClient, expected: ExpectedCluster): Promise<ResolvedKeys> {
  const one = async (alias: string): Promise<string | undefined> => {
    try {
      const res = await call('kms:DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId: alias })));
      return res.KeyMetadata?.Arn;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toVerifyError('kms:DescribeKey', err);
    }
  };
  const [secrets, ebs, logs, images] = await Promise.all([
    one(expected.keyAliases.secrets),
    one(expected.keyAliases.ebs),
    one(expected.keyAliases.logs),
    // Only the detection stack's repositories use it; without them the alias does not exist.
    expected.imageRepositories.names.length > 0 ? one(expected.keyAliases.images) : undefined,
  ]);
  return { secrets, ebs, logs, images };
}

/** Does `actual` (an ARN or id as an API reports it) name the key `expectedArn`? */
export function sameKey(actual: string | undefined, expectedArn: string | undefined): boolean {
  if (!actual || !expectedArn) return false;
  return actual === expectedArn || expectedArn.endsWith(`/${actual}`);
}
