import { type WildcardMask, compileWildcard, hasWildcard, wildcardMatchRange } from './wildcard';

/**
 * ARN matching as IAM does it for `Resource`/`NotResource` and `ArnLike`/`ArnEquals`: the six
 * colon-separated parts (`arn`, partition, service, region, account, resource) are compared
 * separately, so a wildcard in one of the first five never swallows a `:`; the resource part (everything
 * after the fifth colon) may contain `:` and `/`, which a `*` there spans.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export type ArnMatcher = (arn: string) => boolean;

/** Positions of the first five colons in `text`, or `undefined` when it has fewer than five. */
function fiveColons(text: string, out: number[]): boolean {
  let from = 0;
  for (let k = 0; k < 5; k++) {
    const at = text.indexOf(':', from);
    if (at < 0) return false;
    out[k] = at;
    from = at + 1;
  }
  return true;
}

/** Whether `text` has the six parts of an ARN (`arn:partition:service:region:account:resource`). */
export function looksLikeArn(text: string): boolean {
  const colons: number[] = [0, 0, 0, 0, 0];
  return text.startsWith('arn:') && fiveColons(text, colons);
}

/**
 * Segment-wise wildcard match of `arn` against `pattern` (with an optional literal mask, see
 * {@link WildcardMask}). Both must have six parts; an ARN with fewer never matches.
 */
export function arnMatchesMasked(pattern: string, mask: WildcardMask, arn: string): boolean {
  const pc: number[] = [0, 0, 0, 0, 0];
  const sc: number[] = [0, 0, 0, 0, 0];
  if (!fiveColons(pattern, pc) || !fiveColons(arn, sc)) return false;
  let pStart = 0;
  let sStart = 0;
  for (let k = 0; k < 5; k++) {
    const pEnd = pc[k] as number;
    const sEnd = sc[k] as number;
    if (!wildcardMatchRange(pattern, mask, pStart, pEnd, arn, sStart, sEnd)) return false;
    pStart = pEnd + 1;
    sStart = sEnd + 1;
  }
  return wildcardMatchRange(pattern, mask, pStart, pattern.length, arn, sStart, arn.length);
}

/**
 * Compiles an ARN pattern (`*` alone matches everything). When the first five parts hold no
 * wildcard, a whole-string wildcard match is equivalent and gets the literal/prefix fast paths.
 */
export function compileArnPattern(pattern: string): ArnMatcher {
  if (pattern === '*') return () => true;
  const colons: number[] = [0, 0, 0, 0, 0];
  if (!fiveColons(pattern, colons)) return () => false;
  const head = pattern.slice(0, (colons[4] as number) + 1);
  if (!hasWildcard(head)) return compileWildcard(pattern);
  return (arn) => arnMatchesMasked(pattern, null, arn);
}
