/**
 * Splits a compact JWS into header, payload and signature and decodes them strictly (nothing here is
 * verified: see verify-signature.ts); remembers the few distinct headers one issuer uses.
 *
 * Why ours and not a library's (issue 14, measured 2026-12-05, `npm run bench -- jose`, RS256, a new
 * token per request; docs/benchmarks.md "JOSE: ours or a library's"):
 * - `aws-jwt-verify` `verifySync()` with our key source as its `JwksCache`: 0.82x our throughput per
 *   token on CPU; on a guarded route 0.92x and 0.92x (Express), 0.94x and 0.90x (Fastify) of ours
 *   in server CPU per request in two runs, about 10% on the route. But it cannot hold what our tests
 *   assert: it accepts `=` padding and non-zero unused bits (several texts per signature), ignores
 *   `crit` (RFC 7515 §4.1.11 says refuse), deletes `__proto__` and `constructor` claims (API Gateway
 *   passes every claim, COG-07), and caches key objects by issuer, kid and alg, so a key replaced
 *   under the same kid keeps verifying with the old one.
 * - `jose` `jwtVerify()`: promise-only, 0.33x-0.35x ours per token on CPU, 0.65x-0.72x on the
 *   Fastify route (0.79x-0.94x on Express); and it decodes with Node's lenient base64 (a `*` or a
 *   space inside the signature is skipped).
 */
import { BoundedMemo } from '../bounded-memo';
import { decodeBase64Url } from './base64url';
import { JwtRejection } from './jwt-rejection';

/** The JOSE header fields the verifier reads; anything else is kept but never acted upon. */
export interface JwtHeader {
  readonly alg: string;
  readonly kid: string;
  readonly [name: string]: unknown;
}

/** A compact JWS split into its parts, not yet verified. */
export interface DecodedJwt {
  readonly header: JwtHeader;
  /** Parsed for this token alone (never shared), so its owner may convert it in place. */
  readonly payload: Record<string, unknown>;
  /** `base64url(header) + "." + base64url(payload)` as received: the bytes that were signed. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Default upper bound on a token's length in characters (API Gateway caps a header at 10 KiB). */
export const DEFAULT_MAX_TOKEN_LENGTH = 10_240;

/** How {@link decodeJwt} reads a token; every field is optional. */
export interface DecodeJwtOptions {
  /** Longest token accepted, characters. Default {@link DEFAULT_MAX_TOKEN_LENGTH}. */
  maxLength?: number;
  /** Refuse a header without a usable `kid`. Default true (false: JWS-level conformance vectors). */
  requireKid?: boolean;
  /** Parsed headers of earlier tokens (one verifier's; they were parsed with its `requireKid`). */
  headerCache?: HeaderMemo;
}

/**
 * Splits and decodes a compact JWS strictly: exactly three non-empty segments of canonical unpadded
 * base64url, JSON objects for header and payload, a string `alg`, a non-empty string `kid` (unless
 * `requireKid` is false: JWS-level conformance vectors), and no
 * `crit` header (we implement no extension, RFC 7515 §4.1.11). `jku`, `x5u`, `jwk` and `x5c` are
 * never followed: keys come only from the configured key source.
 * @throws JwtRejection `TOKEN_MALFORMED`, `TOKEN_KID_MISSING` or `TOKEN_CRIT_HEADER`.
 * @see https://datatracker.ietf.org/doc/html/rfc7515#section-7.1
 */
export function decodeJwt(token: string, options: DecodeJwtOptions = {}): DecodedJwt {
  const maxLength = options.maxLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (token.length === 0 || token.length > maxLength) {
    throw new JwtRejection(
      'TOKEN_MALFORMED',
      `token length ${token.length} outside 1..${maxLength}`,
    );
  }
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot1 <= 0 || dot2 < 0 || dot2 === dot1 + 1 || dot2 === token.length - 1) {
    throw new JwtRejection('TOKEN_MALFORMED', 'not three non-empty dot-separated segments');
  }
  if (token.indexOf('.', dot2 + 1) >= 0) {
    throw new JwtRejection('TOKEN_MALFORMED', 'more than three segments (JWE or garbage)');
  }
  // Tokens of one issuer share a handful of headers: parse each once (bounded by the caller).
  const memo = options.headerCache;
  let header = memo?.get(token, dot1);
  if (header === undefined) {
    const headerPart = token.slice(0, dot1);
    header = parseHeader(headerPart, options.requireKid ?? true);
    memo?.set(headerPart, header);
  }
  const payload = decodeJsonObject(token.slice(dot1 + 1, dot2), 'payload');
  const signature = decodeBase64Url(token.slice(dot2 + 1), 'signature');
  return { header, payload, signingInput: token.slice(0, dot2), signature };
}

/**
 * Parsed JOSE headers by their encoded text, bounded (a flood of distinct headers clears it). The
 * header a verifier saw last is recognised without slicing or hashing the token: one issuer's tokens
 * almost always share it.
 */
export class HeaderMemo {
  private readonly memo: BoundedMemo<string, JwtHeader>;
  private lastPart = '';
  private lastHeader: JwtHeader | undefined;

  /** @param maxEntries distinct headers kept before the memo is cleared. */
  constructor(maxEntries = 64) {
    this.memo = new BoundedMemo(maxEntries);
  }

  /** The parsed header of `token`, whose first `.` is at `dot`, if seen before. */
  get(token: string, dot: number): JwtHeader | undefined {
    if (dot === this.lastPart.length && token.startsWith(this.lastPart)) return this.lastHeader;
    const part = token.slice(0, dot);
    const header = this.memo.get(part);
    if (header !== undefined) this.remember(part, header);
    return header;
  }

  set(part: string, header: JwtHeader): void {
    this.memo.set(part, header);
    this.remember(part, header);
  }

  private remember(part: string, header: JwtHeader): void {
    this.lastPart = part;
    this.lastHeader = header;
  }
}

function parseHeader(segment: string, requireKid: boolean): JwtHeader {
  const header = decodeJsonObject(segment, 'header');
  if (typeof header.alg !== 'string') {
    throw new JwtRejection('TOKEN_MALFORMED', 'header alg missing or not a string');
  }
  const kid = header.kid;
  const kidOk = typeof kid === 'string' && kid.length > 0 && kid.length <= 256;
  if (!kidOk && (requireKid || kid !== undefined)) {
    throw new JwtRejection(
      'TOKEN_KID_MISSING',
      'header kid missing, empty, too long or not a string',
    );
  }
  if (header.crit !== undefined) {
    throw new JwtRejection('TOKEN_CRIT_HEADER', 'header has crit parameters we do not implement');
  }
  return Object.freeze(header) as JwtHeader;
}

function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  const text = decodeBase64Url(segment, what).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JwtRejection('TOKEN_MALFORMED', `${what} is not JSON`, undefined, error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtRejection('TOKEN_MALFORMED', `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
