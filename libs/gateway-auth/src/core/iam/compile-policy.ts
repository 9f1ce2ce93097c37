import { ConfigError, type ConfigIssue } from '../errors';
import { looksLikeArn, compileArnPattern, type ArnMatcher } from './arn-pattern';
import { type CompiledCondition, compileCondition } from './conditions/compile-condition';
import { parseOperator } from './conditions/operators';
import type {
  ActionMatcher,
  CompiledPolicy,
  CompiledStatement,
  PolicyKind,
  ResourceMatcher,
} from './compiled-policy';
import { type Template, parseTemplate } from './policy-variables';
import { buildStatementIndex } from './statement-index';
import { type PrincipalMatcher, compilePrincipal } from './principal';
import type { StatementRef } from './types';
import { type WildcardMatcher, compileWildcard, hasWildcard } from './wildcard';

/** Options of {@link compilePolicy} and {@link validatePolicy}. */
export interface CompilePolicyOptions {
  /** Defaults to `identity` (also right for Lambda-authorizer policies). */
  kind?: PolicyKind;
  /**
   * Expands API Gateway's abbreviated resource-policy resources (`execute-api:/prod/GET/pets`,
   * `execute-api:/*`) with this prefix, e.g. `arn:aws:execute-api:us-east-1:111122223333:petstore`,
   * as API Gateway does when the policy is saved (RP-01). Without it such resources are invalid.
   */
  apiArnPrefix?: string;
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9*?_.-]+$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a`, or `$["a:b"]` when the key is not an identifier. */
function child(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** A string or non-empty array of strings, as every element allows. */
function stringList(raw: unknown, path: string, issues: ConfigIssue[]): string[] | undefined {
  if (typeof raw === 'string') return [raw];
  if (!Array.isArray(raw)) {
    issues.push({ path, message: 'must be a string or an array of strings' });
    return undefined;
  }
  if (raw.length === 0) {
    issues.push({ path, message: 'must not be an empty array' });
    return undefined;
  }
  const out: string[] = [];
  (raw as unknown[]).forEach((v, i) => {
    if (typeof v === 'string') out.push(v);
    else issues.push({ path: `${path}[${i}]`, message: 'must be a string' });
  });
  return out.length === raw.length ? out : undefined;
}

function compileActions(
  list: readonly string[],
  path: string,
  issues: ConfigIssue[],
): ActionMatcher {
  const literals = new Set<string>();
  const patterns: WildcardMatcher[] = [];
  let all = false;
  list.forEach((a, i) => {
    const at = list.length > 1 ? `${path}[${i}]` : path;
    if (a === '*') all = true;
    else if (!ACTION.test(a)) {
      issues.push({
        path: at,
        message: `'${a}' is not an action (service:Name, e.g. execute-api:Invoke)`,
      });
    } else if (hasWildcard(a)) patterns.push(compileWildcard(a.toLowerCase()));
    else literals.add(a.toLowerCase());
  });
  return { all, literals, patterns };
}

function compileResources(
  list: readonly string[],
  variables: boolean,
  options: CompilePolicyOptions,
  path: string,
  issues: ConfigIssue[],
): ResourceMatcher & { expanded: string[] } {
  const expanded: string[] = [];
  const literals = new Set<string>();
  const patterns: ArnMatcher[] = [];
  const templates: Template[] = [];
  let all = false;
  list.forEach((raw, i) => {
    const at = list.length > 1 ? `${path}[${i}]` : path;
    let r = raw;
    if (r.startsWith('execute-api:/')) {
      if (options.apiArnPrefix === undefined) {
        issues.push({
          path: at,
          message: `'${r}' is API Gateway's abbreviated form; pass apiArnPrefix to expand it, or write the full execute-api ARN`,
        });
        return;
      }
      r = options.apiArnPrefix + r.slice('execute-api:'.length);
    }
    expanded.push(r);
    if (r === '*') {
      all = true;
      return;
    }
    if (!looksLikeArn(r)) {
      issues.push({
        path: at,
        message: `'${raw}' is not "*" or an ARN (arn:partition:service:region:account:resource)`,
      });
      return;
    }
    const template = variables ? parseTemplate(r) : undefined;
    if (template !== undefined) {
      const head = r.split(':', 5).join(':');
      if (head.includes('${')) {
        issues.push({
          path: at,
          message:
            'policy variables are allowed only in the resource part of an ARN (after the fifth colon)',
        });
        return;
      }
      templates.push(template);
    } else if (hasWildcard(r)) patterns.push(compileArnPattern(r));
    else literals.add(r);
  });
  return { all, literals, patterns, templates, expanded };
}

