import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import {
  noopTelemetry,
  type AuthTelemetry,
  type DependencyCall,
} from '../telemetry/auth-telemetry';
import { fetchLimited } from './fetch-limited';
import { JwtRejection } from './jwt-rejection';
import type { KeySource, VerificationKey } from './key-source';
import { keyFitsAlgorithm, type JwsAlgorithm } from './verify-signature';

/** Tuning of a JWKS key source; every field has a safe default. */
export interface JwksOptions {
  /** Deadline of one JWKS fetch, ms. Default 1500 (HJWT-06). */
  timeoutMs?: number;
  /** Largest JWKS document accepted, bytes. Default 150000 (HJWT-06). */
  maxResponseBytes?: number;
  /**
   * Minimum time between two fetches, seconds. An unknown `kid` (key rotation) triggers a fetch only
   * if the last one is older than this; otherwise it is refused without a fetch, so a flood of random
   * kids costs at most one fetch per interval. A failed fetch also waits this long. Default 10.
   */
  refetchIntervalSeconds?: number;
  /**
   * Age after which a successful key set is refreshed in the background on its next use, seconds.
   * Cached keys keep serving meanwhile, also while the endpoint is down. Default 3600.
   */
  maxAgeSeconds?: number;
  /** Most keys kept from one document. Default 50. */
  maxKeys?: number;
  /**
   * Replaces the HTTP GET of the JWKS document (a proxy, a file, tests). Its answer goes through the
   * same hygiene filter. Default: a GET with the timeout and size limit above.
   */
  fetchDocument?: (jwksUri: string) => Promise<unknown>;
}

/** What a {@link JwksKeySource} needs besides its tuning. */
export interface JwksKeySourceOptions extends JwksOptions {
  jwksUri: string;
  /** The issuer's algorithms; keys are only used for these. */
  algorithms: readonly JwsAlgorithm[];
  clock: Clock;
  logger: Logger;
  /** Where fetches are traced and counted. Default: nothing recorded. */
  telemetry?: AuthTelemetry;
}

/** What a JWKS health check reports. */
export interface JwksHealth {
  jwksUri: string;
  /**
   * True while tokens can be verified: keys are held (even if the endpoint is down now, the cached
   * keys keep serving, as long as they are younger than the check's `maxStaleSeconds`).
   */
  healthy: boolean;
  /** Keys held now. */
  cachedKeys: number;
  /** Epoch ms of the last successful fetch (`undefined`: none yet). */
  lastSuccessAt: number | undefined;
  /** Epoch ms of the last fetch attempt. */
  lastFetchAt: number | undefined;
  /** Why the last fetch failed, while failing (cleared by a success). */
  lastError: string | undefined;
}

interface StoredKey extends VerificationKey {
  readonly pem: string;
}

