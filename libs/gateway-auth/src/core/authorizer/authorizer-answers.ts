/**
 * One authorizer's answers: a function's response (or a shared store's text of one) validated and
 * its policy compiled, and each distinct answer remembered once with what deciding it needs, so
 * every cache entry holding an equal answer holds the same object (issue 11).
 */
import { BoundedMemo } from '../bounded-memo';
import type { CachedPart } from '../cache/decision-cache';
import { stringBytes } from '../cache/entry-size';
import { estimateCompiledPolicyBytes } from '../iam/compiled-policy-size';
import {
  parseAuthorizerResponse,
  type AuthorizerResult,
  type CompiledPolicyMemo,
  type ResponseFormat,
} from './authorizer-response';
import { derivePolicy, type DerivedPolicy, type PolicyScope } from './policy-result';

/** An authorizer's validated answer and its canonical JSON (what stores keep, see LC-02). */
export interface AuthorizerAnswer {
  readonly result: AuthorizerResult;
  readonly payload: string;
  /**
   * What the answer keeps in memory (the answer, its compiled policy) with estimated bytes, for a
   * store bounded in bytes; set on interned answers.
   */
  readonly parts?: readonly CachedPart[];
  /**
   * A policy answer's policy set, route decisions and `$context.authorizer` forms, derived once;
   * set on interned answers (the ones cache hits share), derived per use on the others.
   */
  readonly derived?: DerivedPolicy;
}

/** Options of {@link AuthorizerAnswers}. */
export interface AuthorizerAnswersOptions {
  format: ResponseFormat;
  /** Names the authorizer's policies in compile errors: `authorizer:<name>`. */
  policyId: string;
  /** The authenticator's compiled policies by JSON, shared by its authorizers. */
  compiledPolicies: CompiledPolicyMemo;
  /** What returned policies are evaluated with (the resource policy on REST APIs). */
  scope: PolicyScope;
}

/** Distinct answers remembered, and their JSON's characters, before the memo starts again. */
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
 * One authorizer's answers. An authorizer answers most callers with one of a few answers (the same
 * Deny for every unknown token; the same Allow per group): interned by the answer's canonical JSON
 * — principal, context and policy document, so answers that differ in any of them never meet —
 * every cache entry holding an equal answer holds the same result, the same JSON text and, through
 * them, what deciding it derives once. A cached entry then costs its key and slot, not a copy of
 * the answer (issue 11: 100,000 cached denies of one policy held 100,000 copies, ~1.8 KB each).
 * Bounded in answers and in their JSON's characters: forgets everything when full (answers already
 * cached stay shared by the entries holding them). Measured without interning (`npm run bench --
 * memory`): 1,138 bytes per cached Deny of one policy instead of 296.
 */
export class AuthorizerAnswers {
  private readonly interned = new BoundedMemo<string, AuthorizerAnswer>(MAX_ANSWERS, {
    maxWeight: MAX_ANSWER_CHARS,
    weigh: (payload) => payload.length,
  });

  constructor(private readonly options: AuthorizerAnswersOptions) {}

  /**
   * The function's response validated (LO-01/02, HL-03), its policy compiled.
   * @throws MalformedAuthorizerResponseError naming the broken rule.
   */
  parse(response: unknown): AuthorizerAnswer {
    const { format, policyId, compiledPolicies } = this.options;
    return parseAuthorizerResponse(response, format, policyId, compiledPolicies);
  }

  /**
   * The answer equal to `answer` seen before, or `answer` itself with its parts and derived policy,
   * remembered.
   */
  intern(answer: AuthorizerAnswer): AuthorizerAnswer {
    const known = this.interned.get(answer.payload);
    if (known !== undefined) return known;
    const { result, payload } = answer;
    const interned: AuthorizerAnswer = {
      result,
      payload,
      parts: answerParts(answer),
      ...(result.kind === 'policy'
        ? { derived: derivePolicy(result, this.options.scope, true) }
        : {}),
    };
    this.interned.set(payload, interned);
    return interned;
  }

  /**
   * The interned answer whose canonical JSON is `payload` (a shared store's text): decoded once per
   * distinct text. `undefined` when the text is not a valid answer (the caller then invokes again).
   */
  fromPayload(payload: string): AuthorizerAnswer | undefined {
    const known = this.interned.get(payload);
    if (known !== undefined) return known;
    try {
      const { result } = this.parse(JSON.parse(payload) as unknown);
      // Interned under the stored text (what the next read of it looks up).
      return this.intern({ result, payload });
    } catch {
      return undefined;
    }
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
