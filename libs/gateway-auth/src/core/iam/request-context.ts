import { resourcePartStart } from './statement-index';
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
  private slashes: number[] | undefined;
  private keys: (string | undefined)[] | undefined;
  private partStart = -1;

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

  /**
   * Lengths of the resource part's `/`-terminated prefixes (the statement-index keys), computed once.
   * Empty when the resource is not an ARN.
   */
  resourceSlashes(): readonly number[] {
    if (this.slashes !== undefined) return this.slashes;
    const resource = this.request.resource;
    const start = resourcePartStart(resource);
    const out: number[] = [];
    if (start >= 0) {
      for (let at = resource.indexOf('/', start); at >= 0; at = resource.indexOf('/', at + 1)) {
        out.push(at - start);
      }
    }
    this.partStart = start;
    this.slashes = out;
    return out;
  }

  /** The resource part's prefix of the `n`-th slash (see {@link resourceSlashes}), sliced once. */
  resourceKey(n: number): string {
    const keys = (this.keys ??= []);
    let key = keys[n];
    if (key === undefined) {
      const length = (this.slashes as number[])[n] as number;
      key = this.request.resource.slice(this.partStart, this.partStart + length);
      keys[n] = key;
    }
    return key;
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