/**
 * A {@link KeySource} backed by a JWKS URL: a single-flight fetch with a deadline and a size limit,
 * JWKS hygiene (public `sig` keys with a unique kid only), a refetch interval shared by rotation and
 * failures (the penalty box), refusal of unknown kids without fetching while that interval runs,
 * stale-while-down serving, and keys parsed once into `KeyObject`s with `node:crypto`.
 *
 * Why not `jwks-rsa` underneath: 4.x loads `jose` 6, which is ESM-only and cannot be required by
 * Jest's CommonJS runtime on Node 20; and what it would add here (JWK → PEM, then parsed again) is
 * `createPublicKey({ format: 'jwk' })`. Its cache, rate limit and fetcher lack the limits above.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export class JwksKeySource implements KeySource {
  /** Fetches attempted so far (for tests and metrics). */
  fetchCount = 0;
  private keys = new Map<string, StoredKey>();
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private lastSuccessAt = Number.NEGATIVE_INFINITY;
  private lastError: string | undefined;
  private inflight: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly intervalMs: number;
  private readonly maxAgeMs: number;
  private readonly maxKeys: number;
  private readonly telemetry: AuthTelemetry;
  private readonly call: DependencyCall;

  constructor(private readonly options: JwksKeySourceOptions) {
    this.telemetry = options.telemetry ?? noopTelemetry;
    this.call = Object.freeze({ kind: 'jwks', url: options.jwksUri });
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.maxBytes = options.maxResponseBytes ?? 150_000;
    this.intervalMs = (options.refetchIntervalSeconds ?? 10) * 1000;
    this.maxAgeMs = (options.maxAgeSeconds ?? 3600) * 1000;
    this.maxKeys = options.maxKeys ?? 50;
  }

  async getKey(kid: string): Promise<VerificationKey> {
    const known = this.peekKey(kid);
    if (known) return known;
    const now = this.options.clock.now();
    if (this.inflight) {
      await this.inflight.catch(() => undefined);
    } else if (this.mayFetch(now)) {
      await this.refresh().catch(() => undefined);
    } else {
      throw this.unknownKid(kid, 'refused without a fetch: refetch interval not elapsed');
    }
    const fetched = this.keys.get(kid);
    if (fetched) return fetched;
    throw this.unknownKid(kid, 'not in the key set');
  }

  /** The trusted key for `kid`; when the key set is older than `maxAgeSeconds`, also starts a
   * background refresh (cached keys keep serving meanwhile). Never waits. */
  peekKey(kid: string): VerificationKey | undefined {
    const known = this.keys.get(kid);
    if (known !== undefined && this.inflight === undefined) {
      const now = this.options.clock.now();
      if (now - this.lastSuccessAt > this.maxAgeMs && this.mayFetch(now)) {
        void this.refresh().catch(() => undefined); // logged inside
      }
    }
    return known;
  }

  /**
   * The source's health without fetching: healthy while keys are held and the last successful
   * fetch is at most `maxStaleSeconds` old (default: no limit — cached keys serve until rotated out).
   * Before the first fetch there are no keys: call {@link warmUp} at start.
   */
  health(maxStaleSeconds = Number.POSITIVE_INFINITY): JwksHealth {
    const now = this.options.clock.now();
    const fresh = now - this.lastSuccessAt <= maxStaleSeconds * 1000;
    return {
      jwksUri: this.options.jwksUri,
      healthy: this.keys.size > 0 && fresh,
      cachedKeys: this.keys.size,
      lastSuccessAt: Number.isFinite(this.lastSuccessAt) ? this.lastSuccessAt : undefined,
      lastFetchAt: Number.isFinite(this.lastFetchAt) ? this.lastFetchAt : undefined,
      lastError: this.lastError,
    };
  }

  /**
   * Fetches the key set now unless keys are held (e.g. at start, so the first request and the health
   * check find them). Never throws: a failure is logged and shows in {@link health}.
   */
  async warmUp(): Promise<void> {
    if (this.keys.size > 0) return;
    if (this.inflight) await this.inflight.catch(() => undefined);
    else if (this.mayFetch(this.options.clock.now())) await this.refresh().catch(() => undefined);
  }

  close(): void {
    this.abort.abort();
  }

  private mayFetch(now: number): boolean {
    return !this.abort.signal.aborted && now - this.lastFetchAt >= this.intervalMs;
  }

  private unknownKid(kid: string, why: string): JwtRejection {
    if (this.keys.size === 0 && this.lastError !== undefined) {
      return new JwtRejection(
        'JWKS_UNAVAILABLE',
        `no keys from ${this.options.jwksUri}: ${this.lastError}`,
      );
    }
    return new JwtRejection(
      'TOKEN_UNKNOWN_KID',
      `kid ${JSON.stringify(kid.slice(0, 64))} ${why} (${this.options.jwksUri})`,
    );
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    this.lastFetchAt = this.options.clock.now();
    this.fetchCount += 1;
    try {
      const { keys: jwks } = await this.telemetry.call(this.call, () =>
        this.fetchDocument(this.options.jwksUri),
      );
      const seen = new Map<string, number>();
      for (const jwk of jwks) seen.set(jwk.kid, (seen.get(jwk.kid) ?? 0) + 1);
      const next = new Map<string, StoredKey>();
      for (const jwk of jwks) {
        if (next.size >= this.maxKeys) break;
        const kid = jwk.kid;
        // A kid published twice cannot bind a token to one key: neither copy is used.
        if (seen.get(kid) !== 1) continue;
        let keyObject;
        try {
          keyObject = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
        } catch {
          continue; // invalid modulus/point: skip this key, keep the others
        }
        const pem = keyObject.export({ format: 'pem', type: 'spki' }) as string;
        const previous = this.keys.get(kid);
        // Same kid, same key: keep the same object so verified-token cache entries stay valid.
        if (previous && previous.pem === pem) {
          next.set(kid, previous);
          continue;
        }
        const published = typeof jwk.alg === 'string' ? jwk.alg : undefined;
        const candidates =
          published === undefined
            ? this.options.algorithms
            : this.options.algorithms.filter((a) => a === published);
        const algorithms = candidates.filter((a) => keyFitsAlgorithm(keyObject, a));
        if (algorithms.length === 0) continue;
        next.set(kid, { kid, algorithms, keyObject, pem });
      }
      if (next.size === 0) throw new Error('no usable signing key for the allowed algorithms');
      const dropped = [...this.keys.keys()].filter((k) => !next.has(k));
      this.keys = next;
      this.lastSuccessAt = this.options.clock.now();
      this.lastError = undefined;
      this.options.logger.log('info', 'jwks.refreshed', {
        jwksUri: this.options.jwksUri,
        kids: [...next.keys()],
        dropped,
      });
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.logger.log('warn', 'jwks.fetch_failed', {
        jwksUri: this.options.jwksUri,
        reason: this.lastError,
        cachedKeys: this.keys.size,
      });
      throw error;
    }
  }

  private async fetchDocument(uri: string): Promise<{ keys: PublicJwk[] }> {
    let document: unknown;
    if (this.options.fetchDocument) {
      document = await this.options.fetchDocument(uri);
    } else {
      const text = await fetchLimited(uri, {
        timeoutMs: this.timeoutMs,
        maxBytes: this.maxBytes,
        signal: this.abort.signal,
      });
      try {
        document = JSON.parse(text);
      } catch {
        throw new Error('JWKS is not JSON');
      }
    }
    const keys = (document as { keys?: unknown } | null)?.keys;
    if (typeof document !== 'object' || !Array.isArray(keys)) {
      throw new Error('JWKS has no "keys" array');
    }
    return { keys: keys.filter(isPublicVerificationJwk) };
  }
}

/** Members that only private or symmetric keys have (RFC 7518 §6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A JWK that passed {@link isPublicVerificationJwk}. */
interface PublicJwk {
  readonly kid: string;
  readonly kty: 'RSA' | 'EC';
  readonly alg?: unknown;
  readonly [member: string]: unknown;
}

/**
 * JWKS hygiene (what `jwks-rsa`'s selection does, plus the gaps): an object with a non-empty string
 * `kid`, an asymmetric `kty`, `use` absent or `sig`, `key_ops` (if present) including `verify`, and
 * no private or symmetric members.
 */
function isPublicVerificationJwk(jwk: unknown): jwk is PublicJwk {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return false;
  const record = jwk as Record<string, unknown>;
  if (typeof record.kid !== 'string' || record.kid === '') return false;
  if (record.kty !== 'RSA' && record.kty !== 'EC') return false;
  if (record.use !== undefined && record.use !== 'sig') return false;
  if (PRIVATE_MEMBERS.some((m) => m in record)) return false;
  const ops = record.key_ops;
  if (ops !== undefined && (!Array.isArray(ops) || !ops.includes('verify'))) return false;
  return true;
}
