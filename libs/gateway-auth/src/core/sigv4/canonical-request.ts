import type { HttpRequest } from '../http-request';
import { parseQuery, type QueryPair } from './parse-query';
import { uriEscape } from './uri-escape';

const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/**
 * The canonical URI of a non-S3 request (SIG-06): the path as received is normalised (empty, `.` and
 * `..` segments removed; trailing slash kept) and then URI-encoded once more, so `@` becomes `%40`
 * and an already-encoded `%3D` becomes `%253D` — what AWS SDK signers produce.
 * @throws URIError on a lone surrogate (treated as a mismatch by the caller).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function canonicalPath(path: string): string {
  if (path === '' || path === '/') return '/';
  if (PLAIN_PATH.test(path) && path.indexOf('//') === -1 && path.indexOf('/.') === -1) {
    return path.charCodeAt(0) === 47 ? path : `/${path}`;
  }
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEscape(segment));
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

/**
 * The canonical query string (SIG-05): names and values encoded separately, pairs sorted by name then
 * value, `=` kept for empty values. `X-Amz-Signature` (exact name) is left out only of a presigned
 * request's query, where it carries the signature; in a header-signed request it is an ordinary,
 * signed parameter, so nobody can append one unsigned.
 */
export function canonicalQuery(pairs: readonly QueryPair[], presigned = false): string {
  if (pairs.length === 0) return '';
  const encoded: Array<[string, string]> = [];
  for (const [name, value] of pairs) {
    if (presigned && name === 'X-Amz-Signature') continue;
    encoded.push([uriEscape(name), uriEscape(value)]);
  }
  if (encoded.length > 1) encoded.sort(compareQueryPairs);
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const pair = encoded[i] as [string, string];
    out += i === 0 ? `${pair[0]}=${pair[1]}` : `&${pair[0]}=${pair[1]}`;
  }
  return out;
}

const RAW_SAFE = /^[A-Za-z0-9\-._~=&]*$/;

/**
 * The canonical query of a raw query string. When it holds only unreserved characters, one `=` per
 * pair and is already in canonical order (what SDK signers send), it is its own canonical form and
 * is returned as is; anything else is decoded, re-encoded and sorted by {@link canonicalQuery}.
 */
export function canonicalRawQuery(rawQuery: string, presigned = false): string {
  if (rawQuery === '') return '';
  if (!RAW_SAFE.test(rawQuery)) return canonicalQuery(parseQuery(rawQuery), presigned);
  let previousName = '';
  let previousValue = '';
  for (let start = 0, first = true; ; first = false) {
    let end = rawQuery.indexOf('&', start);
    if (end === -1) end = rawQuery.length;
    // Each pair must be `name=value` with exactly one '=' (a second one would be encoded as %3D).
    const eq = rawQuery.indexOf('=', start);
    if (eq === -1 || eq >= end) return canonicalQuery(parseQuery(rawQuery), presigned);
    const second = rawQuery.indexOf('=', eq + 1);
    if (second !== -1 && second < end) return canonicalQuery(parseQuery(rawQuery), presigned);
    const name = rawQuery.slice(start, eq);
    const value = rawQuery.slice(eq + 1, end);
    if (
      (presigned && name === 'X-Amz-Signature') ||
      (!first && (name < previousName || (name === previousName && value < previousValue)))
    ) {
      return canonicalQuery(parseQuery(rawQuery), presigned);
    }
    previousName = name;
    previousValue = value;
    if (end === rawQuery.length) return rawQuery;
    start = end + 1;
  }
}

/**
 * The canonical headers block (SIG-05): `name:value\n` for each signed header, values trimmed with
 * inner whitespace runs collapsed; repeated headers joined with `,` in arrival order. A signed header
 * that was not sent contributes an empty value (and so fails verification).
 */
export function canonicalHeaders(request: HttpRequest, signedHeaders: readonly string[]): string {
  let out = '';
  // Indexed loop: the parse memo hands out frozen arrays, which iterators and join() take slowly.
  for (let i = 0; i < signedHeaders.length; i++) {
    const name = signedHeaders[i] as string;
    const value = request.headers[name];
    let text: string;
    if (value === undefined) text = '';
    else if (typeof value === 'string') text = normalizeHeaderValue(value);
    else text = value.map(normalizeHeaderValue).join(',');
    out += `${name}:${text}\n`;
  }
  return out;
}

/**
 * `METHOD\nURI\nQUERY\nHEADERS\nSIGNED_HEADERS\nPAYLOAD_HASH` (SIG-05).
 * @throws URIError on a lone surrogate in the path or query.
 */
export function buildCanonicalRequest(
  request: HttpRequest,
  query: readonly QueryPair[] | undefined,
  signedHeaders: readonly string[],
  payloadHash: string,
  presigned = false,
): string {
  return (
    `${request.method}\n${canonicalPath(request.path)}\n${query === undefined ? canonicalRawQuery(request.rawQuery, presigned) : canonicalQuery(query, presigned)}\n` +
    `${canonicalHeaders(request, signedHeaders)}\n${signedHeadersLine(signedHeaders)}\n${payloadHash}`
  );
}

/** `a;b;c`: what `join(';')` gives, without its slow path on frozen arrays. */
function signedHeadersLine(names: readonly string[]): string {
  let line = names.length === 0 ? '' : (names[0] as string);
  for (let i = 1; i < names.length; i++) line += `;${names[i] as string}`;
  return line;
}

function normalizeHeaderValue(value: string): string {
  // Fast path: what HTTP parsers hand over is usually already trimmed with single spaces. One scan
  // for a control character, a leading, trailing or doubled space (no regex call per header).
  const length = value.length;
  let previous = 32;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 || (c === 32 && previous === 32)) return value.trim().replace(/\s+/g, ' ');
    previous = c;
  }
  return previous === 32 ? value.trim().replace(/\s+/g, ' ') : value;
}

function compareQueryPairs(a: [string, string], b: [string, string]): number {
  // By encoded name, then by encoded value (byte order: all ASCII after encoding).
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
