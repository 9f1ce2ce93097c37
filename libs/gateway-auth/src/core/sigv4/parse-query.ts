import { safeDecode } from './uri-escape';

/** One query parameter, percent-decoded (`+` stays a literal plus, as SigV4 signers never send it for a space). */
export type QueryPair = readonly [name: string, value: string];

/**
 * Splits a raw query string into decoded name/value pairs in arrival order. `a` and `a=` both give
 * an empty value; empty segments (`a&&b`) are skipped, as SDK signers never produce them.
 */
export function parseQuery(rawQuery: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  if (rawQuery === '') return pairs;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) pairs.push([safeDecode(part), '']);
    else pairs.push([safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** The first value of `name` (exact, case-sensitive as AWS treats `X-Amz-*` query names). */
export function queryValue(pairs: readonly QueryPair[], name: string): string | undefined {
  for (const [key, value] of pairs) if (key === name) return value;
  return undefined;
}
