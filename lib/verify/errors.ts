/**
 * A problem that stops verification before a verdict (exit code 2): bad arguments, missing credentials, a
 * missing permission, a cluster that is not there. Its message is one line for people, naming the fix.
 */
export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }

  public static isVerifyError(x: unknown): x is VerifyError {
    return x instanceof VerifyError;
  }
}

/** Error names the services use for a denied action (EKS/SSM/Logs/KMS, EC2, IAM). */
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
]);

/** Error names that mean the credentials themselves are missing, unknown or expired. */
const BAD_CREDENTIALS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AuthFailure',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

function errorName(err: unknown): string {
  if (err && typeof err === 'object' && 'name' in err && typeof err.name === 'string') return err.name;
  return '';
}

/** Is `err` the service error `name` (e.g. ECR's `RepositoryNotFoundException`)? */
export function isErrorNamed(err: unknown, name: string): boolean {
  return errorName(err) === name;
}

export function isNotFound(err: unknown): boolean {
  return ['ResourceNotFoundException', 'NotFoundException'].includes(errorName(err));
}

/** Turns an SDK error from `action` into a VerifyError that names the action and the fix. */
export function toVerifyError(action: string, err: unknown): Error {
  if (VerifyError.isVerifyError(err)) return err;
  const name = errorName(err);
  if (ACCESS_DENIED.has(name)) {
    return new VerifyError(
      `Access denied: the credentials lack ${action}; attach the hardened-eks verify policy (see README "verify") to the role you run as`,
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    const detail = err instanceof Error ? ` (${err.message.split('\n')[0]})` : '';
    return new VerifyError(
      `No usable AWS credentials for ${action}${detail}; set AWS_PROFILE or pass --profile, or export credentials`,
    );
  }
  // The SDK may wrap a socket error (and drop its code) when it crosses realms; the message keeps it.
  const code =
    err && typeof err === 'object' && 'code' in err && NETWORK.has(String(err.code))
      ? String(err.code)
      : ([...NETWORK].find((c) => err instanceof Error && err.message.includes(c)) ?? '');
  if (code) {
    return new VerifyError(
      `Cannot reach the AWS API for ${action} (${code}); check network access to the service endpoint (VPC endpoints, proxy, AWS_ENDPOINT_URL)`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Node socket errors: the endpoint is unreachable, not the request wrong. */
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

/** Runs one API call; a denied action becomes a VerifyError naming it. */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toVerifyError(action, err);
  }
}

/** Iterates an SDK paginator page by page; a denied action becomes a VerifyError naming it. */
export async function* pages<T>(action: string, paginator: AsyncIterable<T>): AsyncGenerator<T> {
  const it = paginator[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = await it.next();
    } catch (err) {
      throw toVerifyError(action, err);
    }
    if (next.done) return;
    yield next.value;
  }
}
