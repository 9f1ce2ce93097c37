import type { ContextValue, EvaluationRequest } from './types';

/**
 * Per-evaluation view of a request: the lower-cased action, and a case-insensitive condition-key
 * lookup built lazily (only when a statement reaches a condition or a policy variable) and once per
 * evaluation. Keys the caller did not supply but the principal implies (`aws:PrincipalArn`,
 * `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username`) are derived from it.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export class RequestView {
  readonly request: EvaluationRequest;
  readonly action: string;
  /** Condition keys (as written in the policy) looked up but absent. */
  missing: Set<string> | undefined;
  private lookup: Map<string, ContextValue> | undefined;

  constructor(request: EvaluationRequest) {
    this.request = request;
    this.action = request.action.toLowerCase();
  }

  /** The value of a condition key (`lowerKey` already lower-cased); `undefined` when absent. */
  get(lowerKey: string): ContextValue | undefined {
    const map = this.lookup ?? this.build();
    return map.get(lowerKey);
  }

  /** A single-valued key for policy variables; multivalued keys cannot be variables (IAM-V-01). */
  single(lowerKey: string): string | undefined {
    const value = this.get(lowerKey);
    return typeof value === 'string' ? value : undefined;
  }

  noteMissing(name: string): void {
    (this.missing ??= new Set()).add(name);
  }

  private build(): Map<string, ContextValue> {
    const map = new Map<string, ContextValue>();
    const principal = this.request.principal;
    if (principal !== undefined) {
      map.set('aws:principalarn', principal.roleArn ?? principal.arn);
      map.set('aws:principalaccount', principal.accountId);
      map.set('aws:principaltype', principal.type);
      if (principal.type === 'User') {
        const name = principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
        if (name !== '') map.set('aws:username', name);
      }
    }
    const context = this.request.context;
    for (const key of Object.keys(context)) {
      const value = context[key];
      if (value !== undefined) map.set(key.toLowerCase(), value);
    }
    this.lookup = map;
    return map;
  }
}
