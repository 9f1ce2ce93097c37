/**
 * An invoker bounded in time and concurrency: a timeout counting the wait for a slot, and at most
 * `maxConcurrency` invocations at once.
 */
import {
  AuthorizerFunctionError,
  type AuthorizerInvoker,
  type InvocationOptions,
} from './authorizer-invoker';

/** Raised when an invocation (including its wait for a concurrency slot) outlives the timeout. */
export class AuthorizerTimeoutError extends AuthorizerFunctionError {
  constructor(timeoutMs: number) {
    super(`the authorizer did not answer within ${timeoutMs} ms`);
    this.name = 'AuthorizerTimeoutError';
  }
}

/**
 * Wraps an invoker with a timeout and a concurrency bound: at most `maxConcurrency` invocations run
 * at once, later ones wait in line, and a call that has not settled `timeoutMs` after it was asked
 * for (waiting included) fails with {@link AuthorizerTimeoutError} and its I/O is aborted.
 */
export class BoundedInvoker implements AuthorizerInvoker {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly inner: AuthorizerInvoker,
    private readonly timeoutMs: number,
    private readonly maxConcurrency: number,
  ) {}

  async invoke(
    event: unknown,
    options: Pick<InvocationOptions, 'requestId' | 'traceHeaders'>,
  ): Promise<unknown> {
    // AbortController is costly next to an in-process call: create it only if the invoker reads it.
    let controller: AbortController | undefined;
    let timedOut = false;
    const signal = (): AbortSignal => {
      controller ??= new AbortController();
      if (timedOut) controller.abort();
      return controller.signal;
    };
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller?.abort();
        wake?.();
        reject(new AuthorizerTimeoutError(this.timeoutMs));
      }, this.timeoutMs);
    });
    const started = performance.now();
    const run = async (): Promise<unknown> => {
      await this.acquire((release) => (wake = release));
      try {
        if (timedOut) throw new AuthorizerTimeoutError(this.timeoutMs);
        const timeoutMs = Math.max(0, this.timeoutMs - (performance.now() - started));
        return await this.inner.invoke(event, {
          get signal() {
            return signal();
          },
          timeoutMs,
          requestId: options.requestId,
          get traceHeaders() {
            return options.traceHeaders;
          },
        });
      } finally {
        this.release();
      }
    };
    const running = run();
    running.catch(() => undefined); // settled after a timeout: already answered.
    try {
      return await Promise.race([running, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  /** Takes a slot, waiting in line if needed; `onWait` gets a function that gives up waiting. */
  private acquire(onWait: (giveUp: () => void) => void): Promise<void> {
    if (this.active < this.maxConcurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const grant = (): void => {
        this.active += 1;
        resolve();
      };
      this.waiting.push(grant);
      onWait(() => {
        const index = this.waiting.indexOf(grant);
        if (index !== -1) {
          this.waiting.splice(index, 1);
          this.active += 1; // balanced by release() in run()
          resolve();
        }
      });
    });
  }

  private release(): void {
    this.active -= 1;
    const next = this.waiting.shift();
    if (next) next();
  }
}
