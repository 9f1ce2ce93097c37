/**
 * The contract of the IAM policy engine. Other parts of the core (SigV4 authorization, Lambda
 * authorizer policies, resource-policy combination) code against these types only.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** A policy document as JSON (validated by `parsePolicy`). */
export type PolicyDocument = Readonly<Record<string, unknown>>;

/** How a principal authenticated; drives Principal matching and `aws:PrincipalType`. */
export type PrincipalType = 'User' | 'AssumedRole' | 'Account' | 'FederatedUser' | 'Anonymous';

/** The caller as IAM sees it. */
export interface Principal {
  /** `arn:aws:iam::111122223333:user/alice`, `arn:aws:sts::111122223333:assumed-role/R/S`, ... */
  arn: string;
  accountId: string;
  type: PrincipalType;
  /** For assumed-role sessions: the role's ARN (`arn:aws:iam::acct:role/R`), matched by `Principal`. */
  roleArn?: string;
}

/** Condition-context values: single-valued keys are strings, multivalued keys arrays. */
export type ContextValue = string | readonly string[];

/** One question to the engine. */
export interface EvaluationRequest {
  /** The caller; `undefined` for anonymous / non-IAM callers (only `"*"` principals match them). */
  principal?: Principal;
  /** `service:Action`, e.g. `execute-api:Invoke`. */
  action: string;
  /** The resource ARN. */
  resource: string;
  /** Condition keys (case-insensitive names) to values, e.g. `aws:SourceIp`. */
  context: Readonly<Record<string, ContextValue>>;
}

/** The three IAM outcomes. */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** Identifies a statement inside a policy. */
export interface StatementRef {
  /** The policy's id as given when compiling (file name, "identity[0]", "resourcePolicy", ...). */
  policyId: string;
  /** Index in the Statement array (0 when Statement is an object). */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

/** Why a statement did or did not apply. */
export interface StatementExplanation extends StatementRef {
  matched: boolean;
  /** The first element that failed: `Principal`, `Action`, `Resource`, `Condition` ... */
  failedElement?:
    | 'Principal'
    | 'NotPrincipal'
    | 'Action'
    | 'NotAction'
    | 'Resource'
    | 'NotResource'
    | 'Condition';
  /** Human-readable detail, e.g. `Condition StringEquals aws:PrincipalTag/team: "ops" not in ["pets"]`. */
  detail?: string;
}

/** The engine's answer. */
export interface EvaluationResult {
  decision: Decision;
  /** Statements that decided it: the Deny statements for explicitDeny, the Allows for allowed. */
  matchedStatements: StatementRef[];
  /** Every statement's verdict, for explain output. */
  explanations: StatementExplanation[];
  /** Condition keys referenced by evaluated statements but absent from the context. */
  missingContextKeys: string[];
  /**
   * With `explain: true`: one sentence a denied caller (or their administrator) can act on, e.g.
   * which condition of the nearest Allow failed, or that the permissions boundary is missing an allow.
   */
  summary?: string;
  /** Decisions of each policy type before combination. */
  identityDecision: Decision;
  resourceDecision?: Decision;
  boundaryDecision?: Decision;
}
