import { isThrottlingError } from '@smithy/core/retry';
import {
  DeadlineExceededError,
  ResponseTooLargeError,
  UnreadableResponseError,
  wasCutByDeadline,
} from './transport';

/**
 * Why verification stopped before a verdict: `usage` (arguments, config), `credentials`, `access-denied`,
 * `not-found` (the cluster), `unreachable` (network, timeouts), `deadline`, `throttled`, `server-error`
 * (5xx after retries), `bad-response` (not the service's wire format, or too large), `aws-error` (any other
 * answer the service refused the request with), `internal` (a defect in verify itself).
 */
export type VerifyErrorKind =
  | 'usage'
  | 'credentials'
  | 'access-denied'
  | 'not-found'
  | 'unreachable'
  | 'deadline'
  | 'throttled'
  | 'server-error'
  | 'bad-response'
  | 'aws-error'
  | 'internal';

/**
 * A problem that stops verification before a verdict (exit code 2): bad arguments, missing credentials, a
 * missing permission, a cluster that is not there, an endpoint that does not answer properly. Its message
 * is one line for people, naming the API call (`service:Operation`) where there is one, and the fix.
 */
export class VerifyError extends Error {
  public readonly kind: VerifyErrorKind;
  /** The API call that failed, `service:Operation`. */
  public readonly action?: string;

