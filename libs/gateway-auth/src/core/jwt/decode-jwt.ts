import { BoundedMemo } from '../bounded-memo';
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
  /**
   * A buffer of more than `maxLength` bytes the payload is decoded into before `JSON.parse`, and the
   * signature into after the signing input's length, instead of new ones per token. Only for one
   * verifier: the returned `signature` is then a view of it, valid until the next use of the buffer
   * (copy it before waiting for anything).
   */
  scratch?: Buffer;
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
  // A compact JWS is ASCII (RFC 7515 §7.1). Checked once here, it lets decodeSegment test the
  // alphabet by the decoded length (Node's decoder reads a character above U+00FF by its low byte).
  if (Buffer.byteLength(token, 'utf8') !== token.length) {
    throw new JwtRejection('TOKEN_MALFORMED', 'token has characters outside ASCII');
  }
  // Tokens of one issuer share a handful of headers: parse each once (bounded by the caller).
  const memo = options.headerCache;
  let header = memo?.get(token, dot1);
  if (header === undefined) {
    const headerPart = token.slice(0, dot1);
    header = parseHeader(headerPart, options.requireKid ?? true);
    memo?.set(headerPart, header);
  }
  const payload = decodeJsonObject(token.slice(dot1 + 1, dot2), 'payload', options.scratch);
  // Past the signing input's length: crypto.verify gets that written to the front of the buffer.
  const signature = decodeSegment(token.slice(dot2 + 1), 'signature', options.scratch, dot2);
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

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decodes one segment of canonical unpadded base64url, refusing anything else. The caller has checked
 * the token is ASCII. Node's decoder skips characters outside the alphabet, stops at `=`, and reads
 * `+` and `/` as `-` and `_`: so a segment is in the alphabet exactly when it holds no `+` or `/` and
 * decodes to `floor(length * 3 / 4)` bytes (every skipped character makes the output shorter). This
 * is several times cheaper than a regular expression over the segment, and the property is pinned
 * by an exhaustive test (decode-jwt.spec.ts) on the Node version that runs the tests.
 */
function decodeSegment(segment: string, what: string, scratch?: Buffer, offset = 0): Buffer {
  if (scratch !== undefined && scratch.length - offset > (segment.length * 3) >>> 2) {
    const written = scratch.write(checkSegment(segment, what), offset, 'base64url');
    checkDecodedLength(segment, written, what);
    return scratch.subarray(offset, offset + written);
  }
  const bytes = Buffer.from(checkSegment(segment, what), 'base64url');
  checkDecodedLength(segment, bytes.length, what);
  return bytes;
}

/** The segment's own checks: non-empty, a possible length, canonical unused bits, no `+` or `/`. */
function checkSegment(segment: string, what: string): string {
  const length = segment.length;
  const rest = length % 4;
  if (length === 0 || rest === 1 || segment.indexOf('+') !== -1 || segment.indexOf('/') !== -1) {
    throw new JwtRejection('TOKEN_MALFORMED', `${what} is not base64url`);
  }
  // Non-canonical encodings (non-zero unused bits in the last character) would let several strings
  // carry one signature; header and payload are covered by the signature, the signature is not.
  if (rest !== 0) {
    const last = ALPHABET.indexOf(segment.charAt(length - 1));
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) {
      throw new JwtRejection('TOKEN_MALFORMED', `${what} is not canonical base64url`);
    }
  }
  return segment;
}

/** Every character outside the alphabet was skipped by the decoder, so it made the output shorter. */
function checkDecodedLength(segment: string, decoded: number, what: string): void {
  if (decoded !== (segment.length * 3) >>> 2) {
    throw new JwtRejection('TOKEN_MALFORMED', `${what} is not base64url`);
  }
}

function decodeJsonObject(
  segment: string,
  what: string,
  scratch?: Buffer,
): Record<string, unknown> {
  let text: string;
  if (scratch !== undefined && scratch.length > (segment.length * 3) >>> 2) {
    // Decoded into the verifier's buffer: no allocation per token (the text is a new string).
    const written = scratch.write(checkSegment(segment, what), 0, 'base64url');
    checkDecodedLength(segment, written, what);
    text = scratch.toString('utf8', 0, written);
  } else {
    text = decodeSegment(segment, what).toString('utf8');
  }
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
