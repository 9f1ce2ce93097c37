import { safeDecode } from './uri-escape';

/**
 * One query parameter, decoded as API Gateway decodes it before canonicalizing (SIG-05): `%XX`
 * sequences, and a raw `+` as a space. A literal plus arrives as `%2B` (what SDK signers send).
 */
export type QueryPair = readonly [name: string, value: string];

/**
 * Splits a raw query string into decoded name/value pairs in arrival order. `a` and `a=` both give
 * an empty value; empty segments (`a&&b`) are skipped, as SDK signers never produce them.
 *
 * A raw `+` is a space (form encoding), so `q=a+b` canonicalizes to `q=a%20b`. API Gateway does the
 * same: signers that canonicalize a raw `+` as a space (requests-aws4auth, Envoy's AWS filter) are
 * accepted by it, and the framework's query parser hands the handler a space too, so the signed
 * value is the one the handler reads. See docs/iam-auth.md.
 */
export function parseQuery(rawQuery: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  if (rawQuery === '') return pairs;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) pairs.push([decodeComponent(part), '']);
    else pairs.push([decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))]);
  }
  return pairs;
}

/** The first value of `name` (exact, case-sensitive as AWS treats `X-Amz-*` query names). */
export function queryValue(pairs: readonly QueryPair[], name: string): string | undefined {
  for (const [key, value] of pairs) if (key === name) return value;
  return undefined;
}

function decodeComponent(text: string): string {
  return safeDecode(text.indexOf('+') === -1 ? text : text.replaceAll('+', ' '));
}
