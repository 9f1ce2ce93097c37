import { readFileSync } from 'node:fs';
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
import { parseCidr, parseIpAddress } from '../core/iam/conditions/ip-address';
import { parseDate, parseNumeric } from '../core/iam/conditions/parse-values';
import { type StatementSpan, statementSpans } from '../core/iam/statement-positions';
import { principalFromArn } from '../core/sigv4/principal-from-arn';
import type { CliIo } from './main';

const SIMULATE_USAGE = `usage: gateway-auth policy simulate --policy-input-list POLICY [POLICY...]
                                --action-names ACTION [ACTION...] [options]

Evaluates policies like 'aws iam simulate-custom-policy' and prints its EvaluationResults JSON.
POLICY is JSON text or file://PATH.

options:
  --policy-input-list POLICY...          identity-based policies (the caller's)
  --permissions-boundary-policy-input-list POLICY...
                                         permissions boundary policies
  --resource-policy POLICY               the resource-based policy (an API Gateway resource policy)
  --action-names ACTION...               actions to simulate, e.g. execute-api:Invoke (required)
  --resource-arns ARN...                 resources (default "*"), e.g. an execute-api method ARN
  --caller-arn ARN                       the caller: IAM user, assumed-role session, federated user or
                                         root ARN (none: an anonymous / non-IAM caller)
  --resource-owner ACCOUNT|ARN           the resource owner's account (12 digits or
                                         arn:aws:iam::ACCOUNT:root); another caller account needs
                                         both identity and resource-policy allows
  --context-entries ENTRY...             ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.7,ContextKeyType=ip
                                         (types: string, stringList, numeric, numericList, boolean,
                                         booleanList, date, dateList, ip, ipList, binary, binaryList),
                                         or a JSON array of {ContextKeyName, ContextKeyValues, ContextKeyType}
  --api-arn-prefix ARN                   expand execute-api:/... resources of the resource policy
                                         (arn:aws:execute-api:REGION:ACCOUNT:API_ID)
  --explain                              add "Summary" (what decided, or what is missing) and each
                                         statement's verdict as "Explanations"
  -h, --help                             this text

exit codes: 0 every result allowed, 1 a result denied or a policy invalid, 2 usage error`;

const VALIDATE_USAGE = `usage: gateway-auth policy validate FILE [--kind identity|resource|boundary] [--json]

Validates an IAM policy document (FILE is a path, file://PATH, or - for stdin) and prints every
problem with its JSON path. Without --kind, a document with Principal/NotPrincipal is validated as a
resource-based policy, otherwise as an identity-based one.

options:
  --kind KIND             identity (default), resource or boundary
  --api-arn-prefix ARN    accept API Gateway's abbreviated execute-api:/... resources
  --json                  print {"valid": ..., "issues": [{"path", "message"}]}
  -h, --help              this text

exit codes: 0 valid, 1 invalid, 2 usage error or unreadable file`;

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

/** A usage problem: printed with the usage text, exit code 2. */
class UsageError extends Error {}

/** `--flag v1 v2 --other v3` -> { flag: [v1, v2], other: [v3] }; `--flag=v` is accepted too. */
function parseFlags(
  args: readonly string[],
  known: ReadonlySet<string>,
  booleans: ReadonlySet<string>,
): { flags: Map<string, string[]>; positional: string[] } {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  let current: string[] | undefined;
  for (const arg of args) {
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (!known.has(name) && !booleans.has(name)) throw new UsageError(`unknown option --${name}`);
      if (flags.has(name)) throw new UsageError(`--${name} given twice`);
      const values: string[] = [];
      flags.set(name, values);
      if (eq >= 0) values.push(arg.slice(eq + 1));
      current = booleans.has(name) ? undefined : values;
    } else if (current !== undefined) current.push(arg);
    else positional.push(arg);
  }
  for (const [name, values] of flags) {
    if (!booleans.has(name) && values.length === 0) throw new UsageError(`--${name} needs a value`);
    if (booleans.has(name) && values.length > 0) throw new UsageError(`--${name} takes no value`);
  }
  return { flags, positional };
}

