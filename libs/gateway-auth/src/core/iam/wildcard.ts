/**
 * Wildcard (`*` any run, `?` exactly one character) matching for actions, resources and
 * `StringLike`/`ArnLike` conditions, without regular expressions: patterns are classified once
 * (literal, prefix, suffix, contains, ...) and the general case runs a linear-time backtracking scan.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */

/** Per-character kind in a pattern: a literal character, `*` or `?`. */
export const LITERAL = 0;
export const STAR = 1;
export const ONE = 2;

/**
 * A per-character kind mask for patterns where some `*`/`?` are literal (policy-variable values and
 * the `${*}`/`${?}` escapes). `null` means "every `*` and `?` in the text is a wildcard".
 */
export type WildcardMask = Uint8Array | null;

/** A compiled pattern: call it with the subject. */
export type WildcardMatcher = (subject: string) => boolean;

const matchAll: WildcardMatcher = () => true;

/** Whether `text` contains a `*` or `?`. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/**
 * Compiles `pattern` (where every `*` and `?` is a wildcard) into the cheapest matcher that decides
 * it: equality, `startsWith`, `endsWith`, `includes`, prefix+suffix, or the general scan.
 */
export function compileWildcard(pattern: string): WildcardMatcher {
  if (pattern === '*') return matchAll;
  if (!pattern.includes('?')) {
    const stars = countStars(pattern);
    if (stars === 0) return (s) => s === pattern;
    if (stars === 1) {
      const at = pattern.indexOf('*');
      const prefix = pattern.slice(0, at);
      const suffix = pattern.slice(at + 1);
      if (suffix === '') return (s) => s.startsWith(prefix);
      if (prefix === '') return (s) => s.endsWith(suffix);
      const min = prefix.length + suffix.length;
      return (s) => s.length >= min && s.startsWith(prefix) && s.endsWith(suffix);
    }
    if (stars === 2 && pattern.startsWith('*') && pattern.endsWith('*') && pattern.length > 2) {
      const middle = pattern.slice(1, -1);
      return (s) => s.includes(middle);
    }
  }
  const end = pattern.length;
  return (s) => wildcardMatchRange(pattern, null, 0, end, s, 0, s.length);
}

function countStars(pattern: string): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) if (pattern.charCodeAt(i) === 42) n++;
  return n;
}

function kindAt(pattern: string, mask: WildcardMask, i: number): number {
  if (mask !== null) return mask[i] ?? LITERAL;
  const c = pattern.charCodeAt(i);
  return c === 42 ? STAR : c === 63 ? ONE : LITERAL;
}

/**
 * Matches `subject[sStart, sEnd)` against `pattern[pStart, pEnd)`. Greedy scan that backtracks only
 * to the last `*`, so it runs in O(pattern × subject) worst case and never recurses.
 */
export function wildcardMatchRange(
  pattern: string,
  mask: WildcardMask,
  pStart: number,
  pEnd: number,
  subject: string,
  sStart: number,
  sEnd: number,
): boolean {
  let pi = pStart;
  let si = sStart;
  let starP = -1;
  let starS = 0;
  while (si < sEnd) {
    if (pi < pEnd) {
      const kind = kindAt(pattern, mask, pi);
      if (kind === STAR) {
        starP = pi++;
        starS = si;
        continue;
      }
      if (kind === ONE || pattern.charCodeAt(pi) === subject.charCodeAt(si)) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
      continue;
    }
    return false;
  }
  while (pi < pEnd && kindAt(pattern, mask, pi) === STAR) pi++;
  return pi === pEnd;
}
