import type { ConfigIssue } from '../errors';
import type { Principal } from './types';

/**
 * `Principal` / `NotPrincipal` of resource-based policies. A caller is seen as the chain of
 * identities IAM evaluates: its account, its role (for an assumed-role session) and itself.
 * `Principal` matches when any of them is listed; `NotPrincipal` applies when any of them is not
 * (which is why AWS says a `NotPrincipal`+`Deny` must list the account too).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export interface PrincipalMatcher {
  /** `"*"` or `{"AWS":"*"}`: everyone, anonymous callers included (RP-02). */
  readonly everyone: boolean;
  /** Account ids named by id or by `arn:...:iam::ACCOUNT:root`. */
  readonly accounts: ReadonlySet<string>;
  /** User, role, assumed-role session, federated-user and root ARNs named. */
  readonly arns: ReadonlySet<string>;
}

/** How a `Principal` matched: not at all, through `*`/account/role, or by naming the caller itself. */
export const NO_MATCH = 0;
export const MATCH = 1;
/** The user or session ARN itself was named: IAM-EV-03 lets such a grant stand without the boundary. */
export const DIRECT_MATCH = 2;

const PARTITION = 'aws(?:-[a-z]+)*';
const ACCOUNT = /^\d{12}$/;
const IAM_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):(root|user/.+|role/.+)$`);
const STS_ARN = new RegExp(
  `^arn:${PARTITION}:sts::(\\d{12}):(assumed-role/[^/]+/.+|federated-user/.+)$`,
);

function asList(raw: unknown, path: string, issues: ConfigIssue[]): string[] | undefined {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) {
    issues.push({ path, message: 'must name at least one principal' });
    return undefined;
  }
  const out: string[] = [];
  list.forEach((v, i) => {
    const at = Array.isArray(raw) ? `${path}[${i}]` : path;
    if (typeof v !== 'string' || v === '')
      issues.push({ path: at, message: 'must be a non-empty string' });
    else out.push(v);
  });
  return out.length === list.length ? out : undefined;
}

/**
 * Validates and compiles a `Principal`/`NotPrincipal` value.
 * Partial wildcards in principal ARNs are rejected (IAM-PRIN-01); `Service`, `Federated` and
 * `CanonicalUser` principals are validated but never match our callers.
 */
export function compilePrincipal(
  raw: unknown,
  path: string,
  issues: ConfigIssue[],
): PrincipalMatcher | undefined {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  let everyone = false;
  if (raw === '*') return { everyone: true, accounts, arns };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({
      path,
      message: 'must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}',
    });
    return undefined;
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) {
    issues.push({
      path,
      message: 'must name at least one principal type (AWS, Service, Federated)',
    });
    return undefined;
  }
  const before = issues.length;
  for (const [type, value] of entries) {
    const at = `${path}.${type}`;
    const list = asList(value, at, issues);
    if (list === undefined) continue;
    list.forEach((p, i) => {
      const itemPath = Array.isArray(value) ? `${at}[${i}]` : at;
      if (type === 'AWS') {
        if (p === '*') everyone = true;
        else if (p.includes('*') || p.includes('?')) {
          issues.push({
            path: itemPath,
            message: `partial wildcards are not allowed in principals ('${p}'); use "*" with an aws:PrincipalArn condition`,
          });
        } else if (ACCOUNT.test(p)) {
          accounts.add(p);
          arns.add(`arn:aws:iam::${p}:root`);
        } else {
          const iam = IAM_ARN.exec(p);
          const sts = iam === null ? STS_ARN.exec(p) : null;
          const match = iam ?? sts;
          if (match === null) {
            issues.push({
              path: itemPath,
              message: `'${p}' is not an AWS principal (account id, or an IAM root, user, role, assumed-role or federated-user ARN)`,
            });
          } else {
            if (match[2] === 'root') accounts.add(match[1] as string);
            arns.add(p);
            // Role names are unique in an account whatever their path, and session ARNs (hence
            // Principal.roleArn) carry no path: also index a role by its path-less ARN.
            const role = /^(arn:[^:]+:iam::\d{12}:role\/).*\/([^/]+)$/.exec(p);
            if (role !== null) arns.add(`${role[1] as string}${role[2] as string}`);
          }
        }
      } else if (type === 'Service' || type === 'Federated' || type === 'CanonicalUser') {
        if (type === 'Service' && p !== '*' && !/^[a-z0-9.-]+\.[a-z0-9.-]+$/.test(p)) {
          issues.push({
            path: itemPath,
            message: `'${p}' is not a service principal (e.g. lambda.amazonaws.com)`,
          });
        }
      } else {
        issues.push({
          path: at,
          message: `unknown principal type '${type}' (AWS, Service, Federated or CanonicalUser)`,
        });
      }
    });
  }
  return issues.length === before ? { everyone, accounts, arns } : undefined;
}

/** How `principal` matches `matcher`: {@link NO_MATCH}, {@link MATCH} or {@link DIRECT_MATCH}. */
export function matchPrincipal(
  matcher: PrincipalMatcher,
  principal: Principal | undefined,
): number {
  if (principal === undefined) return matcher.everyone ? MATCH : NO_MATCH;
  if (
    principal.type !== 'Account' &&
    principal.type !== 'Anonymous' &&
    matcher.arns.has(principal.arn)
  ) {
    return DIRECT_MATCH;
  }
  if (matcher.everyone) return MATCH;
  if (principal.type === 'Anonymous') return NO_MATCH;
  if (matcher.accounts.has(principal.accountId)) return MATCH;
  if (matcher.arns.has(principal.arn)) return MATCH;
  if (principal.roleArn !== undefined && matcher.arns.has(principal.roleArn)) return MATCH;
  return NO_MATCH;
}

/** Whether a `NotPrincipal` statement applies: some identity in the caller's chain is not listed. */
export function notPrincipalApplies(
  matcher: PrincipalMatcher,
  principal: Principal | undefined,
): boolean {
  if (matcher.everyone) return false;
  if (principal === undefined || principal.type === 'Anonymous') return true;
  if (!matcher.accounts.has(principal.accountId)) return true;
  if (principal.roleArn !== undefined && !matcher.arns.has(principal.roleArn)) return true;
  return (
    !matcher.arns.has(principal.arn) &&
    !(principal.type === 'Account' && matcher.accounts.has(principal.accountId))
  );
}