function compileConditions(
  raw: unknown,
  variables: boolean,
  deny: boolean,
  path: string,
  issues: ConfigIssue[],
): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  if (!isObject(raw)) {
    issues.push({ path, message: 'must be an object of operator -> { key: value(s) }' });
    return out;
  }
  for (const [operator, block] of Object.entries(raw)) {
    const opPath = child(path, operator);
    const parsed = parseOperator(operator);
    if (typeof parsed === 'string') {
      issues.push({ path: opPath, message: parsed });
      continue;
    }
    if (!isObject(block)) {
      issues.push({ path: opPath, message: 'must be an object of condition key -> value(s)' });
      continue;
    }
    const keys = Object.keys(block);
    if (keys.length === 0) {
      issues.push({ path: opPath, message: 'must name at least one condition key' });
      continue;
    }
    for (const key of keys) {
      const c = compileCondition(
        parsed,
        key,
        block[key],
        variables,
        deny,
        `${opPath}[${JSON.stringify(key)}]`,
        issues,
      );
      if (c !== undefined) out.push(c);
    }
  }
  return out;
}

function compileStatement(
  raw: unknown,
  index: number,
  path: string,
  version: string,
  kind: PolicyKind,
  policyId: string,
  options: CompilePolicyOptions,
  sids: Set<string>,
  issues: ConfigIssue[],
): CompiledStatement | undefined {
  if (!isObject(raw)) {
    issues.push({ path, message: 'a statement must be an object' });
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) {
      issues.push({
        path: child(path, key),
        message: `unknown statement element '${key}' (element names are case-sensitive)`,
      });
    }
  }
  const sidRaw = own(raw, 'Sid');
  let sid: string | undefined;
  if (sidRaw !== undefined) {
    if (typeof sidRaw !== 'string')
      issues.push({ path: `${path}.Sid`, message: 'must be a string' });
    else {
      sid = sidRaw;
      if (sid !== '' && sids.has(sid))
        issues.push({
          path: `${path}.Sid`,
          message: `duplicate Sid '${sid}' (Sids must be unique in a policy)`,
        });
      sids.add(sid);
    }
  }
  const effect = own(raw, 'Effect');
  if (effect !== 'Allow' && effect !== 'Deny') {
    issues.push({
      path: `${path}.Effect`,
      message:
        effect === undefined
          ? 'is required ("Allow" or "Deny")'
          : `must be "Allow" or "Deny", got ${JSON.stringify(effect)}`,
    });
  }

  const pair = (
    a: string,
    b: string,
    required: boolean,
  ): { name: string; value: unknown } | undefined => {
    const va = own(raw, a);
    const vb = own(raw, b);
    if (va !== undefined && vb !== undefined) {
      issues.push({ path, message: `use either ${a} or ${b}, not both` });
      return undefined;
    }
    if (va === undefined && vb === undefined) {
      if (required) issues.push({ path, message: `needs ${a} or ${b}` });
      return undefined;
    }
    return va !== undefined ? { name: a, value: va } : { name: b, value: vb };
  };

  const variables = version === '2012-10-17';
  const actionEl = pair('Action', 'NotAction', true);
  const actionText =
    actionEl === undefined
      ? undefined
      : stringList(actionEl.value, `${path}.${actionEl.name}`, issues);
  const action =
    actionText === undefined || actionEl === undefined
      ? undefined
      : compileActions(actionText, `${path}.${actionEl.name}`, issues);

  const resourceEl = pair('Resource', 'NotResource', true);
  const resourceText =
    resourceEl === undefined
      ? undefined
      : stringList(resourceEl.value, `${path}.${resourceEl.name}`, issues);
  const resource =
    resourceText === undefined || resourceEl === undefined
      ? undefined
      : compileResources(resourceText, variables, options, `${path}.${resourceEl.name}`, issues);

  let principal: PrincipalMatcher | undefined;
  let notPrincipal = false;
  if (kind === 'resource') {
    const principalEl = pair('Principal', 'NotPrincipal', true);
    if (principalEl !== undefined) {
      notPrincipal = principalEl.name === 'NotPrincipal';
      principal = compilePrincipal(principalEl.value, `${path}.${principalEl.name}`, issues);
    }
  } else {
    for (const name of ['Principal', 'NotPrincipal']) {
      if (own(raw, name) !== undefined) {
        issues.push({
          path: `${path}.${name}`,
          message: `${name} is only allowed in resource-based policies (this is a${kind === 'identity' ? 'n identity' : ' boundary'} policy)`,
        });
      }
    }
  }

  const conditionRaw = own(raw, 'Condition');
  const conditions =
    conditionRaw === undefined
      ? []
      : compileConditions(conditionRaw, variables, effect === 'Deny', `${path}.Condition`, issues);

  if (
    issues.length !== before ||
    action === undefined ||
    resource === undefined ||
    actionEl === undefined ||
    resourceEl === undefined ||
    actionText === undefined ||
    resourceText === undefined
  ) {
    return undefined;
  }
  const effectValue = effect === 'Deny' ? 'Deny' : 'Allow';
  const ref: StatementRef = Object.freeze(
    sid === undefined
      ? { policyId, index, effect: effectValue }
      : { policyId, index, sid, effect: effectValue },
  );
  return {
    ref,
    deny: effectValue === 'Deny',
    action,
    notAction: actionEl.name === 'NotAction',
    resource,
    notResource: resourceEl.name === 'NotResource',
    principal,
    notPrincipal,
    conditions,
    actionText,
    resourceText,
    resourceArns: resource.expanded,
  };
}

