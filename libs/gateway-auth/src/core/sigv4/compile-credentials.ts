import { ConfigError, type ConfigIssue } from '../errors';
import { compilePolicy, type CompiledPolicy } from '../iam';
import type { SigV4Credential } from './credential-provider';
import { principalFromArn } from './principal-from-arn';

const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

/**
 * Validates credential definitions (the credential-file contract) and compiles their policies once.
 * Collects every problem with its JSON path before failing; messages never include secrets.
 * @param input `{ "credentials": [ ... ] }` or the array itself.
 * @param source where the input came from (file name), for messages and policy ids.
 * @throws ConfigError listing every issue with its path (e.g. `$.credentials[0].principal.arn`).
 */
export function compileCredentials(input: unknown, source: string): Map<string, SigV4Credential> {
  const issues: ConfigIssue[] = [];
  const list = Array.isArray(input) ? (input as unknown[]) : credentialsArray(input, issues);
  const base = Array.isArray(input) ? '$' : '$.credentials';
  const out = new Map<string, SigV4Credential>();
  list.forEach((entry, index) => {
    const path = `${base}[${index}]`;
    const credential = compileOne(entry, path, source, issues);
    if (!credential) return;
    if (out.has(credential.accessKeyId)) {
      issues.push({ path: `${path}.accessKeyId`, message: 'duplicate access key id' });
      return;
    }
    out.set(credential.accessKeyId, credential);
  });
  if (issues.length > 0) throw new ConfigError(`IAM credentials (${source})`, issues);
  return out;
}

function credentialsArray(input: unknown, issues: ConfigIssue[]): unknown[] {
  if (isRecord(input) && Array.isArray(input.credentials)) return input.credentials as unknown[];
  issues.push({ path: '$.credentials', message: 'required: an array of credentials' });
  return [];
}

function compileOne(
  entry: unknown,
  path: string,
  source: string,
  issues: ConfigIssue[],
): SigV4Credential | undefined {
  if (!isRecord(entry)) {
    issues.push({ path, message: 'must be an object' });
    return undefined;
  }
  const before = issues.length;
  const { accessKeyId, secretAccessKey, sessionToken, expiration, principal } = entry;
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) {
    issues.push({
      path: `${path}.accessKeyId`,
      message: 'must be 16-128 upper-case letters or digits (e.g. AKIA...)',
    });
  }
  if (typeof secretAccessKey !== 'string' || secretAccessKey.length < 16) {
    issues.push({ path: `${path}.secretAccessKey`, message: 'must be a string of 16+ characters' });
  }
  if (sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken === '')) {
    issues.push({ path: `${path}.sessionToken`, message: 'must be a non-empty string when set' });
  }
  const expiresAtMs = parseExpiration(expiration, `${path}.expiration`, issues);
  const issuedAtMs = parseExpiration(entry.issuedAt, `${path}.issuedAt`, issues);
  let arnInfo: ReturnType<typeof principalFromArn>;
  let tags: Record<string, string> = {};
  let userId: string | undefined;
  let orgId: string | undefined;
  if (!isRecord(principal)) {
    issues.push({ path: `${path}.principal`, message: 'required: { "arn": ... }' });
  } else {
    arnInfo = typeof principal.arn === 'string' ? principalFromArn(principal.arn) : undefined;
    if (!arnInfo) {
      issues.push({
        path: `${path}.principal.arn`,
        message:
          'must be an IAM user, assumed-role session, federated user or root ARN, e.g. arn:aws:iam::111122223333:user/alice',
      });
    }
    if (principal.tags !== undefined) {
      if (
        !isRecord(principal.tags) ||
        !Object.values(principal.tags).every((v) => typeof v === 'string')
      ) {
        issues.push({ path: `${path}.principal.tags`, message: 'must map tag keys to strings' });
      } else {
        tags = principal.tags as Record<string, string>;
      }
    }
    if (principal.userId !== undefined) {
      if (typeof principal.userId !== 'string' || principal.userId === '') {
        issues.push({ path: `${path}.principal.userId`, message: 'must be a non-empty string' });
      } else userId = principal.userId;
    }
    if (principal.orgId !== undefined) {
      if (typeof principal.orgId !== 'string') {
        issues.push({ path: `${path}.principal.orgId`, message: 'must be a string' });
      } else orgId = principal.orgId;
    }
  }
  const identityPolicies = compileList(entry.policies, `${path}.policies`, source, issues);
  let permissionsBoundary: CompiledPolicy[] | undefined;
  if (entry.permissionsBoundary !== undefined) {
    permissionsBoundary = compileList(
      [entry.permissionsBoundary],
      `${path}.permissionsBoundary`,
      source,
      issues,
      'boundary',
    );
  }
  if (issues.length > before || !arnInfo) return undefined;
  return {
    accessKeyId: accessKeyId as string,
    secretAccessKey: secretAccessKey as string,
    sessionToken: sessionToken as string | undefined,
    expiresAtMs,
    issuedAtMs,
    principal: {
      arn: arnInfo.arn,
      accountId: arnInfo.accountId,
      type: arnInfo.type,
      roleArn: arnInfo.roleArn,
      userName: arnInfo.userName,
      userId: userId ?? arnInfo.defaultUserId,
      tags,
      orgId,
    },
    identityPolicies,
    permissionsBoundary,
  };
}

function compileList(
  value: unknown,
  path: string,
  source: string,
  issues: ConfigIssue[],
  kind: 'identity' | 'boundary' = 'identity',
): CompiledPolicy[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path, message: 'must be an array of IAM policy documents' });
    return [];
  }
  const compiled: CompiledPolicy[] = [];
  value.forEach((document: unknown, i) => {
    const at = kind === 'boundary' ? path : `${path}[${i}]`;
    try {
      compiled.push(compilePolicy(document, `${source}#${at}`, { kind }));
    } catch (error) {
      if (error instanceof ConfigError) {
        for (const issue of error.issues) {
          issues.push({ path: `${at}${issue.path.replace(/^\$/, '')}`, message: issue.message });
        }
      } else {
        issues.push({ path: at, message: (error as Error).message });
      }
    }
  });
  return compiled;
}

function parseExpiration(value: unknown, path: string, issues: ConfigIssue[]): number | undefined {
  if (value === undefined) return undefined;
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) {
    issues.push({ path, message: 'must be an ISO 8601 time or epoch milliseconds' });
    return undefined;
  }
  return ms;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
