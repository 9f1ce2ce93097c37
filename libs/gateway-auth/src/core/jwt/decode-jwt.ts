import type { BoundedMemo } from '../bounded-memo';
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
  readonly payload: Readonly<Record<string, unknown>>;
  /** `base64url(header) + "." + base64url(payload)` as received: the bytes that were signed. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Default upper bound on a token's length in characters (API Gateway caps a header at 10 KiB). */
export const DEFAULT_MAX_TOKEN_LENGTH = 10_240;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Splits and decodes a compact JWS strictly: exactly three non-empty segments of canonical unpadded
 * base64url, JSON objects for header and payload, a string `alg`, a non-empty string `kid` (unless
 * `requireKid` is false: JWS-level conformance vectors), and no
 * `crit` header (we implement no extension, RFC 7515 §4.1.11). `jku`, `x5u`, `jwk` and `x5c` are
 * never followed: keys come only from the configured key source.
 * @throws JwtRejection `TOKEN_MALFORMED`, `TOKEN_KID_MISSING` or `TOKEN_CRIT_HEADER`.
 * @see https://datatracker.ietf.org/doc/html/rfc7515#section-7.1
 */
export function decodeJwt(
  token: string,
  maxLength = DEFAULT_MAX_TOKEN_LENGTH,
  requireKid = true,
  headerCache?: BoundedMemo<string, JwtHeader>,
): DecodedJwt {
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
  const headerPart = token.slice(0, dot1);
  // Tokens of one issuer share a handful of headers: parse each once (bounded by the caller).
  let header = headerCache?.get(headerPart);
  if (header === undefined) {
    header = parseHeader(headerPart, requireKid);
    headerCache?.set(headerPart, header);
  }
  const payload = decodeJsonObject(token.slice(dot1 + 1, dot2), 'payload');
  const signature = decodeSegment(token.slice(dot2 + 1), 'signature');
  return { header, payload, signingInput: token.slice(0, dot2), signature };
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

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeSegment(segment: string, what: string): Buffer {
  const rest = segment.length % 4;
  if (rest === 1 || !BASE64URL.test(segment)) {
    throw new JwtRejection('TOKEN_MALFORMED', `${what} is not base64url`);
  }
  // Non-canonical encodings (non-zero unused bits in the last character) would let several strings
  // carry one signature; header and payload are covered by the signature, the signature is not.
  if (rest !== 0) {
    const last = ALPHABET.indexOf(segment.charAt(segment.length - 1));
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) {
      throw new JwtRejection('TOKEN_MALFORMED', `${what} is not canonical base64url`);
    }
  }
  return Buffer.from(segment, 'base64url');
}

function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  const bytes = decodeSegment(segment, what);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new JwtRejection('TOKEN_MALFORMED', `${what} is not JSON`, undefined, error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtRejection('TOKEN_MALFORMED', `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
