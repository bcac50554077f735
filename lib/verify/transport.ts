import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type {
  DeserializeMiddleware,
  HttpHandlerOptions,
  RetryErrorInfo,
  RetryStrategyV2,
  RetryToken,
} from '@smithy/types';

/*
 * What keeps a run of `verify` bounded against an endpoint that misbehaves: a deadline over the whole
 * run, per-attempt timeouts, retries that only throttling may spend freely, and responses that are read
 * up to a size and checked for shape before the SDK parses them. Nothing here knows a check or a control.
 */

/** The run's deadline passed. */
export class DeadlineExceededError extends Error {
  constructor(public readonly ms: number) {
    super(`deadline of ${ms} ms passed`);
    this.name = 'DeadlineExceeded';
  }
}

/** A wall-clock limit shared by every call of one run: in-flight requests are aborted when it passes. */
export class Deadline {
  /** A deadline `ms` milliseconds from now. */
  public static after(ms: number): Deadline {
    return new Deadline(ms);
  }

  public readonly at: number;
  private readonly controller = new AbortController();

  private constructor(public readonly ms: number) {
    this.at = Date.now() + ms;
    // unref: a finished run must not wait for its deadline before the process can exit.
    setTimeout(() => this.controller.abort(new DeadlineExceededError(ms)), ms).unref();
  }

  public get signal(): AbortSignal {
    return this.controller.signal;
  }

  public get expired(): boolean {
    return this.controller.signal.aborted || Date.now() >= this.at;
  }

  /** Waits `ms`; rejects with DeadlineExceededError instead if the deadline passes first. */
  public sleep(ms: number): Promise<void> {
    if (Date.now() + ms >= this.at) return Promise.reject(new DeadlineExceededError(this.ms));
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** Errors a retry strategy gave up on because the deadline would pass before the next attempt. */
const cutByDeadline = new WeakSet<object>();

/** Did the run's deadline stop the retries of `err` (rather than the attempt limit)? */
export function wasCutByDeadline(err: unknown): boolean {
  return typeof err === 'object' && err !== null && cutByDeadline.has(err);
}

/** Backoff bases of AWS's standard retry mode (SDK reference: standard retry behavior). */
const BASE_DELAY_MS = { THROTTLING: 500, TRANSIENT: 100 } as const;
const MAX_DELAY_MS = 20_000;
/** How far a server's Retry-After may stretch one wait beyond the computed backoff. */
const MAX_RETRY_AFTER_EXTRA_MS = 5_000;

class Token implements RetryToken {
  constructor(private readonly count: number) {}
  public getRetryCount(): number {
    return this.count;
  }
  // The strategy waits before handing the token back, as the SDK's own strategies do.
  public getRetryDelay(): number {
    return 0;
  }
}

/**
 * AWS's standard retry mode with two limits: throttling may use every attempt (a large fleet walk meets
 * it and it passes), while timeouts, network errors and 5xx answers get at most `otherAttempts` (a dead
 * endpoint does not come back within seconds). Waits end at the deadline.
 */
export class BoundedRetryStrategy implements RetryStrategyV2 {
  constructor(
    private readonly maxAttempts: number,
    private readonly otherAttempts: number,
    private readonly deadline?: Deadline,
  ) {}

  public async acquireInitialRetryToken(): Promise<RetryToken> {
    return new Token(0);
  }

  public async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount();
    const limit =
      info.errorType === 'THROTTLING'
        ? this.maxAttempts
        : info.errorType === 'TRANSIENT'
          ? Math.min(this.maxAttempts, this.otherAttempts)
          : 1;
    if (retries + 1 >= limit) throw new Error('no attempts left');
    const base = info.errorType === 'THROTTLING' ? BASE_DELAY_MS.THROTTLING : BASE_DELAY_MS.TRANSIENT;
    let delay = Math.floor(Math.random() * Math.min(MAX_DELAY_MS, base * 2 ** retries));
    if (info.retryAfterHint) {
      const hinted = info.retryAfterHint.getTime() - Date.now();
      delay = Math.max(delay, Math.min(hinted, delay + MAX_RETRY_AFTER_EXTRA_MS));
    }
    if (this.deadline) {
      try {
        await this.deadline.sleep(delay);
      } catch (err) {
        if (info.error) cutByDeadline.add(info.error);
        throw err;
      }
    } else {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return new Token(retries + 1);
  }

  public recordSuccess(): void {
    // No retry quota: one run of a CLI, not a long-lived service sharing a token bucket.
  }
}

/** Node's HTTP handler whose requests are aborted when the run's deadline passes. */
export class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(
    options: NodeHttpHandlerOptions,
    private readonly deadline?: Deadline,
  ) {
    super(options);
  }

  public override handle(request: HttpRequest, options: HttpHandlerOptions = {}) {
    const abortSignal = options.abortSignal ?? this.deadline?.signal;
    return super.handle(request, abortSignal ? { ...options, abortSignal } : options);
  }
}

/** The wire format of a service's answers. */
export type WireFormat = 'json' | 'xml';

/** A response that is not in the service's wire format (a proxy's page, a truncated or empty body). */
export class UnreadableResponseError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly bytes: number,
    public readonly format: WireFormat,
  ) {
    super(`HTTP ${statusCode} response of ${bytes} bytes is not ${format.toUpperCase()}`);
    this.name = 'UnreadableResponse';
  }
}

