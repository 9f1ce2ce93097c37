import type { CompiledPolicy } from './compiled-policy';

/*
 * Heap bytes of compiled policies, estimated from what they list (no walk of the matchers), for
 * caches bounded in bytes (the Lambda-authorizer cache's `cache.memory.maxBytes`). Constants fitted
 * to V8 heap deltas of 3,000 distinct compiled policies per shape (one or many statements,
 * wildcard and literal resources, 50 resources, conditions, policy variables, long ARNs) and set
 * so the estimate is above each (by 20-90 %; 5x for 50 literal resources): a bound counted with
 * them holds.
 */

/** The policy object, its statement list and its statement index. */
const POLICY_BYTES = 1024;
/** One statement: its object, matchers, sets and text lists. */
const STATEMENT_BYTES = 1024;
/** One `Action` or `Resource` entry: its matcher (closure, prefix slices) and set or list slots. */
const ELEMENT_BYTES = 640;
/** One condition (operator and key): its compiled test and value list. */
const CONDITION_BYTES = 1536;
/** One condition value: its parsed form (a CIDR, a pattern) and list slot. */
const CONDITION_VALUE_BYTES = 256;
/** Each character of the policy's text is held about three times (as written, expanded, sliced). */
const BYTES_PER_TEXT_CHAR = 3;

/** Estimated heap bytes of one compiled policy. */
export function estimateCompiledPolicyBytes(policy: CompiledPolicy): number {
  let bytes = POLICY_BYTES;
  let chars = 0;
  for (const statement of policy.statements) {
    bytes +=
      STATEMENT_BYTES +
      ELEMENT_BYTES * (statement.actionText.length + statement.resourceText.length);
    for (const text of statement.actionText) chars += text.length;
    for (const text of statement.resourceText) chars += text.length;
    for (const condition of statement.conditions) {
      bytes += CONDITION_BYTES + CONDITION_VALUE_BYTES * condition.values.length;
      chars += condition.key.length;
      for (const value of condition.values) chars += value.length;
    }
  }
  return bytes + BYTES_PER_TEXT_CHAR * chars;
}
