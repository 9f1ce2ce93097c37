/**
 * Validates an IAM policy document, reporting every problem with its JSON path, and compiles it once
 * into matchers (actions, resources, principals, conditions) the evaluator runs per request.
 */
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
  path: string,
  scope: PolicyScope,
): ResourceMatcher & { expanded: string[] } {
  const { variables, options, issues } = scope;
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
  path: string,
  scope: PolicyScope,
  deny: boolean,
): CompiledCondition[] {
  const { variables, issues } = scope;
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
      const c = compileCondition(parsed, key, block[key], {
        variables,
        deny,
        path: `${opPath}[${JSON.stringify(key)}]`,
        issues,
      });
      if (c !== undefined) out.push(c);
    }
  }
  return out;
}

/** What compiling a statement needs to know about its policy, and where problems go. */
interface PolicyScope {
  readonly policyId: string;
  readonly kind: PolicyKind;
  /** The policy version substitutes `${...}` policy variables (2012-10-17 only, IAM-VER-01). */
  readonly variables: boolean;
  readonly options: CompilePolicyOptions;
  /** Sids seen so far in the policy (they must be unique). */
  readonly sids: Set<string>;
  readonly issues: ConfigIssue[];
}

/** An element written either way round (`Action`/`NotAction`, ...), and which way it was. */
interface EitherElement {
  readonly name: string;
  readonly not: boolean;
  readonly value: unknown;
}

/**
 * The statement's `name` or `notName`: exactly one may be present; `required` reports neither.
 * @returns `undefined` when absent or both are present (reported).
 */
function eitherElement(
  raw: Record<string, unknown>,
  [name, notName]: readonly [string, string],
  required: boolean,
  at: { path: string; issues: ConfigIssue[] },
): EitherElement | undefined {
  const value = own(raw, name);
  const notValue = own(raw, notName);
  if (value !== undefined && notValue !== undefined) {
    at.issues.push({ path: at.path, message: `use either ${name} or ${notName}, not both` });
    return undefined;
  }
  if (value === undefined && notValue === undefined) {
    if (required) at.issues.push({ path: at.path, message: `needs ${name} or ${notName}` });
    return undefined;
  }
  return value !== undefined
    ? { name, not: false, value }
    : { name: notName, not: true, value: notValue };
}

/**
 * `Action`/`NotAction` or `Resource`/`NotResource` (required): its text as a list of strings and
 * that list compiled by `compile`.
 */
function listElement<M>(
  raw: Record<string, unknown>,
  names: readonly [string, string],
  at: { path: string; issues: ConfigIssue[] },
  compile: (list: readonly string[], path: string) => M,
): { not: boolean; text: string[]; matcher: M } | undefined {
  const element = eitherElement(raw, names, true, at);
  if (element === undefined) return undefined;
  const path = `${at.path}.${element.name}`;
  const text = stringList(element.value, path, at.issues);
  return text === undefined ? undefined : { not: element.not, text, matcher: compile(text, path) };
}

/** `Sid`: a string, unique in the policy (an empty Sid may repeat). */
function readSid(
  raw: Record<string, unknown>,
  path: string,
  scope: PolicyScope,
): string | undefined {
  const sid = own(raw, 'Sid');
  if (sid === undefined) return undefined;
  if (typeof sid !== 'string') {
    scope.issues.push({ path: `${path}.Sid`, message: 'must be a string' });
    return undefined;
  }
  if (sid !== '' && scope.sids.has(sid)) {
    scope.issues.push({
      path: `${path}.Sid`,
      message: `duplicate Sid '${sid}' (Sids must be unique in a policy)`,
    });
  }
  scope.sids.add(sid);
  return sid;
}

/** `Principal`/`NotPrincipal`: required in resource-based policies, refused in the others. */
function readPrincipal(
  raw: Record<string, unknown>,
  path: string,
  scope: PolicyScope,
): { principal: PrincipalMatcher | undefined; notPrincipal: boolean } {
  const { kind, issues } = scope;
  if (kind === 'resource') {
    const element = eitherElement(raw, ['Principal', 'NotPrincipal'], true, { path, issues });
    if (element === undefined) return { principal: undefined, notPrincipal: false };
    return {
      principal: compilePrincipal(element.value, `${path}.${element.name}`, issues),
      notPrincipal: element.not,
    };
  }
  for (const name of ['Principal', 'NotPrincipal']) {
    if (own(raw, name) !== undefined) {
      issues.push({
        path: `${path}.${name}`,
        message: `${name} is only allowed in resource-based policies (this is a${kind === 'identity' ? 'n identity' : ' boundary'} policy)`,
      });
    }
  }
  return { principal: undefined, notPrincipal: false };
}

/** One statement, at `index` of the policy and `path` in its document. */
function compileStatement(
  raw: unknown,
  at: { index: number; path: string },
  scope: PolicyScope,
): CompiledStatement | undefined {
  const { path } = at;
  const { issues } = scope;
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
  const sid = readSid(raw, path, scope);
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
  const site = { path, issues };
  const action = listElement(raw, ['Action', 'NotAction'], site, (list, listPath) =>
    compileActions(list, listPath, issues),
  );
  const resource = listElement(raw, ['Resource', 'NotResource'], site, (list, listPath) =>
    compileResources(list, listPath, scope),
  );
  const { principal, notPrincipal } = readPrincipal(raw, path, scope);
  const conditionRaw = own(raw, 'Condition');
  const conditions =
    conditionRaw === undefined
      ? []
      : compileConditions(conditionRaw, `${path}.Condition`, scope, effect === 'Deny');

  if (issues.length !== before || action === undefined || resource === undefined) {
    return undefined;
  }
  const effectValue = effect === 'Deny' ? 'Deny' : 'Allow';
  const { policyId } = scope;
  const { index } = at;
  const ref: StatementRef = Object.freeze(
    sid === undefined
      ? { policyId, index, effect: effectValue }
      : { policyId, index, sid, effect: effectValue },
  );
  return {
    ref,
    deny: effectValue === 'Deny',
    action: action.matcher,
    notAction: action.not,
    resource: resource.matcher,
    notResource: resource.not,
    principal,
    notPrincipal,
    conditions,
    actionText: action.text,
    resourceText: resource.text,
    resourceArns: resource.matcher.expanded,
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
  const scope: PolicyScope = {
    policyId,
    kind,
    variables: version === '2012-10-17',
    options,
    sids: new Set<string>(),
    issues,
  };
  if (statementRaw === undefined) issues.push({ path: '$.Statement', message: 'is required' });
  else if (Array.isArray(statementRaw)) {
    (statementRaw as unknown[]).forEach((s, index) => {
      const c = compileStatement(s, { index, path: `$.Statement[${index}]` }, scope);
      if (c !== undefined) statements.push(c);
    });
  } else if (isObject(statementRaw)) {
    const c = compileStatement(statementRaw, { index: 0, path: '$.Statement' }, scope);
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