/** A response body longer than the limit; the rest is not read. */
export class ResponseTooLargeError extends Error {
  constructor(public readonly limit: number) {
    super(`response body exceeds ${limit} bytes`);
    this.name = 'ResponseTooLarge';
  }
}

/** Reads a body stream up to `limit` bytes; destroys the stream and rejects past it. */
export async function readBounded(body: unknown, limit: number): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw new ResponseTooLargeError(limit);
    return body;
  }
  if (typeof body === 'string') return readBounded(Buffer.from(body, 'utf-8'), limit);
  const stream = body as AsyncIterable<Uint8Array | string> & { destroy?: (e?: Error) => void };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf-8') : Buffer.from(chunk);
    size += buf.byteLength;
    if (size > limit) {
      stream.destroy?.();
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

const XML_ROOT = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z][\w.-]*)[\s>/]/;

/**
 * Is `bytes` an answer in `format`? JSON answers are one object; an XML answer's root element is
 * `<Operation>Response` (errors: `Response` for EC2, `ErrorResponse` for the query services) and closes.
 * Pure.
 */
export function isWellFormed(bytes: Uint8Array, format: WireFormat, operation: string, ok: boolean): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  if (format === 'json') {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      return false;
    }
  }
  const root = XML_ROOT.exec(text)?.[1];
  const roots = ok ? [`${operation}Response`] : ['Response', 'ErrorResponse'];
  return root !== undefined && roots.includes(root) && text.trimEnd().endsWith(`</${root}>`);
}

/**
 * Reads each raw response (at most `maxBytes`) before the SDK's deserializer sees it. A successful answer
 * that is not in the wire format fails the call (`UnreadableResponseError`) instead of parsing into an
 * empty result; an error answer that is not becomes an empty body, so the SDK reports the HTTP status
 * rather than the bytes it could not parse.
 */
export function boundedResponses<I extends object, O extends object>(
  format: WireFormat,
  maxBytes: number,
): DeserializeMiddleware<I, O> {
  return (next, context) => async (args) => {
    const out = await next(args);
    const response = out.response;
    if (!HttpResponse.isInstance(response)) return out;
    const bytes = await readBounded(response.body, maxBytes);
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    const operation = String(context.commandName ?? '').replace(/Command$/, '');
    if (isWellFormed(bytes, format, operation, ok)) {
      response.body = bytes;
    } else if (ok) {
      throw new UnreadableResponseError(response.statusCode, bytes.byteLength, format);
    } else {
      response.body = new Uint8Array(0);
    }
    return out;
  };
}
