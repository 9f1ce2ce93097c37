import { Option, type Command } from 'commander';
import { ConfigError } from '../core/errors';
import {
  compilePolicy,
  evaluatePolicies,
  validatePolicy,
  type CompiledPolicy,
  type ContextValue,
  type EvaluationResult,
  type PolicyKind,
  type PolicySet,
  type Principal,
  type StatementRef,
} from '../core/iam';
import { ipFamily, parseCidr } from '../core/iam/conditions/ip-address';
import { parseDate, parseNumeric } from '../core/iam/conditions/parse-values';
import { type StatementSpan, statementSpans } from '../core/iam/statement-positions';
import { principalFromArn } from '../core/sigv4/principal-from-arn';
import { converted } from './cli-arguments';
import { InvalidPolicy, UsageError, type CliIo } from './cli-io';
import type { CliContext } from './cli-context';
import { main as runCli } from './main';

const CONTEXT_TYPES = new Set([
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'date',
  'dateList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
]);

/** A JSON-valued flag's text: JSON (an object or array), after `file://` / `-` were read. */
function policyText(text: string, flag: string): string {
  if (!/^\s*[[{]/.test(text))
    throw new UsageError(`${flag}: expected JSON text or file://PATH, got '${text.slice(0, 40)}'`);
  return text;
}

interface LoadedPolicy {
  compiled: CompiledPolicy;
  spans: StatementSpan[];
  sourceType: 'none' | 'resource';
}

function loadPolicy(
  text: string,
  policyId: string,
  kind: PolicyKind,
  apiArnPrefix: string | undefined,
): LoadedPolicy {
  let compiled: CompiledPolicy;
  try {
    compiled = compilePolicy(
      text,
      policyId,
      apiArnPrefix === undefined ? { kind } : { kind, apiArnPrefix },
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new InvalidPolicy(error);
    throw error;
  }
  return {
    compiled,
    spans: statementSpans(text),
    sourceType: kind === 'resource' ? 'resource' : 'none',
  };
}

/** Splits `ContextKeyName=k,ContextKeyValues=a,b,ContextKeyType=t` (AWS CLI shorthand). */
function parseShorthandEntry(entry: string): { name?: string; values: string[]; type?: string } {
  const out: { name?: string; values: string[]; type?: string } = { values: [] };
  let field: 'name' | 'values' | 'type' | undefined;
  for (const raw of entry.split(',')) {
    const m = /^(ContextKeyName|ContextKeyValues|ContextKeyType)=(.*)$/.exec(raw);
    let value = raw;
    if (m !== null) {
      field = m[1] === 'ContextKeyName' ? 'name' : m[1] === 'ContextKeyValues' ? 'values' : 'type';
      value = m[2] as string;
    } else if (field !== 'values') {
      throw new UsageError(
        `--context-entries: cannot parse '${entry}' (ContextKeyName=...,ContextKeyValues=...,ContextKeyType=...)`,
      );
    }
    if (field === 'name') out.name = value;
    else if (field === 'type') out.type = value;
    else {
      const v = value.replace(/^\[/, '').replace(/\]$/, '');
      if (v !== '' || value === '') out.values.push(v);
    }
  }
  return out;
}

function checkValue(type: string, value: string, key: string): void {
  const base = type.replace(/List$/, '');
  const ok =
    base === 'string' ||
    base === 'binary' ||
    (base === 'numeric' && parseNumeric(value) !== undefined) ||
    (base === 'boolean' && (value.toLowerCase() === 'true' || value.toLowerCase() === 'false')) ||
    (base === 'date' && parseDate(value) !== undefined) ||
    (base === 'ip' && (ipFamily(value) !== undefined || parseCidr(value) !== undefined));
  if (!ok)
    throw new UsageError(`--context-entries: '${value}' is not a valid ${base} value for ${key}`);
}

/** Maps `--context-entries` to the engine's context (single-valued types -> string, lists -> string[]). */
export function parseContextEntries(entries: readonly string[]): Record<string, ContextValue> {
  const parsed: { name?: string; values: string[]; type?: string }[] = [];
  for (const entry of entries) {
    if (/^\s*\[/.test(entry)) {
      let list: unknown;
      try {
        list = JSON.parse(entry);
      } catch {
        throw new UsageError('--context-entries: invalid JSON');
      }
      if (!Array.isArray(list)) throw new UsageError('--context-entries: expected a JSON array');
      for (const item of list as unknown[]) {
        const o = (typeof item === 'object' && item !== null ? item : {}) as Record<
          string,
          unknown
        >;
        const values = Array.isArray(o.ContextKeyValues)
          ? (o.ContextKeyValues as unknown[]).map(String)
          : [];
        parsed.push({
          name: typeof o.ContextKeyName === 'string' ? o.ContextKeyName : undefined,
          values,
          type: typeof o.ContextKeyType === 'string' ? o.ContextKeyType : undefined,
        });
      }
    } else parsed.push(parseShorthandEntry(entry));
  }
  const context: Record<string, ContextValue> = {};
  for (const e of parsed) {
    if (e.name === undefined || e.name === '')
      throw new UsageError('--context-entries: ContextKeyName is required');
    const type = e.type ?? 'string';
    if (!CONTEXT_TYPES.has(type))
      throw new UsageError(`--context-entries: unknown ContextKeyType '${type}' for ${e.name}`);
    for (const v of e.values) checkValue(type, v, e.name);
    if (type.endsWith('List')) context[e.name] = e.values;
    else {
      if (e.values.length !== 1) {
        throw new UsageError(
          `--context-entries: ${e.name} is of type ${type} and takes exactly one value (use ${type}List for several)`,
        );
      }
      context[e.name] = e.values[0] as string;
    }
  }
  return context;
}

/** The simulated caller from `--caller-arn`; `undefined` when it is not a principal's ARN. */
function callerPrincipal(arn: string): Principal | undefined {
  const p = principalFromArn(arn);
  if (p === undefined) {
    const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/.exec(arn);
    if (role === null) return undefined;
    return { arn, accountId: role[1] as string, type: 'AssumedRole', roleArn: arn };
  }
  const principal: Principal = { arn: p.arn, accountId: p.accountId, type: p.type };
  if (p.roleArn !== undefined) principal.roleArn = p.roleArn;
  return principal;
}

/** `--resource-owner`: the account id, from itself or from the account's root ARN. */
function ownerAccount(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  return /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(value)?.[1];
}

/** `policy simulate`'s flags, as commander parses them. */
interface SimulateFlags {
  policyInputList?: string[];
  permissionsBoundaryPolicyInputList?: string[];
  resourcePolicy?: string;
  actionNames?: string[];
  resourceArns?: string[];
  /** `--caller-arn`, as the principal it names. */
  callerArn?: Principal;
  /** `--resource-owner`, as an account id. */
  resourceOwner?: string;
  contextEntries?: string[];
  apiArnPrefix?: string;
  explain?: boolean;
}

/**
 * `gateway-auth policy simulate`: evaluates identity policies, an optional resource policy and
 * optional permissions boundaries for every action × resource, printing JSON shaped like
 * `aws iam simulate-custom-policy`'s `EvaluationResults`.
 * @returns 0 when every result is `allowed`, 1 when one is denied
 * @throws UsageError (exit 2) or InvalidPolicy (exit 1)
 * @see https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-custom-policy.html
 */
async function simulate(flags: SimulateFlags, cli: CliContext): Promise<number> {
  const { io, input } = cli;
  const actions = flags.actionNames;
  if (actions === undefined) throw new UsageError('--action-names is required');
  const identityInputs = await input.readAll(flags.policyInputList, '--policy-input-list');
  const resourceInput =
    flags.resourcePolicy === undefined
      ? undefined
      : await input.read(flags.resourcePolicy, '--resource-policy');
  if (identityInputs.length === 0 && resourceInput === undefined) {
    throw new UsageError('--policy-input-list (or --resource-policy) is required');
  }
  const boundaryInputs = await input.readAll(
    flags.permissionsBoundaryPolicyInputList,
    '--permissions-boundary-policy-input-list',
  );
  const contextInputs = await input.readAll(flags.contextEntries, '--context-entries');
  const apiArnPrefix = flags.apiArnPrefix;
  const identity = identityInputs.map((text, i) =>
    loadPolicy(
      policyText(text, '--policy-input-list'),
      `PolicyInputList.${i + 1}`,
      'identity',
      undefined,
    ),
  );
  const boundary = boundaryInputs.map((text, i) =>
    loadPolicy(
      policyText(text, '--permissions-boundary-policy-input-list'),
      `PermissionsBoundaryPolicyInputList.${i + 1}`,
      'boundary',
      undefined,
    ),
  );
  const resource =
    resourceInput === undefined
      ? undefined
      : loadPolicy(
          policyText(resourceInput, '--resource-policy'),
          'ResourcePolicy',
          'resource',
          apiArnPrefix,
        );
  const principal = flags.callerArn;
  const owner = flags.resourceOwner;
  const context = parseContextEntries(contextInputs);
  const explain = flags.explain === true;

  const set: PolicySet = { identityPolicies: identity.map((p) => p.compiled) };
  if (resource !== undefined) set.resourcePolicy = resource.compiled;
  if (boundary.length > 0) set.permissionsBoundary = boundary.map((p) => p.compiled);
  if (owner !== undefined) set.resourceAccountId = owner;

  const loaded = new Map<string, LoadedPolicy>();
  for (const p of [...identity, ...boundary, ...(resource === undefined ? [] : [resource])]) {
    loaded.set(p.compiled.policyId, p);
  }
  const matched = (ref: StatementRef) => {
    const p = loaded.get(ref.policyId);
    const span = p?.spans[ref.index];
    return {
      SourcePolicyId: ref.policyId,
      SourcePolicyType: p?.sourceType ?? 'none',
      ...(span === undefined ? {} : { StartPosition: span.start, EndPosition: span.end }),
    };
  };

  const results: Record<string, unknown>[] = [];
  let allAllowed = true;
  for (const action of actions) {
    for (const resourceArn of flags.resourceArns ?? ['*']) {
      const request = {
        action,
        resource: resourceArn,
        context,
        ...(principal === undefined ? {} : { principal }),
      };
      // Always the exhaustive path: it reports every missing context key (speed is no concern here).
      const r: EvaluationResult = evaluatePolicies(set, request, { explain: true });
      if (r.decision !== 'allowed') allAllowed = false;
      const out: Record<string, unknown> = {
        EvalActionName: action,
        EvalResourceName: resourceArn,
        EvalDecision: r.decision,
        MatchedStatements: r.matchedStatements.map(matched),
        MissingContextValues: r.missingContextKeys,
        EvalDecisionDetails: {
          IdentityPolicies: r.identityDecision,
          ...(r.resourceDecision === undefined ? {} : { ResourcePolicy: r.resourceDecision }),
        },
      };
      if (r.boundaryDecision !== undefined) {
        out.PermissionsBoundaryDecisionDetail = {
          AllowedByPermissionsBoundary: r.boundaryDecision === 'allowed',
        };
      }
      if (explain) {
        out.Summary = r.summary;
        out.Explanations = r.explanations.map((e) => ({
          SourcePolicyId: e.policyId,
          StatementIndex: e.index,
          ...(e.sid === undefined ? {} : { Sid: e.sid }),
          Effect: e.effect,
          Matched: e.matched,
          ...(e.failedElement === undefined ? {} : { FailedElement: e.failedElement }),
          ...(e.detail === undefined ? {} : { Detail: e.detail }),
        }));
      }
      results.push(out);
    }
  }
  io.out(JSON.stringify({ EvaluationResults: results }, null, 2));
  return allAllowed ? 0 : 1;
}

function hasPrincipal(document: unknown): boolean {
  if (typeof document !== 'object' || document === null) return false;
  const statements = (document as Record<string, unknown>).Statement;
  const list = Array.isArray(statements) ? (statements as unknown[]) : [statements];
  return list.some(
    (s) => typeof s === 'object' && s !== null && ('Principal' in s || 'NotPrincipal' in s),
  );
}

/** `policy validate`'s flags, as commander parses them. */
interface ValidateFlags {
  kind?: PolicyKind;
  apiArnPrefix?: string;
  json?: boolean;
}

/**
 * `gateway-auth policy validate FILE`: prints every problem of a policy document with its JSON path.
 * @returns 0 when valid, 1 when invalid
 * @throws UsageError (exit 2) without a FILE or when it cannot be read
 */
async function validate(
  file: string | undefined,
  flags: ValidateFlags,
  cli: CliContext,
): Promise<number> {
  const { io, input } = cli;
  if (file === undefined) throw new UsageError('expected exactly one FILE');
  // FILE is a path (the aws CLI's file:// and - work too).
  const text = await input.read(
    file === '-' || file.startsWith('file://') ? file : `file://${file}`,
    'FILE',
  );
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // validatePolicy reports the JSON syntax error with its path.
  }
  const { kind, apiArnPrefix } = flags;
  const effectiveKind = kind ?? (hasPrincipal(parsed) ? 'resource' : 'identity');
  const issues = validatePolicy(
    parsed,
    apiArnPrefix === undefined ? { kind: effectiveKind } : { kind: effectiveKind, apiArnPrefix },
  );
  if (flags.json)
    io.out(JSON.stringify({ valid: issues.length === 0, kind: effectiveKind, issues }, null, 2));
  else if (issues.length === 0) io.out(`${file}: valid ${effectiveKind} policy`);
  else for (const issue of issues) io.out(`${file}: ${issue.path}: ${issue.message}`);
  return issues.length === 0 ? 0 : 1;
}

const POLICY = 'a policy document: JSON text, file://PATH, or - (standard input)';

/** `gateway-auth policy simulate|validate`: test IAM policies with the engine the guards use. */
export function policyCommand(cli: CliContext): Command {
  const policy = cli
    .command('policy')
    .description('test IAM policies offline (simulate, validate)');
  const simulateCommand = cli.command('simulate', policy);
  simulateCommand
    .description(
      "evaluate IAM policies like 'aws iam simulate-custom-policy' and print its EvaluationResults JSON",
    )
    .option(
      '--policy-input-list <policy...>',
      `identity-based policies (the caller's); each ${POLICY}`,
    )
    .option(
      '--permissions-boundary-policy-input-list <policy...>',
      `permissions boundary policies; each ${POLICY}`,
    )
    .option(
      '--resource-policy <policy>',
      `the resource-based policy (an API Gateway resource policy), ${POLICY}`,
    )
    .option('--action-names <action...>', 'actions to simulate, e.g. execute-api:Invoke (required)')
    .option('--resource-arns <arn...>', 'resources (default "*"), e.g. an execute-api method ARN')
    .option(
      '--caller-arn <arn>',
      'the caller: IAM user, role, assumed-role session, federated user or root ARN (none: an anonymous caller)',
      converted(
        callerPrincipal,
        'not an IAM user, role, assumed-role session, federated-user or root ARN',
      ),
    )
    .option(
      '--resource-owner <account>',
      "the resource owner's account (12 digits or arn:aws:iam::ACCOUNT:root); another caller account needs both identity and resource-policy allows",
      converted(ownerAccount, 'expected a 12-digit account id or arn:aws:iam::ACCOUNT:root'),
    )
    .option(
      '--context-entries <entry...>',
      'ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.7,ContextKeyType=ip (types: string, numeric, boolean, date, ip, binary and their ...List forms), or a JSON array of {ContextKeyName, ContextKeyValues, ContextKeyType}: JSON text, file://PATH or -',
    )
    .option(
      '--api-arn-prefix <arn>',
      'expand execute-api:/... resources of the resource policy (arn:aws:execute-api:REGION:ACCOUNT:API_ID)',
    )
    .option(
      '--explain',
      'add "Summary" (what decided, or what is missing) and each statement\'s verdict',
    )
    .addHelpText(
      'after',
      '\nexit codes: 0 every result allowed, 1 a result denied or a policy invalid, 2 usage error',
    )
    .action((flags: SimulateFlags) => cli.run(simulateCommand, () => simulate(flags, cli)));
  const validateCommand = cli.command('validate', policy);
  validateCommand
    .description(
      'validate an IAM policy document and print every problem with its JSON path (without --kind, a document with Principal is a resource-based policy)',
    )
    .argument('[file]', 'the policy: a path, file://PATH, or - (standard input)')
    .addOption(
      new Option('--kind <kind>', 'identity (default), resource or boundary').choices([
        'identity',
        'resource',
        'boundary',
      ]),
    )
    .option('--api-arn-prefix <arn>', "accept API Gateway's abbreviated execute-api:/... resources")
    .option('--json', 'print {"valid", "kind", "issues": [{"path", "message"}]}')
    .addHelpText('after', '\nexit codes: 0 valid, 1 invalid, 2 usage error or unreadable file')
    .action((file: string | undefined, flags: ValidateFlags) =>
      cli.run(validateCommand, () => validate(file, flags, cli)),
    );
  return policy;
}

/** `gateway-auth policy simulate ARGS` (tests and scripts). */
export function runPolicySimulate(args: readonly string[], io: CliIo): Promise<number> {
  return runCli(['policy', 'simulate', ...args], io);
}

/** `gateway-auth policy validate ARGS` (tests and scripts). */
export function runPolicyValidate(args: readonly string[], io: CliIo): Promise<number> {
  return runCli(['policy', 'validate', ...args], io);
}