  /** `cause`: the SDK error, kept so callers can still ask which service error it was. */
  constructor(message: string, kind: VerifyErrorKind = 'usage', action?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'VerifyError';
    this.kind = kind;
    if (action !== undefined) this.action = action;
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

/** Node socket errors: the endpoint is unreachable, not the request wrong. */
const NETWORK = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
];

const REACH_FIX = 'check network access to the service endpoint (VPC endpoints, proxy, AWS_ENDPOINT_URL)';

/** The service error's name; through a VerifyError, the name of the SDK error it wraps. */
function errorName(err: unknown): string {
  if (VerifyError.isVerifyError(err)) return err.cause === undefined ? '' : errorName(err.cause);
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

interface SdkMetadata {
  readonly httpStatusCode?: number;
  readonly attempts?: number;
}

function metadataOf(err: unknown): SdkMetadata {
  if (err && typeof err === 'object' && '$metadata' in err && typeof err.$metadata === 'object') {
    return (err.$metadata ?? {}) as SdkMetadata;
  }
  return {};
}

/** A service's text, made safe for one line: printable ASCII, at most 200 characters. */
function oneLine(text: string): string {
  const flat = text.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const attemptsText = (n: number | undefined) =>
  n === undefined ? '' : `, ${n} attempt${n === 1 ? '' : 's'}`;

/** `1500` -> `1.5s`. */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))}s`;

/** The deadline error behind `err`: itself, or the cause of the SDK's AbortError. */
function deadlineOf(err: unknown): DeadlineExceededError | undefined {
  if (err instanceof DeadlineExceededError) return err;
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof DeadlineExceededError ? cause : undefined;
}

/** The socket error code behind `err`, if any (the SDK may drop `code` when it wraps; the message keeps it). */
function networkCodeOf(err: unknown): string | undefined {
  const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  if (NETWORK.includes(code)) return code;
  const text = messageOf(err);
  return NETWORK.find((c) => text.includes(c));
}

/**
 * Turns an error from the API call `action` (`service:Operation`) into a one-line VerifyError that names
 * the call and the fix, never the raw bytes of a response.
 */
export function toVerifyError(action: string, err: unknown): VerifyError {
  if (VerifyError.isVerifyError(err)) return err;
  const name = errorName(err);
  const { httpStatusCode: status, attempts } = metadataOf(err);
  const fail = (kind: VerifyErrorKind, message: string) => new VerifyError(message, kind, action, err);
  // The SDK names an error it could not read a code from `Unknown`.
  const code = name === '' || /^Unknown(Error)?$/.test(name) ? undefined : name;

  const deadline = deadlineOf(err);
  if (deadline || wasCutByDeadline(err)) {
    const ms = deadline?.ms;
    return fail(
      'deadline',
      `Gave up at ${action}: verify ran past its deadline${ms === undefined ? '' : ` of ${seconds(ms)}`} (--deadline)${wasCutByDeadline(err) ? ` while retrying ${name || 'an error'}` : ''}; raise --deadline, or find out why the AWS API answers slowly`,
    );
  }
  if (ACCESS_DENIED.has(name)) {
    return fail(
      'access-denied',
      `Access denied: the credentials lack ${action}; attach the hardened-eks verify policy (see README "verify") to the role you run as`,
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return fail(
      'credentials',
      `No usable AWS credentials for ${action} (${oneLine(messageOf(err).split('\n')[0])}); set AWS_PROFILE or pass --profile, or export credentials`,
    );
  }
  if (err instanceof ResponseTooLargeError) {
    return fail(
      'bad-response',
      `${action} answered with more than ${err.limit} bytes, more than verify reads of one response; check AWS_ENDPOINT_URL and any proxy in between`,
    );
  }
  if (err instanceof UnreadableResponseError) {
    return fail(
      'bad-response',
      `${action} answered with a response verify cannot read (HTTP ${err.statusCode}, ${err.bytes} bytes, not ${err.format.toUpperCase()}); check AWS_ENDPOINT_URL and any proxy in between`,
    );
  }
  if (name === 'TimeoutError') {
    // The SDK's messages name the phase and the limit in milliseconds.
    const text = messageOf(err);
    const ms = Number(/(\d+) ms/.exec(text)?.[1]);
    const limit = Number.isFinite(ms) ? ` within ${seconds(ms)}` : '';
    return /establish a connection/.test(text)
      ? fail(
          'unreachable',
          `Cannot reach the AWS API for ${action}: no connection${limit} (--connect-timeout${attemptsText(attempts)}); ${REACH_FIX}`,
        )
      : fail(
          'unreachable',
          `No answer from the AWS API for ${action}${limit} (--request-timeout${attemptsText(attempts)}); ${REACH_FIX}`,
        );
  }
  const socketError = networkCodeOf(err);
  if (socketError) {
    return fail(
      'unreachable',
      `Cannot reach the AWS API for ${action} (${socketError}${attemptsText(attempts)}); ${REACH_FIX}`,
    );
  }
  if (err && typeof err === 'object' && isThrottlingError(err as Parameters<typeof isThrottlingError>[0])) {
    return fail(
      'throttled',
      `AWS throttled ${action} (${code ?? `HTTP ${status}`}${attemptsText(attempts)}); try again later, or raise --max-attempts`,
    );
  }
  if (status !== undefined && status >= 500) {
    return fail(
      'server-error',
      `${action} failed: the service answered HTTP ${status} (${code ?? 'no error code'}${attemptsText(attempts)}); try again later, or check the endpoint and any proxy in between`,
    );
  }
  // The SDK could not parse what came back: say so without echoing the bytes it quotes.
  if (name === 'SyntaxError' || /Deserialization error|parse error/i.test(messageOf(err))) {
    return fail(
      'bad-response',
      `${action} answered with a response verify cannot read (HTTP ${status ?? 'unknown'}); check AWS_ENDPOINT_URL and any proxy in between`,
    );
  }
  if (status !== undefined) {
    return fail(
      'aws-error',
      `${action} failed: ${code ?? 'error'} (HTTP ${status}): ${oneLine(messageOf(err).split('\n')[0])}`,
    );
  }
  return fail(
    'aws-error',
    `${action} failed: ${oneLine(`${name || 'Error'}: ${messageOf(err).split('\n')[0]}`)}`,
  );
}

/** Runs one API call; any failure becomes a VerifyError naming it. */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toVerifyError(action, err);
  }
}

/** Iterates an SDK paginator page by page; any failure becomes a VerifyError naming the call. */
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
