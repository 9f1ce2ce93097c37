import type { KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from './verify-signature';

/** A public key parsed once, ready for `crypto.verify`. */
export interface VerificationKey {
  readonly kid: string;
  /** The algorithms this key may verify: the JWK's `alg` if published, else the issuer's list. */
  readonly algorithms: readonly JwsAlgorithm[];
  readonly keyObject: KeyObject;
}

/**
 * Where verification keys come from (a JWKS URL, the ALB's key URL, a static set). Implementations own
 * fetching, caching, rate limiting and timeouts; the verifier only asks.
 */
export interface KeySource {
  /**
   * The trusted key for `kid`, fetching if the source's limits allow it.
   * @throws JwtRejection `TOKEN_UNKNOWN_KID` (not published, or refused without a fetch) or
   * `JWKS_UNAVAILABLE` (the endpoint failed and no cached key matches).
   */
  getKey(kid: string): Promise<VerificationKey>;
  /**
   * The currently trusted key object for `kid`, or `undefined`; never waits (a source may start a
   * background refresh). The verifier uses it as its fast path, and the verified-token cache compares
   * it with the key an entry was verified with, so rotating a key out drops its entries.
   */
  peekKey(kid: string): VerificationKey | undefined;
  /** Stops timers and aborts fetches in flight. */
  close?(): void;
}
