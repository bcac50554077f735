import { Readable } from 'stream';
import { CLIENT_DEFAULTS } from '../../lib/verify/clients';
import { toVerifyError } from '../../lib/verify/errors';
import {
  BoundedRetryStrategy,
  Deadline,
  isWellFormed,
  readBounded,
  ResponseTooLargeError,
  wasCutByDeadline,
} from '../../lib/verify/transport';

const bytes = (text: string) => Buffer.from(text, 'utf-8');
const SECRET = 'SECRET-BYTES-0123456789';

describe('verify transport: answers in the wire format only |', () => {
  test.each([
    ['a JSON object', 'json', true, true, '{"cluster":{}}'],
    ['an empty body', 'json', true, false, ''],
    ['a JSON array', 'json', true, false, '[]'],
    ['null', 'json', true, false, 'null'],
    ['an HTML page', 'json', true, false, '<html></html>'],
    ['bytes that are not UTF-8', 'json', true, false, '\xff\xfe{}'],
    [
      'the operation response',
      'xml',
      true,
      true,
      '<?xml version="1.0"?>\n<DescribeInstancesResponse x="1"></DescribeInstancesResponse>\n',
    ],
    ['another operation response', 'xml', true, false, '<DescribeImagesResponse></DescribeImagesResponse>'],
    ['a truncated response', 'xml', true, false, '<DescribeInstancesResponse><reservationSet>'],
    ['an HTML page', 'xml', true, false, '<html><body></body></html>'],
    ['an EC2 error', 'xml', false, true, '<Response><Errors></Errors></Response>'],
    ['a query error', 'xml', false, true, '<ErrorResponse><Error></Error></ErrorResponse>'],
    ['an HTML error page', 'xml', false, false, '<html></html>'],
  ] as const)('%s as %s (a success: %s) is well-formed: %s', (_what, format, ok, expected, body) => {
    const buf = body.startsWith('\xff') ? Buffer.from([0xff, 0xfe, 0x7b, 0x7d]) : bytes(body);
    expect(isWellFormed(buf, format, 'DescribeInstances', ok)).toBe(expected);
  });

  test('a body is read up to the limit; past it the stream is destroyed and the call fails', async () => {
    expect(Buffer.from(await readBounded(Readable.from([bytes('ab'), bytes('cd')]), 4)).toString()).toBe(
      'abcd',
    );
    const stream = Readable.from([bytes('ab'), bytes('cd'), bytes('ef')]);
    await expect(readBounded(stream, 4)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(stream.destroyed).toBe(true);
    await expect(readBounded(bytes('abcde'), 4)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });
});

describe('verify transport: retries |', () => {
  beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
  afterEach(() => jest.restoreAllMocks());

  /** How many attempts a strategy allows for one error type. */
  async function attempts(
    strategy: BoundedRetryStrategy,
    errorType: 'THROTTLING' | 'TRANSIENT' | 'CLIENT_ERROR',
  ) {
    let token = await strategy.acquireInitialRetryToken();
    let n = 1;
    for (;;) {
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { errorType });
        n++;
      } catch {
        return n;
      }
    }
  }

  test('throttling may use every attempt; timeouts, network errors and 5xx at most 3; a refusal none', async () => {
    const strategy = new BoundedRetryStrategy(8, 3);
    expect(await attempts(strategy, 'THROTTLING')).toBe(8);
    expect(await attempts(strategy, 'TRANSIENT')).toBe(3);
    expect(await attempts(strategy, 'CLIENT_ERROR')).toBe(1);
    expect(await attempts(new BoundedRetryStrategy(2, 3), 'TRANSIENT')).toBe(2);
  });

  test('a wait that would pass the deadline gives up at once, and the error says it was the deadline', async () => {
    const strategy = new BoundedRetryStrategy(8, 3, Deadline.after(1000));
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
      cause: undefined,
    });
    const started = Date.now();
    const token = await strategy.acquireInitialRetryToken();
    // A Retry-After an hour away: the SDK would wait up to 5 s more than its backoff.
    await expect(
      strategy.refreshRetryTokenForRetry(token, {
        errorType: 'THROTTLING',
        error: throttled,
        retryAfterHint: new Date(Date.now() + 3_600_000),
      }),
    ).rejects.toThrow(/deadline/);
    // Not the hour the hint asks for, nor the SDK's extra 5 s (bounded loosely: CI machines can be slow).
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(wasCutByDeadline(throttled)).toBe(true);
    expect(toVerifyError('ec2:DescribeInstances', throttled).message).toBe(
      'Gave up at ec2:DescribeInstances: verify ran past its deadline (--deadline) while retrying ThrottlingException; raise --deadline, or find out why the AWS API answers slowly',
    );
  });

  test('by default a dead endpoint ends one call in under 2 minutes: attempts x request timeout + backoff', () => {
    const { otherAttempts, requestTimeoutMs, connectTimeoutMs } = CLIENT_DEFAULTS;
    // Backoff caps of AWS's standard mode: 100 ms base, doubling, 20 s at most.
    const backoff = Array.from({ length: otherAttempts - 1 }, (_, i) => Math.min(20_000, 100 * 2 ** i));
    const worst =
      otherAttempts * Math.max(requestTimeoutMs, connectTimeoutMs) + backoff.reduce((a, b) => a + b, 0);
    expect(worst).toBeLessThan(2 * 60 * 1000);
  });
});

describe('verify errors: one line naming the call, never the bytes of an answer |', () => {
  const sdkError = (name: string, message: string, status: number) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts: 1 } });

  test('a body the SDK could not parse is named, its bytes are not', () => {
    const err = sdkError(
      'SyntaxError',
      `Unexpected token '<', "<html>${SECRET}"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
      200,
    );
    const message = toVerifyError('eks:DescribeCluster', err).message;
    expect(message).toBe(
      'eks:DescribeCluster answered with a response verify cannot read (HTTP 200); check AWS_ENDPOINT_URL and any proxy in between',
    );
  });

  test('another refusal keeps the service message, on one line, printable and cut at 200 characters', () => {
    const err = sdkError('InvalidParameterException', `bad\nvalue \u0007${'x'.repeat(300)}`, 400);
    const message = toVerifyError('eks:DescribeAddon', err).message;
    expect(message.startsWith('eks:DescribeAddon failed: InvalidParameterException (HTTP 400): bad')).toBe(
      true,
    );
    expect(message).not.toContain('\n');
    expect(message).not.toContain('\u0007');
    expect(message.length).toBeLessThan(300);
  });
});
