/**
 * Coalesces concurrent work per key: while a call for `key` is running, later callers get the same
 * promise, so 1,000 concurrent requests with one new token invoke the authorizer once. Nothing is
 * remembered after the promise settles (results live in the decision cache; errors are not cached,
 * LC-03).
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** The running call for `key`, if any. */
  current(key: string): Promise<T> | undefined {
    return this.running.get(key);
  }

  /** Joins the running call for `key` or starts `work`. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const promise = work().finally(() => {
      if (this.running.get(key) === promise) this.running.delete(key);
    });
    this.running.set(key, promise);
    return promise;
  }
}
