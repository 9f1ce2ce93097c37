// PLACEHOLDER until the policy engine lands (issue 2). Replaced wholesale by core/iam.
import { ConfigError } from '../errors';
import type { Decision, EvaluationRequest, EvaluationResult, PolicyDocument } from './types';

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

/** A policy compiled into matchers. */
export interface CompiledPolicy {
  readonly policyId: string;
}

export function compilePolicy(_document: unknown, policyId: string): CompiledPolicy {
  throw new ConfigError(`policy ${policyId}`, [
    { path: '$', message: 'policy engine not built yet' },
  ]);
}

export interface PolicySet {
  identityPolicies: readonly CompiledPolicy[];
  resourcePolicy?: CompiledPolicy;
  resourceAccountId?: string;
  permissionsBoundary?: readonly CompiledPolicy[];
}

export function evaluatePolicies(_set: PolicySet, _request: EvaluationRequest): EvaluationResult {
  throw new Error('policy engine not built yet');
}

export function combineWithResourcePolicy(
  x: Decision,
  y: Decision | undefined,
  _same: boolean,
): Decision {
  void y;
  return x === 'allowed' ? 'implicitDeny' : x;
}

export type { PolicyDocument as RawPolicyDocument };
