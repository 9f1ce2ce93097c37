/**
 * Route decisions of cached authorizer answers beyond each answer's first route: one memo bounded
 * for all answers, holding them weakly.
 */
import type { Decision } from '../iam';

/** A combined decision, with the resource policy's own when there is one (frozen, shared). */
export type DecisionPair = readonly [Decision] | readonly [Decision, Decision];

const DECISIONS: readonly Decision[] = ['allowed', 'explicitDeny', 'implicitDeny'];
/** Every pair, built once: remembering a decision allocates nothing. */
const PAIRS: ReadonlyMap<Decision, ReadonlyMap<Decision | undefined, DecisionPair>> = new Map(
  DECISIONS.map((decision) => [
    decision,
    new Map<Decision | undefined, DecisionPair>([
      [undefined, Object.freeze([decision] as const)],
      ...DECISIONS.map(
        (resource) =>
          [resource, Object.freeze([decision, resource] as const)] as [Decision, DecisionPair],
      ),
    ]),
  ]),
);

/** The shared, frozen pair of `decision` and the resource policy's `resourceDecision`. */
export function decisionPair(decision: Decision, resourceDecision?: Decision): DecisionPair {
  return PAIRS.get(decision)?.get(resourceDecision) ?? Object.freeze([decision]);
}

/** Longest resource path remembered: longer ones are decided each time (callers choose paths). */
export const MAX_REMEMBERED_PATH_LENGTH = 256;
/** Decisions remembered across every answer, and characters of their paths, before starting again. */
const MAX_DECISIONS = 16_384;
const MAX_PATH_CHARS = 1024 * 1024;

/**
 * Decisions of cached authorizer answers for the routes beyond each answer's first (which the answer
 * holds itself, see `DerivedPolicy`), by method, resource path and answer. One memo for every
 * answer of an authenticator, bounded as a whole (decisions, path length), with the answers held
 * weakly: memory does not grow with the number of answers times the routes their callers choose
 * (per-answer memos did, up to 256 paths per method each — issue 11), and an answer evicted from
 * the cache is not kept alive here. When full it starts again: a decision then costs one more
 * evaluation. Methods come from the framework's HTTP parser (a handful of names).
 */
export class RouteDecisions<A extends object> {
  private byMethod = new Map<string, Map<string, WeakMap<A, DecisionPair>>>();
  private count = 0;
  private pathChars = 0;

  get(method: string, path: string, answer: A): DecisionPair | undefined {
    return this.byMethod.get(method)?.get(path)?.get(answer);
  }

  set(method: string, path: string, answer: A, pair: DecisionPair): void {
    if (path.length > MAX_REMEMBERED_PATH_LENGTH) return;
    if (this.count >= MAX_DECISIONS || this.pathChars + path.length > MAX_PATH_CHARS) {
      this.byMethod = new Map();
      this.count = 0;
      this.pathChars = 0;
    }
    let byPath = this.byMethod.get(method);
    if (byPath === undefined) {
      byPath = new Map();
      this.byMethod.set(method, byPath);
    }
    let byAnswer = byPath.get(path);
    if (byAnswer === undefined) {
      byAnswer = new WeakMap();
      byPath.set(path, byAnswer);
      this.pathChars += path.length;
    }
    // Counted per set, not per live entry (the answers are weak): a bound, never an undercount.
    byAnswer.set(answer, pair);
    this.count += 1;
  }
}
