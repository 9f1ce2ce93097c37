/**
 * A function's response → a validated result: API Gateway's rules for each payload format (policy
 * or simple response, `context` values), the policy compiled once per distinct document.
 */
import { BoundedMemo } from '../bounded-memo';
import { ConfigError } from '../errors';
import { compilePolicy, type CompiledPolicy } from '../iam';

/** Which response rules apply: REST, HTTP API 1.0, or HTTP API 2.0 (with or without simple responses). */
export type ResponseFormat = 'rest' | '1.0' | '2.0' | '2.0-simple';

/** A validated authorizer response, with its policy compiled once (LC-02). */
export type AuthorizerResult =
  | {
      kind: 'policy';
      principalId: string;
      policy: CompiledPolicy;
      /** The `context` map as returned (values stringified later for REST, LO-02). */
      context: Readonly<Record<string, unknown>>;
      usageIdentifierKey?: string;
    }
  | { kind: 'simple'; isAuthorized: boolean; context: Readonly<Record<string, unknown>> };

/** The response broke API Gateway's rules: a configuration error (500, LO-05), never cached. */
export class MalformedAuthorizerResponseError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`malformed authorizer response: ${reason}`, options);
    this.name = 'MalformedAuthorizerResponseError';
  }
}

/** The largest `Resource` ARN an authorizer policy may hold (PIPE-08). */
const MAX_RESOURCE_ARN_LENGTH = 512;

/**
 * Validates a function's response and compiles its policy, returning the result and its canonical
 * JSON (what caches store). Rules: `principalId` string and `policyDocument` valid IAM policy
 * (LO-01); REST and 1.0 `context` values string/number/boolean only (LO-02), 1.0 without the
 * reserved key `claims`; 2.0 `context` any JSON (HL-03); simple responses need a boolean
 * `isAuthorized`.
 * @throws MalformedAuthorizerResponseError naming the broken rule (never the values).
 */
export function parseAuthorizerResponse(
  response: unknown,
  format: ResponseFormat,
  policyId: string,
  compiled?: CompiledPolicyMemo,
): { result: AuthorizerResult; payload: string } {
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    throw new MalformedAuthorizerResponseError('the response is not a JSON object');
  }
  const r = response as Record<string, unknown>;
  const context = parseContext(r.context, format);
  if (format === '2.0-simple') {
    if (typeof r.isAuthorized !== 'boolean') {
      throw new MalformedAuthorizerResponseError('isAuthorized must be a boolean');
    }
    const normalized = { isAuthorized: r.isAuthorized, context };
    return {
      result: { kind: 'simple', isAuthorized: r.isAuthorized, context },
      payload: JSON.stringify(normalized),
    };
  }
  if (typeof r.principalId !== 'string') {
    throw new MalformedAuthorizerResponseError('principalId must be a string');
  }
  if (typeof r.policyDocument !== 'object' || r.policyDocument === null) {
    throw new MalformedAuthorizerResponseError('policyDocument must be an object');
  }
  if (r.usageIdentifierKey !== undefined && typeof r.usageIdentifierKey !== 'string') {
    throw new MalformedAuthorizerResponseError('usageIdentifierKey must be a string');
  }
  checkResourceLengths(r.policyDocument);
  const policyJson = JSON.stringify(r.policyDocument);
  let policy: CompiledPolicy;
  try {
    policy =
      compiled?.get(policyJson) ?? compilePolicy(r.policyDocument, policyId, { kind: 'identity' });
  } catch (error) {
    const detail =
      error instanceof ConfigError ? error.issues.map((i) => i.path).join(', ') : 'invalid';
    throw new MalformedAuthorizerResponseError(`policyDocument is not a valid policy (${detail})`, {
      cause: error,
    });
  }
  compiled?.set(policyJson, policy);
  const usageIdentifierKey = r.usageIdentifierKey;
  const head = JSON.stringify({
    principalId: r.principalId,
    context,
    ...(usageIdentifierKey === undefined ? {} : { usageIdentifierKey }),
  });
  return {
    result: {
      kind: 'policy',
      principalId: r.principalId,
      policy,
      context,
      ...(usageIdentifierKey === undefined ? {} : { usageIdentifierKey }),
    },
    payload: `${head.slice(0, -1)},"policyDocument":${policyJson}}`,
  };
}

/**
 * Compiled policies by their JSON, so an authorizer returning the same policy for many callers
 * compiles it once (and their cached answers share it). Bounded in policies and in their JSON's
 * characters (compiled, a policy is 3-18 times its JSON): cleared when full. Measured without it
 * (docs/benchmarks.md, "Memo layers of the authorizer"): a TTL-0 miss took 8.8 µs instead of 7.3
 * (+21 %), and a cached Deny naming each caller 3,677 bytes per entry instead of 1,205.
 */
export class CompiledPolicyMemo extends BoundedMemo<string, CompiledPolicy> {
  constructor(maxEntries = 1000, maxChars = 1024 * 1024) {
    super(maxEntries, { maxWeight: maxChars, weigh: (json) => json.length });
  }
}

function parseContext(value: unknown, format: ResponseFormat): Readonly<Record<string, unknown>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedAuthorizerResponseError('context must be an object');
  }
  const context = value as Record<string, unknown>;
  if (format === '2.0' || format === '2.0-simple') return context;
  for (const [key, item] of Object.entries(context)) {
    if (format === '1.0' && key === 'claims') {
      throw new MalformedAuthorizerResponseError('context.claims is reserved (HL-03)');
    }
    const type = typeof item;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') {
      throw new MalformedAuthorizerResponseError(
        `context.${key} must be a string, number or boolean (LO-02)`,
      );
    }
  }
  return context;
}

function checkResourceLengths(policyDocument: object): void {
  const statements = (policyDocument as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? (statements as unknown[]) : [statements];
  for (const statement of list) {
    if (typeof statement !== 'object' || statement === null) continue;
    const resource = (statement as { Resource?: unknown }).Resource;
    const resources = Array.isArray(resource) ? (resource as unknown[]) : [resource];
    for (const arn of resources) {
      if (typeof arn === 'string' && arn.length > MAX_RESOURCE_ARN_LENGTH) {
        throw new MalformedAuthorizerResponseError(
          `a Resource ARN is longer than ${MAX_RESOURCE_ARN_LENGTH} characters (PIPE-08)`,
        );
      }
    }
  }
}

/** `$context.authorizer` values as REST integrations see them: strings (LO-02). */
export function stringifyContext(
  context: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) out[key] = String(value);
  return out;
}