/** JSON text or `file://PATH` -> the text. */
function readPolicyText(spec: string, flag: string): string {
  if (spec.startsWith('file://')) {
    const path = spec.slice('file://'.length);
    try {
      // The user names the file on the command line; reading it is the point.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`--${flag}: cannot read ${path}: ${(error as Error).message}`);
    }
  }
  if (!/^\s*[[{]/.test(spec))
    throw new UsageError(
      `--${flag}: expected JSON text or file://PATH, got '${spec.slice(0, 40)}'`,
    );
  return spec;
}

interface LoadedPolicy {
  compiled: CompiledPolicy;
  spans: StatementSpan[];
  sourceType: 'none' | 'resource';
}

class InvalidPolicy extends Error {
  constructor(readonly error: ConfigError) {
    super(error.message);
  }
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
    (base === 'ip' && (parseIpAddress(value) !== undefined || parseCidr(value) !== undefined));
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

/** The simulated caller from `--caller-arn`. */
function callerPrincipal(arn: string): Principal {
  const p = principalFromArn(arn);
  if (p === undefined) {
    const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/.exec(arn);
    if (role !== null)
      return { arn, accountId: role[1] as string, type: 'AssumedRole', roleArn: arn };
    throw new UsageError(
      `--caller-arn: '${arn}' is not an IAM user, role, assumed-role session, federated-user or root ARN`,
    );
  }
  const principal: Principal = { arn: p.arn, accountId: p.accountId, type: p.type };
  if (p.roleArn !== undefined) principal.roleArn = p.roleArn;
  return principal;
}

function ownerAccount(value: string): string {
  if (/^\d{12}$/.test(value)) return value;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(value);
  if (m === null)
    throw new UsageError(
      `--resource-owner: expected a 12-digit account id or arn:aws:iam::ACCOUNT:root, got '${value}'`,
    );
  return m[1] as string;
}

const single = (flags: Map<string, string[]>, name: string): string | undefined => {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (v.length !== 1) throw new UsageError(`--${name} takes one value`);
  return v[0];
};

const SIMULATE_FLAGS = new Set([
  'policy-input-list',
  'permissions-boundary-policy-input-list',
  'resource-policy',
  'action-names',
  'resource-arns',
  'caller-arn',
  'resource-owner',
  'context-entries',
  'api-arn-prefix',
]);

/**
 * `gateway-auth policy simulate`: evaluates identity policies, an optional resource policy and
 * optional permissions boundaries for every action × resource, printing JSON shaped like
 * `aws iam simulate-custom-policy`'s `EvaluationResults`.
 * @returns 0 when every result is `allowed`, 1 when one is denied or a policy is invalid, 2 on a usage error
 * @see https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-custom-policy.html
 */
export function runPolicySimulate(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(SIMULATE_USAGE);
    return Promise.resolve(0);
  }
  try {
    return Promise.resolve(simulate(args, io));
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gateway-auth policy simulate: ${error.message}\n\n${SIMULATE_USAGE}`);
      return Promise.resolve(2);
    }
    if (error instanceof InvalidPolicy) {
      io.err(`gateway-auth policy simulate: ${error.message}`);
      return Promise.resolve(1);
    }
    throw error;
  }
}

function simulate(args: readonly string[], io: CliIo): number {
  const { flags, positional } = parseFlags(args, SIMULATE_FLAGS, new Set(['explain']));
  if (positional.length > 0) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const actions = flags.get('action-names');
  if (actions === undefined) throw new UsageError('--action-names is required');
  const identityInputs = flags.get('policy-input-list') ?? [];
  const resourceInput = single(flags, 'resource-policy');
  if (identityInputs.length === 0 && resourceInput === undefined) {
    throw new UsageError('--policy-input-list (or --resource-policy) is required');
  }
  const apiArnPrefix = single(flags, 'api-arn-prefix');
  const identity = identityInputs.map((spec, i) =>
    loadPolicy(
      readPolicyText(spec, 'policy-input-list'),
      `PolicyInputList.${i + 1}`,
      'identity',
      undefined,
    ),
  );
  const boundary = (flags.get('permissions-boundary-policy-input-list') ?? []).map((spec, i) =>
    loadPolicy(
      readPolicyText(spec, 'permissions-boundary-policy-input-list'),
      `PermissionsBoundaryPolicyInputList.${i + 1}`,
      'boundary',
      undefined,
    ),
  );
  const resource =
    resourceInput === undefined
      ? undefined
      : loadPolicy(
          readPolicyText(resourceInput, 'resource-policy'),
          'ResourcePolicy',
          'resource',
          apiArnPrefix,
        );
  const callerArn = single(flags, 'caller-arn');
  const principal = callerArn === undefined ? undefined : callerPrincipal(callerArn);
  const owner = single(flags, 'resource-owner');
  const context = parseContextEntries(flags.get('context-entries') ?? []);
  const explain = flags.has('explain');

  const set: PolicySet = { identityPolicies: identity.map((p) => p.compiled) };
  if (resource !== undefined) set.resourcePolicy = resource.compiled;
  if (boundary.length > 0) set.permissionsBoundary = boundary.map((p) => p.compiled);
  if (owner !== undefined) set.resourceAccountId = ownerAccount(owner);

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
    for (const resourceArn of flags.get('resource-arns') ?? ['*']) {
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

/**
 * `gateway-auth policy validate FILE`: prints every problem of a policy document with its JSON path.
 * @returns 0 when valid, 1 when invalid, 2 on a usage error or an unreadable file
 */
export async function runPolicyValidate(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(VALIDATE_USAGE);
    return 0;
  }
  let file: string;
  let text: string;
  let kind: PolicyKind | undefined;
  let apiArnPrefix: string | undefined;
  let json: boolean;
  try {
    const { flags, positional } = parseFlags(
      args,
      new Set(['kind', 'api-arn-prefix']),
      new Set(['json']),
    );
    if (positional.length !== 1) throw new UsageError('expected exactly one FILE');
    file = positional[0] as string;
    const k = single(flags, 'kind');
    if (k !== undefined && k !== 'identity' && k !== 'resource' && k !== 'boundary') {
      throw new UsageError(`--kind must be identity, resource or boundary, got '${k}'`);
    }
    kind = k;
    apiArnPrefix = single(flags, 'api-arn-prefix');
    json = flags.has('json');
    if (file === '-') {
      if (io.readStdin === undefined) throw new UsageError('cannot read stdin here');
      text = await io.readStdin();
    } else {
      const path = file.startsWith('file://') ? file.slice('file://'.length) : file;
      try {
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- the FILE argument
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gateway-auth policy validate: ${error.message}\n\n${VALIDATE_USAGE}`);
      return 2;
    }
    throw error;
  }
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // validatePolicy reports the JSON syntax error with its path.
  }
  const effectiveKind = kind ?? (hasPrincipal(parsed) ? 'resource' : 'identity');
  const issues = validatePolicy(
    parsed,
    apiArnPrefix === undefined ? { kind: effectiveKind } : { kind: effectiveKind, apiArnPrefix },
  );
  if (json)
    io.out(JSON.stringify({ valid: issues.length === 0, kind: effectiveKind, issues }, null, 2));
  else if (issues.length === 0) io.out(`${file}: valid ${effectiveKind} policy`);
  else for (const issue of issues) io.out(`${file}: ${issue.path}: ${issue.message}`);
  return issues.length === 0 ? 0 : 1;
}
