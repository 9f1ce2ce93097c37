import type { CompiledCondition } from './conditions/compile-condition';
import type { Template } from './policy-variables';
import type { PrincipalMatcher } from './principal';
import type { StatementRef } from './types';
import type { WildcardMatcher } from './wildcard';
import type { ArnMatcher } from './arn-pattern';
import type { StatementIndex } from './statement-index';

/** Which evaluation role a policy plays (it changes validation: `Principal` only in resource policies). */
export type PolicyKind = 'identity' | 'resource' | 'boundary';

/** Compiled `Action`/`NotAction` list: lower-cased literals in a set, wildcards as matchers. */
export interface ActionMatcher {
  readonly all: boolean;
  readonly literals: ReadonlySet<string>;
  readonly patterns: readonly WildcardMatcher[];
}

/** Compiled `Resource`/`NotResource` list; templated entries resolve per request. */
export interface ResourceMatcher {
  readonly all: boolean;
  readonly literals: ReadonlySet<string>;
  readonly patterns: readonly ArnMatcher[];
  readonly templates: readonly Template[];
}

/** One statement, compiled. */
export interface CompiledStatement {
  readonly ref: StatementRef;
  readonly deny: boolean;
  readonly action: ActionMatcher;
  readonly notAction: boolean;
  readonly resource: ResourceMatcher;
  readonly notResource: boolean;
  readonly principal: PrincipalMatcher | undefined;
  readonly notPrincipal: boolean;
  readonly conditions: readonly CompiledCondition[];
  /** The element values as written, for explanations. */
  readonly actionText: readonly string[];
  readonly resourceText: readonly string[];
  /** The resources with API Gateway's abbreviated `execute-api:/...` form expanded. */
  readonly resourceArns: readonly string[];
}

/**
 * A policy compiled once into matchers (no parsing or pattern building per request). Obtain it from
 * `compilePolicy`; the statement list is internal.
 */
export interface CompiledPolicy {
  readonly policyId: string;
  readonly kind: PolicyKind;
  /** `2012-10-17` or `2008-10-17` (policy variables only in the former). */
  readonly version: string;
  /** @internal */
  readonly statements: readonly CompiledStatement[];
  /** @internal */
  readonly index: StatementIndex;
}
