import { BoundedMemo } from '../bounded-memo';
import type { AuthError } from '../errors';
import { type HttpRequest, headerText } from '../http-request';
import { parseAmzDate } from './amz-date';
import { parseQuery, queryValue, type QueryPair } from './parse-query';
import { incompleteSignature, missingAuthenticationToken } from './sigv4-errors';

/** The only algorithm API Gateway's AWS_IAM accepts (SigV4a is not supported here). */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** What a SigV4-signed request claims, from its `Authorization` header or presigned query. */
export interface SigV4Claims {
  form: 'header' | 'query';
  accessKeyId: string;
  /** Credential scope parts: `date/region/service/terminator`. */
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  scopeTerminator: string;
  /** Lower-case signed header names in the order given. */
  signedHeaders: readonly string[];
  /** The signature as sent (hex expected). */
  signature: string;
  /** The signed timestamp in ISO 8601 basic format (what goes into the string to sign). */
  amzDate: string;
  timestampMs: number;
  /** Presigned `X-Amz-Expires` in seconds, when sent. */
  expiresSeconds?: number;
  /** `X-Amz-Security-Token` (header or query), when sent. */
  securityToken?: string;
  /** True when the session token is covered by the signature (signed header or canonical query). */
  securityTokenSigned: boolean;
  /**
   * The decoded query pairs, when they had to be parsed (presigned form, percent-encoded names);
   * otherwise `undefined` and the canonical query is built from the raw query string.
   */
  query: readonly QueryPair[] | undefined;
  /** The raw `Credential` value (`AKID/date/region/service/terminator`), a signing-key cache key. */
  credential: string;
}

/** Parsing limits and echo switches. */
export interface ParseOptions {
  /** Echo the raw `Authorization` value in SIG-21 bodies as API Gateway does (SIG-30). */
  echoAuthorizationHeader: boolean;
  /** Largest `X-Amz-Expires` accepted (AWS caps presigned URLs at 7 days). */
  maxExpiresSeconds: number;
  /** Memo of split `SignedHeaders` lists (few distinct values per client); owned by the caller. */
  memo?: ParseMemo;
}

/**
 * A bounded memo of `SignedHeaders` splits: a client sends the same list on every request, so the
 * split array is reused instead of rebuilt. Cleared when full; one per authenticator.
 */
export class ParseMemo {
  private readonly signedHeaders: BoundedMemo<string, readonly string[]>;
  private readonly credentials: BoundedMemo<string, Readonly<CredentialParts>>;
  /** The last timestamp text parsed: requests signed in the same second share it. */
  private lastDateText = '';
  private lastDate: Readonly<Timestamp> | undefined;

  constructor(maxEntries = 1000) {
    this.signedHeaders = new BoundedMemo(maxEntries);
    this.credentials = new BoundedMemo(maxEntries);
  }

  /** The lower-cased names of a `SignedHeaders` value. */
  split(text: string): readonly string[] {
    let names = this.signedHeaders.get(text);
    if (names === undefined) {
      names = Object.freeze(splitSignedHeaders(text));
      // Long (hostile) values are not kept: the memo stays small whatever callers send.
      if (text.length > MEMO_MAX_TEXT) return names;
      this.signedHeaders.set(text, names);
    }
    return names;
  }

  /**
   * The five parts of a `Credential` value (one per key and day).
   * @throws AuthError `SIGV4_INCOMPLETE` when malformed (never cached).
   */
  credential(text: string): Readonly<CredentialParts> {
    let parts = this.credentials.get(text);
    if (parts === undefined) {
      parts = Object.freeze(parseCredential(text));
      if (text.length > MEMO_MAX_TEXT) return parts;
      this.credentials.set(text, parts);
    }
    return parts;
  }

  /**
   * A signing timestamp parsed (`X-Amz-Date` or HTTP-date), the last one remembered.
   * @throws AuthError `SIGV4_INCOMPLETE` when unparseable (never remembered).
   */
  timestamp(text: string): Readonly<Timestamp> {
    if (text === this.lastDateText && this.lastDate !== undefined) return this.lastDate;
    const parsed = parseTimestamp(text);
    this.lastDateText = text;
    this.lastDate = parsed;
    return parsed;
  }
}

type CredentialParts = [string, string, string, string, string];
interface Timestamp {
  amzDate: string;
  timestampMs: number;
}
const MEMO_MAX_TEXT = 512;

const DATE_MISSING =
  "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
const REDACTED = '[redacted]';
const QUERY_REQUIRED =
  "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', " +
  "'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.";

