/**
 * The IAM policy engine: validate and compile policy documents once, then evaluate requests against
 * identity policies, an optional resource policy and an optional permissions boundary exactly as the
 * AWS IAM policy evaluation logic and API Gateway's authorization tables describe.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export type {
  ContextValue,
  Decision,
  EvaluationRequest,
  EvaluationResult,
  PolicyDocument,
  Principal,
  PrincipalType,
  StatementExplanation,
  StatementRef,
} from './types';
export type { CompiledPolicy, PolicyKind } from './compiled-policy';
export { compilePolicy, validatePolicy, type CompilePolicyOptions } from './compile-policy';
export {
  combineWithResourcePolicy,
  evaluatePolicies,
  type EvaluateOptions,
  type PolicySet,
} from './evaluate-policies';
export { OPERATOR_NAMES } from './conditions/operators';
export { policySetReadsRequestContext, readsRequestContext } from './reads-request-context';

/** @deprecated alias kept from the placeholder; use {@link PolicyDocument}. */
export type { PolicyDocument as RawPolicyDocument } from './types';
