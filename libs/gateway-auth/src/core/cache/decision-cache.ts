/**
 * One cached Lambda-authorizer result (LC-02): the authorizer's validated response as JSON, and when
 * it stops being valid by the injected clock. Stores may keep `decoded` (the compiled policy) next to
 * it when they hold values in process; shared stores keep only `payload` and `expiresAt`.
 */
export interface CachedDecision {
  /** The authorizer's response, re-serialised after validation (never a thrown error, LC-03). */
  readonly payload: string;
  /** Epoch milliseconds (injected clock) after which the entry is a miss. */
  readonly expiresAt: number;
  /** The compiled form, kept by in-process stores so a hit compiles nothing. */
  readonly decoded?: unknown;
  /**
   * What `decoded` and `payload` keep in memory, as parts that entries may share (an authorizer's
   * answer, its compiled policy) with their estimated bytes. A store bounded in bytes counts each
   * distinct part once, however many entries hold it; without `parts` it estimates the entry from
   * the length of `payload`. Shared stores ignore it.
   */
  readonly parts?: readonly CachedPart[];
}

/** One part of what cached entries hold in memory, see {@link CachedDecision.parts}. */
export interface CachedPart {
  /** The object itself: entries holding the same object share its bytes. */
  readonly value: object;
  /** Its estimated heap bytes. */
  readonly bytes: number;
}

/**
 * Where Lambda-authorizer decisions are cached: in process (default, {@link MemoryDecisionCache}),
 * in Redis so every task of a service shares them ({@link RedisDecisionCache}), or any store
 * implementing this. `namespace` separates authorizers (and APIs/stages); `key` is the identity-source
 * tuple. Implementations must never throw for an unavailable backend on `get` (answer `undefined`:
 * the caller then invokes the authorizer) and must bound every operation in time.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
 */
export interface DecisionCache {
  /**
   * The entry, or `undefined` on a miss or when the store is unavailable: directly when the store
   * holds entries in process (then a cached decision is answered without a promise, like
   * `authorize()`), or a promise of it when the store has to do I/O (Redis). Told apart with
   * `isPending`.
   */
  get(
    namespace: string,
    key: string,
  ): CachedDecision | undefined | Promise<CachedDecision | undefined>;
  /** Stores an entry for `ttlSeconds` (1..3600). Failures are logged, not thrown. */
  set(namespace: string, key: string, entry: CachedDecision, ttlSeconds: number): Promise<void>;
  /** Removes one identity's entry (e.g. after a logout or a permission change). */
  delete(namespace: string, key: string): Promise<void>;
  /** Removes every entry of a namespace (one authorizer), like API Gateway's "flush authorizer cache". */
  flush(namespace: string): Promise<void>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}