/**
 * Reads the SigV4 claims of a request in either form API Gateway accepts (SIG-02/03): the
 * `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header, or the
 * presigned query (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-SignedHeaders`,
 * `X-Amz-Signature`, optional `X-Amz-Expires` and `X-Amz-Security-Token`). Never both.
 * @throws AuthError `SIGV4_MISSING` (SIG-20) or `SIGV4_INCOMPLETE` (SIG-21) with API Gateway's text.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
 */
export function parseSigV4(request: HttpRequest, options: ParseOptions): SigV4Claims {
  const authorization = headerText(request.headers['authorization']);
  const raw = request.rawQuery;
  // Without '%', decoding only turns '+' into spaces: a query lacking the literal name has no such
  // parameter.
  const mayBePresigned = raw.indexOf('X-Amz-Algorithm') !== -1 || raw.indexOf('%') !== -1;
  const query = mayBePresigned ? parseQuery(raw) : undefined;
  const algorithmParam = query === undefined ? undefined : queryValue(query, 'X-Amz-Algorithm');
  if (authorization !== undefined && algorithmParam !== undefined) {
    throw incompleteSignature(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      'both an Authorization header and presigned query parameters were sent',
    );
  }
  if (algorithmParam !== undefined && query !== undefined) {
    return parseQueryForm(request, query, algorithmParam, options);
  }
  if (authorization === undefined || authorization === '') throw missingAuthenticationToken();
  return parseHeaderForm(request, authorization, query, options);
}

function parseHeaderForm(
  request: HttpRequest,
  raw: string,
  query: readonly QueryPair[] | undefined,
  options: ParseOptions,
): SigV4Claims {
  const fast = sdkForm(raw);
  const date = headerText(request.headers['x-amz-date']) ?? headerText(request.headers['date']);
  if (fast !== undefined && date !== undefined) {
    return headerClaims(request, fast[0], fast[1], fast[2], date, query, options.memo);
  }
  const shown = options.echoAuthorizationHeader ? raw : REDACTED;
  const trimmed = raw.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  if (space !== -1) {
    for (const part of trimmed.slice(space + 1).split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const eq = item.indexOf('=');
      if (eq === -1) {
        const token = options.echoAuthorizationHeader ? item : REDACTED;
        throw incompleteSignature(
          `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${shown}'.`,
          'Authorization header is not SigV4 (a field lacks "=")',
        );
      }
      // Only the three SigV4 fields matter; the last occurrence wins, as in a map.
      if (eq === 10 && item.startsWith('Credential')) credential = item.slice(11);
      else if (eq === 13 && item.startsWith('SignedHeaders')) signedHeaders = item.slice(14);
      else if (eq === 9 && item.startsWith('Signature')) signature = item.slice(10);
    }
  }
  const dateText = headerText(request.headers['x-amz-date']) ?? headerText(request.headers['date']);
  if (!credential || !signature || !signedHeaders || dateText === undefined) {
    const missing: string[] = [];
    if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
    if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
    if (!signedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
    if (dateText === undefined) missing.push(DATE_MISSING);
    throw incompleteSignature(
      `${missing.join(' ')} Authorization=${shown}`,
      `Authorization header is not SigV4 (missing ${missing.length} element(s))`,
    );
  }
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incompleteSignature(
      `Unsupported AWS 'algorithm': '${algorithm.slice(0, 64)}'`,
      'unsupported signing algorithm',
    );
  }
  return headerClaims(request, credential, signedHeaders, signature, dateText, query, options.memo);
}

const SDK_PREFIX = 'AWS4-HMAC-SHA256 Credential=';
const SDK_SIGNED = ', SignedHeaders=';
const SDK_SIGNATURE = ', Signature=';
/** The SDK form, each value free of whitespace, `,` and `=` (one test instead of one per value). */
const SDK_FORM =
  /^AWS4-HMAC-SHA256 Credential=[^\s,=]+, SignedHeaders=[^\s,=]+, Signature=[^\s,=]+$/;

/**
 * Exactly what SDK signers write (`AWS4-HMAC-SHA256 Credential=C, SignedHeaders=H, Signature=S`),
 * checked with one pattern and cut with `indexOf`; anything else takes the general, error-reporting
 * parser.
 */
function sdkForm(raw: string): [string, string, string] | undefined {
  if (!SDK_FORM.test(raw)) return undefined;
  // The values hold no ',' nor ' ', so the first separators found are the right ones.
  const signedAt = raw.indexOf(SDK_SIGNED, SDK_PREFIX.length);
  const signatureAt = raw.indexOf(SDK_SIGNATURE, signedAt + SDK_SIGNED.length);
  return [
    raw.slice(SDK_PREFIX.length, signedAt),
    raw.slice(signedAt + SDK_SIGNED.length, signatureAt),
    raw.slice(signatureAt + SDK_SIGNATURE.length),
  ];
}

