import type { HttpRequest } from '../http-request';
import type { QueryPair } from './parse-query';
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
 * value, `=` kept for empty values, `X-Amz-Signature` left out.
 */
export function canonicalQuery(pairs: readonly QueryPair[]): string {
  if (pairs.length === 0) return '';
  const encoded: string[] = [];
  for (const [name, value] of pairs) {
    if (name.length === 15 && name.toLowerCase() === 'x-amz-signature') continue;
    encoded.push(`${uriEscape(name)}=${uriEscape(value)}`);
  }
  if (encoded.length > 1) encoded.sort(compareQueryPairs);
  return encoded.join('&');
}

/**
 * The canonical headers block (SIG-05): `name:value\n` for each signed header, values trimmed with
 * inner whitespace runs collapsed; repeated headers joined with `,` in arrival order. A signed header
 * that was not sent contributes an empty value (and so fails verification).
 */
export function canonicalHeaders(request: HttpRequest, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) {
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
  query: readonly QueryPair[],
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  return (
    `${request.method}\n${canonicalPath(request.path)}\n${canonicalQuery(query)}\n` +
    `${canonicalHeaders(request, signedHeaders)}\n${signedHeaders.join(';')}\n${payloadHash}`
  );
}

function normalizeHeaderValue(value: string): string {
  const trimmed = value.trim();
  return /\s\s|[\t\n\r\f\v]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

function compareQueryPairs(a: string, b: string): number {
  // Sort by encoded name, then by encoded value (byte order; all ASCII after encoding).
  const an = a.indexOf('=');
  const bn = b.indexOf('=');
  const nameA = a.slice(0, an);
  const nameB = b.slice(0, bn);
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  const valueA = a.slice(an + 1);
  const valueB = b.slice(bn + 1);
  return valueA < valueB ? -1 : valueA > valueB ? 1 : 0;
}
