import { arnMatchesMasked } from './arn-pattern';
import type { CompiledStatement } from './compiled-policy';
import { resolveTemplatePattern } from './policy-variables';
import { MATCH, NO_MATCH, matchPrincipal, notPrincipalApplies } from './principal';
import type { RequestView } from './request-context';
import type { StatementExplanation } from './types';

/**
 * Whether one statement applies to a request (IAM-EV-05): Action, Resource, Principal (resource
 * policies) and every Condition must match. Checks run cheapest first. Returns `NO_MATCH`, `MATCH`,
 * or `DIRECT_MATCH` (the caller's own user/session ARN was named, see principal.ts).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function statementApplies(st: CompiledStatement, view: RequestView): number {
  if (actionMatches(st, view) === st.notAction) return NO_MATCH;
  if (resourceMatches(st, view) === st.notResource) return NO_MATCH;
  let outcome = MATCH;
  const principal = st.principal;
  if (principal !== undefined) {
    if (st.notPrincipal) {
      if (!notPrincipalApplies(principal, view.request.principal)) return NO_MATCH;
    } else {
      outcome = matchPrincipal(principal, view.request.principal);
      if (outcome === NO_MATCH) return NO_MATCH;
    }
  }
  const conditions = st.conditions;
  for (let i = 0; i < conditions.length; i++) {
    if (!(conditions[i] as (typeof conditions)[number]).test(view)) return NO_MATCH;
  }
  return outcome;
}

function actionMatches(st: CompiledStatement, view: RequestView): boolean {
  const a = st.action;
  if (a.all || a.literals.has(view.action)) return true;
  const patterns = a.patterns;
  for (let i = 0; i < patterns.length; i++)
    if ((patterns[i] as (s: string) => boolean)(view.action)) return true;
  return false;
}

function resourceMatches(st: CompiledStatement, view: RequestView): boolean {
  const r = st.resource;
  const resource = view.request.resource;
  if (r.all || r.literals.has(resource)) return true;
  const patterns = r.patterns;
  for (let i = 0; i < patterns.length; i++)
    if ((patterns[i] as (s: string) => boolean)(resource)) return true;
  for (const template of r.templates) {
    const p = resolveTemplatePattern(template, view);
    if (p !== undefined && arnMatchesMasked(p.text, p.mask, resource)) return true;
  }
  return false;
}

const list = (values: readonly string[]): string =>
  JSON.stringify(values.length === 1 ? values[0] : values);

/** The explain-mode twin of {@link statementApplies}: says which element failed and why. */
export function explainStatement(st: CompiledStatement, view: RequestView): StatementExplanation {
  const base = { ...st.ref };
  const req = view.request;
  const actionOk = actionMatches(st, view) !== st.notAction;
  if (!actionOk) {
    return {
      ...base,
      matched: false,
      failedElement: st.notAction ? 'NotAction' : 'Action',
      detail: st.notAction
        ? `${req.action} is excluded by NotAction ${list(st.actionText)}`
        : `${req.action} is not matched by Action ${list(st.actionText)}`,
    };
  }
  if (resourceMatches(st, view) === st.notResource) {
    return {
      ...base,
      matched: false,
      failedElement: st.notResource ? 'NotResource' : 'Resource',
      detail: st.notResource
        ? `${req.resource} is excluded by NotResource ${list(st.resourceText)}`
        : `${req.resource} is not matched by Resource ${list(st.resourceText)}`,
    };
  }
  const principal = st.principal;
  if (principal !== undefined) {
    const who = req.principal?.arn ?? 'anonymous';
    if (st.notPrincipal && !notPrincipalApplies(principal, req.principal)) {
      return {
        ...base,
        matched: false,
        failedElement: 'NotPrincipal',
        detail: `${who} and its account are all listed in NotPrincipal`,
      };
    }
    if (!st.notPrincipal && matchPrincipal(principal, req.principal) === NO_MATCH) {
      return {
        ...base,
        matched: false,
        failedElement: 'Principal',
        detail: `${who} is not named by Principal`,
      };
    }
  }
  // Every condition is tested (not just up to the first failure) so that all absent keys of the
  // statement are reported as missing context, as simulate-custom-policy does.
  let failed: StatementExplanation | undefined;
  for (const c of st.conditions) {
    if (!c.test(view) && failed === undefined) {
      const value = view.get(c.key.toLowerCase());
      const shown = value === undefined ? 'absent' : JSON.stringify(value);
      failed = {
        ...base,
        matched: false,
        failedElement: 'Condition',
        detail: `Condition ${c.operator} ${c.key}: request value ${shown} does not satisfy ${JSON.stringify(c.values)}`,
      };
    }
  }
  return failed ?? { ...base, matched: true };
}