function headerClaims(
  request: HttpRequest,
  credential: string,
  signedHeaders: string,
  signature: string,
  dateText: string,
  query: readonly QueryPair[] | undefined,
  memo: ParseMemo | undefined,
): SigV4Claims {
  const securityToken = headerText(request.headers['x-amz-security-token']);
  const names = memo ? memo.split(signedHeaders) : splitSignedHeaders(signedHeaders);
  const scope = memo ? memo.credential(credential) : parseCredential(credential);
  const time = memo ? memo.timestamp(dateText) : parseTimestamp(dateText);
  return {
    form: 'header',
    credential,
    accessKeyId: scope[0],
    scopeDate: scope[1],
    scopeRegion: scope[2],
    scopeService: scope[3],
    scopeTerminator: scope[4],
    signedHeaders: names,
    signature,
    amzDate: time.amzDate,
    timestampMs: time.timestampMs,
    securityToken,
    securityTokenSigned: securityToken !== undefined && names.includes('x-amz-security-token'),
    query,
  };
}

function parseQueryForm(
  _request: HttpRequest,
  query: readonly QueryPair[],
  algorithm: string,
  options: ParseOptions,
): SigV4Claims {
  const credential = queryValue(query, 'X-Amz-Credential');
  const dateText = queryValue(query, 'X-Amz-Date');
  const signedHeaders = queryValue(query, 'X-Amz-SignedHeaders');
  const signature = queryValue(query, 'X-Amz-Signature');
  if (!credential || !dateText || !signedHeaders || !signature) {
    throw incompleteSignature(QUERY_REQUIRED, 'presigned query lacks a required X-Amz-* parameter');
  }
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incompleteSignature(
      `X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}"`,
      'unsupported presigned algorithm',
    );
  }
  const expiresText = queryValue(query, 'X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expiresText !== undefined) {
    if (!/^\d{1,9}$/.test(expiresText)) {
      throw incompleteSignature(
        'X-Amz-Expires should be a number',
        'presigned X-Amz-Expires is not a number',
      );
    }
    expiresSeconds = Number(expiresText);
    if (expiresSeconds > options.maxExpiresSeconds) {
      throw incompleteSignature(
        `X-Amz-Expires must be less than a week (in seconds) that is ${options.maxExpiresSeconds}`,
        'presigned X-Amz-Expires too large',
      );
    }
  }
  const securityToken = queryValue(query, 'X-Amz-Security-Token');
  const scope = parseCredential(credential);
  const time = options.memo ? options.memo.timestamp(dateText) : parseTimestamp(dateText);
  return {
    form: 'query',
    credential,
    accessKeyId: scope[0],
    scopeDate: scope[1],
    scopeRegion: scope[2],
    scopeService: scope[3],
    scopeTerminator: scope[4],
    signedHeaders: options.memo
      ? options.memo.split(signedHeaders)
      : splitSignedHeaders(signedHeaders),
    signature,
    amzDate: time.amzDate,
    timestampMs: time.timestampMs,
    expiresSeconds,
    securityToken,
    // Every query parameter but the signature is in the canonical query, so a token is signed.
    securityTokenSigned: securityToken !== undefined,
    query,
  };
}

/** `AKID/date/region/service/terminator`, every part non-empty. */
function parseCredential(credential: string): CredentialParts {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.includes('')) {
    throw incompleteSignature(
      `Credential should be scoped to a valid Region, not '${parts.length > 2 ? String(parts[2]).slice(0, 64) : ''}'. ` +
        "Credential must have the form '<access-key-id>/<YYYYMMDD>/<region>/execute-api/aws4_request'.",
      'malformed Credential',
    );
  }
  return parts as CredentialParts;
}

function parseTimestamp(text: string): Timestamp {
  let ms = parseAmzDate(text);
  if (ms !== undefined) return { amzDate: text, timestampMs: ms };
  // A `Date` header in HTTP-date form (RFC 7231) is also accepted by AWS.
  if (/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) {
    ms = Date.parse(text);
    if (Number.isFinite(ms)) {
      const amzDate = new Date(ms)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
      return { amzDate, timestampMs: ms };
    }
  }
  throw badDate(text);
}

function badDate(text: string): AuthError {
  return incompleteSignature(
    `Date must be in ISO-8601 'basic format'. Got '${text.slice(0, 64)}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    'unparseable signing date',
  );
}

function splitSignedHeaders(text: string): string[] {
  return text.toLowerCase().split(';');
}
