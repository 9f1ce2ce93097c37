import { createHmac } from 'node:crypto';
import { HmacSha256Key } from './hmac-sha256';

/**
 * Derives SigV4 signing keys (SIG-08: `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service),
 * "aws4_request")`) and keeps them per (access key, date, region, service), so a request costs one
 * HMAC instead of five. Bounded (oldest entry evicted first); an entry is only reused when the secret
 * is unchanged, so a rotated secret never verifies with a stale key. One cache per authenticator.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, { secret: string; key: HmacSha256Key }>();

  /** @param maxEntries largest number of cached keys (default 10,000). */
  constructor(private readonly maxEntries = 10_000) {}

  /**
   * The signing key for these scope parts, derived once and then cached.
   * @param credential the full `Credential` value (`AKID/date/region/service/aws4_request`), used as
   *   the cache key as sent (no string building per request).
   */
  get(credential: string, secret: string, date: string, region: string, service: string): Buffer {
    return this.hmacKey(credential, secret, date, region, service).key;
  }

  /** {@link get}, prepared for signing (see {@link HmacSha256Key}). */
  hmacKey(
    credential: string,
    secret: string,
    date: string,
    region: string,
    service: string,
  ): HmacSha256Key {
    const hit = this.entries.get(credential);
    if (hit !== undefined && hit.secret === secret) return hit.key;
    const key = new HmacSha256Key(deriveSigningKey(secret, date, region, service));
    if (hit === undefined && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(credential, { secret, key });
    return key;
  }

  /** Forgets every key (e.g. after a credential file reload). */
  clear(): void {
    this.entries.clear();
  }
}

/** The SigV4 signing key (SIG-08), uncached. */
export function deriveSigningKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}
