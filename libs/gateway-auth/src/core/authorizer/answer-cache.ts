/**
 * The cache lookup of the authorizer model: an identity's answer read from the decision cache while
 * fresh by the injected clock (LC-01) — without a promise when the store answers without one (the
 * in-process store) — and, on a miss, one invocation per identity at a time (single flight) whose
 * answer is interned and written to the store, denies included (LC-03).
 */
import { isPending } from '../authenticator';
import type { Clock } from '../clock';
import type { CachedDecision, DecisionCache } from '../cache/decision-cache';
import { SingleFlight } from '../cache/single-flight';
import type { AuthTelemetry } from '../telemetry/auth-telemetry';
import type { AuthorizerAnswer } from './authorizer-answers';
import type { AuthorizerDefinition } from './authorizer-definitions';
import type { RequestView } from './request-view';

/** An identity's cached answer, `undefined` on a miss: a promise when the store answers with one. */
export type CachedAnswerLookup =
  AuthorizerAnswer | undefined | Promise<AuthorizerAnswer | undefined>;

/** Options of {@link AnswerCache}. */
export interface AnswerCacheOptions {
  store: DecisionCache;
  clock: Clock;
  telemetry: AuthTelemetry;
}

/**
 * Authorizer answers in a {@link DecisionCache}, under the authorizer's namespace and the identity's
 * cache key. Entries hold the interned answer itself (`decoded`, for stores holding values in
 * process) and its canonical JSON (`payload`, for shared stores): a shared store's text is decoded
 * once per distinct answer.
 */
export class AnswerCache {
  /**
   * Misses being loaded, by namespace and key: 1,000 concurrent requests with one new token invoke
   * the function once (behaviour, tested; not a speed memo: nothing is kept once it settles).
   */
  private readonly flights = new SingleFlight<AuthorizerAnswer>();

  constructor(private readonly options: AnswerCacheOptions) {}

  /**
   * The answer cached for `key` while fresh at the request's arrival, else `undefined`; told to
   * telemetry as a hit or a miss. Answered synchronously when the store answers synchronously.
   */
  lookup(definition: AuthorizerDefinition, key: string, view: RequestView): CachedAnswerLookup {
    const entry = this.options.store.get(definition.namespace, key);
    if (isPending(entry)) return this.settle(definition, entry, view);
    return this.told(definition, this.fresh(definition, entry, view.now), view);
  }

  /**
   * The answer for `key` from `invoke`, interned and stored for the authorizer's TTL; concurrent
   * callers with the same key share one invocation (and an entry another task stored meanwhile).
   * @throws what `invoke` throws (a refusal or failure is never cached, LC-03).
   */
  load(
    definition: AuthorizerDefinition,
    key: string,
    invoke: () => Promise<AuthorizerAnswer>,
  ): Promise<AuthorizerAnswer> {
    const { store, clock } = this.options;
    return this.flights.run(`${definition.namespace}\u0000${key}`, async () => {
      const raced = this.fresh(definition, await store.get(definition.namespace, key), clock.now());
      if (raced) return raced;
      // The answer is shared with every entry holding an equal one: an entry adds its key only.
      const answer = definition.answers.intern(await invoke());
      const entry: CachedDecision = {
        payload: answer.payload,
        expiresAt: clock.now() + definition.ttlSeconds * 1000,
        decoded: answer,
        parts: answer.parts,
      };
      await store.set(definition.namespace, key, entry, definition.ttlSeconds);
      return answer;
    });
  }

  /** Removes one identity's entry. */
  async delete(definition: AuthorizerDefinition, key: string): Promise<void> {
    await this.options.store.delete(definition.namespace, key);
  }

  /** Removes every entry of one authorizer. */
  async flush(definition: AuthorizerDefinition): Promise<void> {
    await this.options.store.flush(definition.namespace);
  }

  private async settle(
    definition: AuthorizerDefinition,
    pending: PromiseLike<CachedDecision | undefined>,
    view: RequestView,
  ): Promise<AuthorizerAnswer | undefined> {
    return this.told(definition, this.fresh(definition, await pending, view.now), view);
  }

  private told(
    definition: AuthorizerDefinition,
    answer: AuthorizerAnswer | undefined,
    view: RequestView,
  ): AuthorizerAnswer | undefined {
    this.options.telemetry.cacheLookup(
      view.request,
      answer ? definition.hitLookup : definition.missLookup,
    );
    return answer;
  }

  /** The entry's answer when not expired at `now`; `undefined` otherwise or when unreadable. */
  private fresh(
    definition: AuthorizerDefinition,
    entry: CachedDecision | undefined,
    now: number,
  ): AuthorizerAnswer | undefined {
    if (entry === undefined || entry.expiresAt <= now) return undefined;
    // Written by load() in this process (in-process stores keep it): the interned answer itself.
    if (entry.decoded !== undefined) return entry.decoded as AuthorizerAnswer;
    // A shared store's text; unreadable is a miss: the authorizer decides again.
    return definition.answers.fromPayload(entry.payload);
  }
}
