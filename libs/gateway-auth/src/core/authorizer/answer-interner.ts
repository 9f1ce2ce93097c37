import { BoundedMemo } from '../bounded-memo';
import type { CachedPart } from '../cache/decision-cache';
import { stringBytes } from '../cache/entry-size';
import { estimateCompiledPolicyBytes } from '../iam/compiled-policy-size';
import type { AuthorizerResult } from './authorizer-response';

/** An authorizer's validated answer and its canonical JSON (what stores keep, see LC-02). */
export interface AuthorizerAnswer {
  readonly result: AuthorizerResult;
  readonly payload: string;
  /**
   * What the answer keeps in memory (the answer, its compiled policy) with estimated bytes, for a
   * store bounded in bytes; set on interned answers.
   */
  readonly parts?: readonly CachedPart[];
}

/** Distinct answers remembered, and their JSON's characters, before the interner starts again. */
const MAX_ANSWERS = 1000;
const MAX_ANSWER_CHARS = 1024 * 1024;

/**
 * An answer's own objects beyond its JSON: the result, what evaluating it derives (the policy set,
 * decisions per route, `$context.authorizer` forms). Measured ~250 bytes fresh, ~600 more once hits
 * have built the hit context and route maps (`npm run bench -- memory`); rounded up.
 */
const ANSWER_BYTES = 1024;
/** The JSON text, and the principal and `context` values the result holds: ~2 bytes per byte. */
const ANSWER_BYTES_PER_PAYLOAD_BYTE = 2.5;

/**
 * One object per distinct answer of an authorizer. An authorizer answers most callers with one of
 * a few answers (the same Deny for every unknown token; the same Allow per group): keyed by the
 * answer's canonical JSON — principal, context and policy document, so answers that differ in any
 * of them never meet — every cache entry holding an equal answer holds the same result, the same
 * JSON text and, through them, what evaluating it derives once (the policy set, decisions per
 * route). A cached entry then costs its key and slot, not a copy of the answer (issue 11: 100,000
 * cached denies of one policy held 100,000 copies, ~1.8 KB each). Bounded in answers and in their
 * JSON's characters: forgets everything when full (answers already cached stay shared by the
 * entries holding them).
 */
export class AnswerInterner {
  private readonly answers = new BoundedMemo<string, AuthorizerAnswer>(MAX_ANSWERS, {
    maxWeight: MAX_ANSWER_CHARS,
    weigh: (payload) => payload.length,
  });

  /** The answer equal to `answer` seen before, or `answer` itself with its parts, remembered. */
  intern(answer: AuthorizerAnswer): AuthorizerAnswer {
    const known = this.answers.get(answer.payload);
    if (known !== undefined) return known;
    const interned: AuthorizerAnswer = { ...answer, parts: answerParts(answer) };
    this.answers.set(answer.payload, interned);
    return interned;
  }

  /** The answer whose canonical JSON is `payload`, if remembered (e.g. read from a shared store). */
  get(payload: string): AuthorizerAnswer | undefined {
    return this.answers.get(payload);
  }
}

/**
 * The parts of an answer a cache entry holds: the answer itself, and its compiled policy apart
 * (answers naming different principals share one compiled policy when the documents are equal).
 */
function answerParts({ result, payload }: AuthorizerAnswer): CachedPart[] {
  const own: CachedPart = {
    value: result,
    bytes: ANSWER_BYTES + Math.ceil(ANSWER_BYTES_PER_PAYLOAD_BYTE * stringBytes(payload)),
  };
  if (result.kind !== 'policy') return [own];
  return [own, { value: result.policy, bytes: estimateCompiledPolicyBytes(result.policy) }];
}