/** Validates and compiles; `issues` receives every problem. */
function compileInto(
  document: unknown,
  policyId: string,
  options: CompilePolicyOptions,
  issues: ConfigIssue[],
): CompiledPolicy | undefined {
  const kind = options.kind ?? 'identity';
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc) as unknown;
    } catch (error) {
      issues.push({ path: '$', message: `not valid JSON: ${(error as Error).message}` });
      return undefined;
    }
  }
  if (!isObject(doc)) {
    issues.push({ path: '$', message: 'a policy document must be a JSON object' });
    return undefined;
  }
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.has(key))
      issues.push({
        path: child('$', key),
        message: `unknown policy element '${key}' (Version, Id, Statement)`,
      });
  }
  const versionRaw = own(doc, 'Version');
  let version = '2008-10-17';
  if (versionRaw !== undefined) {
    if (typeof versionRaw !== 'string' || !VERSIONS.has(versionRaw)) {
      issues.push({
        path: '$.Version',
        message: `must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(versionRaw)}`,
      });
    } else version = versionRaw;
  }
  const id = own(doc, 'Id');
  if (id !== undefined && typeof id !== 'string')
    issues.push({ path: '$.Id', message: 'must be a string' });
  const statementRaw = own(doc, 'Statement');
  const statements: CompiledStatement[] = [];
  const sids = new Set<string>();
  if (statementRaw === undefined) issues.push({ path: '$.Statement', message: 'is required' });
  else if (Array.isArray(statementRaw)) {
    (statementRaw as unknown[]).forEach((s, i) => {
      const c = compileStatement(
        s,
        i,
        `$.Statement[${i}]`,
        version,
        kind,
        policyId,
        options,
        sids,
        issues,
      );
      if (c !== undefined) statements.push(c);
    });
  } else if (isObject(statementRaw)) {
    const c = compileStatement(
      statementRaw,
      0,
      '$.Statement',
      version,
      kind,
      policyId,
      options,
      sids,
      issues,
    );
    if (c !== undefined) statements.push(c);
  } else {
    issues.push({
      path: '$.Statement',
      message: 'must be a statement object or an array of statements',
    });
  }
  if (issues.length > 0) return undefined;
  return Object.freeze({
    policyId,
    kind,
    version,
    statements: Object.freeze(statements),
    index: buildStatementIndex(statements),
  });
}

/**
 * Every problem in a policy document, each with its JSON path; `[]` when it is valid. Never throws.
 * Accepts the document as parsed JSON or as JSON text.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function validatePolicy(
  document: unknown,
  options: CompilePolicyOptions = {},
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  try {
    compileInto(document, 'validate', options, issues);
  } catch (error) {
    issues.push({ path: '$', message: `could not be read: ${(error as Error).message}` });
  }
  return issues;
}

/**
 * Validates and compiles a policy document once into matchers: actions lower-cased, wildcards
 * classified (literal / prefix / suffix / general), condition values parsed, principals indexed.
 * @param policyId how explanations and `MatchedStatements` name this policy
 * @throws ConfigError listing every problem with its JSON path
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */
export function compilePolicy(
  document: unknown,
  policyId: string,
  options: CompilePolicyOptions = {},
): CompiledPolicy {
  const issues: ConfigIssue[] = [];
  let compiled: CompiledPolicy | undefined;
  try {
    compiled = compileInto(document, policyId, options, issues);
  } catch (error) {
    issues.push({ path: '$', message: `could not be read: ${(error as Error).message}` });
  }
  if (compiled === undefined || issues.length > 0) {
    throw new ConfigError(
      `policy ${policyId}`,
      issues.length > 0 ? issues : [{ path: '$', message: 'invalid policy' }],
    );
  }
  return compiled;
}
