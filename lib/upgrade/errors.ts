import { call as verifyCall, isNotFound, pages as verifyPages, VerifyError } from '../verify/errors';

/**
 * A problem that stops planning before a plan (exit code 2): bad arguments, missing credentials or
 * permissions, an unreachable endpoint, a cluster that is not there or runs a newer version than the
 * config. Its message is one line for people, naming the fix.
 */
export class UpgradePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpgradePlanError';
  }

  public static isUpgradePlanError(x: unknown): x is UpgradePlanError {
    return x instanceof UpgradePlanError;
  }
}

/**
 * verify's errors point at the verify policy; upgrade-plan needs its own actions (README "Upgrading").
 * A not-found error passes through, for the caller to say what is missing.
 */
function retarget(err: unknown): never {
  if (VerifyError.isVerifyError(err) && !isNotFound(err)) {
    throw new UpgradePlanError(
      err.message.replace(
        /attach the hardened-eks verify policy \(see README "verify"\)/,
        'grant the read-only actions of README "Upgrading"',
      ),
    );
  }
  throw err;
}

/** One read-only API call; denied actions, bad credentials and unreachable endpoints become one line. */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await verifyCall(action, fn);
  } catch (err) {
    return retarget(err);
  }
}

/** Every page of an SDK paginator, with the same error handling as `call`. */
export async function* pages<T>(action: string, paginator: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* verifyPages(action, paginator);
  } catch (err) {
    retarget(err);
  }
}
