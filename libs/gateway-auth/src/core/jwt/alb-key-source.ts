import { createPublicKey } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { fetchLimited } from './fetch-limited';
import type { JwksOptions } from './jwks-key-source';
import { JwtRejection } from './jwt-rejection';
import type { KeySource, VerificationKey } from './key-source';
import { keyFitsAlgorithm } from './verify-signature';

/** What an {@link AlbKeySource} needs. */
export interface AlbKeySourceOptions extends Pick<
  JwksOptions,
  'timeoutMs' | 'refetchIntervalSeconds'
> {
  /** URL of the PEM public key for a kid (ALB-03). */
  keyUrl: (kid: string) => string;
  clock: Clock;
  logger: Logger;
  /** Most keys kept. Default 100. */
  maxKeys?: number;
}

/** ALB kids are UUIDs; anything else is refused before it can reach a URL. */
const KID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * ALB public keys (PEM, one URL per kid, ALB-03) as a {@link KeySource}: each key is fetched once,
 * parsed into a P-256 `KeyObject` and kept (ALB keys do not change under a kid). A fetch for a new kid
 * happens at most once per refetch interval across all kids, so random kids cannot cause a flood.
 */
export class AlbKeySource implements KeySource {
  /** Fetches attempted so far. */
  fetchCount = 0;
  private readonly keys = new Map<string, VerificationKey>();
  private readonly inflight = new Map<string, Promise<VerificationKey>>();
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private readonly abort = new AbortController();
  private readonly intervalMs: number;

  constructor(private readonly options: AlbKeySourceOptions) {
    this.intervalMs = (options.refetchIntervalSeconds ?? 10) * 1000;
  }

  getKey(kid: string): Promise<VerificationKey> {
    const known = this.keys.get(kid);
    if (known) return Promise.resolve(known);
    const pending = this.inflight.get(kid);
    if (pending) return pending;
    if (!KID.test(kid)) {
      return Promise.reject(new JwtRejection('TOKEN_UNKNOWN_KID', 'ALB kid has an invalid format'));
    }
    const now = this.options.clock.now();
    if (this.abort.signal.aborted || now - this.lastFetchAt < this.intervalMs) {
      return Promise.reject(
        new JwtRejection(
          'TOKEN_UNKNOWN_KID',
          'unknown ALB kid refused without a fetch: refetch interval not elapsed',
        ),
      );
    }
    this.lastFetchAt = now;
    const fetching = this.fetchKey(kid).finally(() => this.inflight.delete(kid));
    this.inflight.set(kid, fetching);
    return fetching;
  }

  peekKey(kid: string): VerificationKey | undefined {
    return this.keys.get(kid);
  }

  close(): void {
    this.abort.abort();
  }

  private async fetchKey(kid: string): Promise<VerificationKey> {
    this.fetchCount += 1;
    const url = this.options.keyUrl(kid);
    try {
      const pem = await fetchLimited(url, {
        timeoutMs: this.options.timeoutMs ?? 1500,
        maxBytes: 8192,
        signal: this.abort.signal,
      });
      const keyObject = createPublicKey(pem);
      if (!keyFitsAlgorithm(keyObject, 'ES256')) throw new Error('not a P-256 public key');
      const key: VerificationKey = { kid, algorithms: ['ES256'], keyObject };
      if (this.keys.size >= (this.options.maxKeys ?? 100)) {
        const oldest = this.keys.keys().next();
        if (oldest.done !== true) this.keys.delete(oldest.value);
      }
      this.keys.set(kid, key);
      this.options.logger.log('info', 'alb.key_fetched', { kid });
      return key;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.log('warn', 'alb.key_fetch_failed', { kid, reason });
      throw new JwtRejection('JWKS_UNAVAILABLE', `ALB key ${kid}: ${reason}`, undefined, error);
    }
  }
}
