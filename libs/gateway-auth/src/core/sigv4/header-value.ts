/**
 * The first value of a header as the core holds it (repeated headers are arrays). Call sites read
 * `request.headers['fixed-name']` themselves: a property load with a literal name stays cheap at
 * each site, where one helper taking the name (like `getHeader`, which also lower-cases it) turns
 * every read into a generic keyed lookup.
 */
export function firstValue(value: string | readonly string[] | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : value[0];
}
