import type { IAMClient } from '@aws-sdk/client-iam';
import type * as StsModule from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { SharedServices } from '../../authenticator';
import type { DecisionCache } from '../../cache/decision-cache';
import { TieredCache } from '../../cache/tiered-cache';
import { AuthError, ConfigError, type ConfigIssue } from '../../errors';
import { compilePolicy, type CompiledPolicy } from '../../iam';
import { loadOptionalDependency } from '../../optional-dependency';
import type { ArnPrincipal } from '../../sigv4/principal-from-arn';
import { loadIamSdk, readRolePolicies, readUserPolicies } from './iam-policy-reader';
import type { PolicyText, PrincipalPolicies } from './policy-texts';

/**
 * How callers' identity policies are read from IAM (the `iam.identityPolicies` options), for
 * callers who proved who they are through STS or VPC Lattice.
 */
export interface IdentityPolicyOptions {
  /**
   * Per account id, a role in that account the service may assume to read its IAM policies
   * (`AssumeRole` with the service's own credentials). The API's own account is read with the
   * service's credentials unless a role is given for it.
   * @example { '444455556666': 'arn:aws:iam::444455556666:role/gateway-auth-policy-reader' }
   */
  readerRoles?: Readonly<Record<string, string>>;
  /**
   * What stands for the identity policies of a caller whose policies cannot be read (another
   * account without a reader role; a federated user or an account root): `deny` (default: no
   * identity policy, so a cross-account caller is refused) or `resource-policy-only` (an identity
   * policy allowing `execute-api:Invoke`, so the resource policy alone decides; a deviation from
   * API Gateway, see docs/iam-auth.md).
   */
  unreadableIdentityPolicies?: 'deny' | 'resource-policy-only';
  /** How long policies read from IAM are used before being read again, seconds. Default 300. */
  ttlSeconds?: number;
  /** How long past `ttlSeconds` the last policies are still used while IAM cannot be read, seconds. Default 3600. */
  staleIfErrorSeconds?: number;
  /** Principals whose policies are kept in process. Default 10,000. */
  cacheSize?: number;
}

/** A caller's identity policies, compiled, and what IAM says of the role or user. */
export interface ResolvedPolicies {
  /** The role's or user's ARN with its path; `undefined` when the policies were not read. */
  entityArn: string | undefined;
  /** `RoleId`/`UserId`; `undefined` when not read. */
  entityId: string | undefined;
  tags: Readonly<Record<string, string>>;
  identityPolicies: readonly CompiledPolicy[];
  permissionsBoundary: readonly CompiledPolicy[] | undefined;
  /** The IAM texts these were compiled from (what a shared store keeps); `undefined` when not read. */
  texts: PrincipalPolicies | undefined;
}

interface ResolvedOptions {
  readerRoles: ReadonlyMap<string, string>;
  unreadable: 'deny' | 'resource-policy-only';
  ttlMs: number;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const INVOKE_ANYTHING = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
};

type StsSdk = typeof StsModule;

/**
 * Deadlines of every IAM and STS call the resolver makes (ms): an unreachable or black-holed
 * endpoint must fail the request closed quickly, not hold it. The SDK waits forever by default,
 * and only logs an exceeded `requestTimeout` unless told to throw.
 */
const SDK_DEADLINES = {
  connectionTimeout: 1000,
  requestTimeout: 3000,
  throwOnRequestTimeout: true,
};

/**
 * Reads callers' identity policies (inline, attached, their groups', their permissions boundary)
 * and principal details (path, id, tags) from IAM with the AWS SDK for JavaScript v3, through a
 * reader role for other accounts; caches them per role or user (bounded, single flight, shared
 * through the decision store when one is configured, stale-if-IAM-is-down for a bounded time).
 */
export class IdentityPolicyResolver {
  private readonly resolved: ResolvedOptions;
  private readonly cache: TieredCache<ResolvedPolicies>;
  private readonly clients = new Map<string, Promise<IAMClient>>();
  private readonly unreadable: ResolvedPolicies;

  /** @throws ConfigError naming each invalid `iam.identityPolicies.*` option. */
  constructor(
    options: IdentityPolicyOptions | undefined,
    private readonly shared: SharedServices,
    store: DecisionCache | undefined,
  ) {
    this.resolved = resolveOptions(options ?? {});
    this.unreadable = {
      entityArn: undefined,
      entityId: undefined,
      tags: {},
      identityPolicies:
        this.resolved.unreadable === 'deny'
          ? []
          : [compilePolicy(INVOKE_ANYTHING, 'unreadableIdentityPolicies: resource-policy-only')],
      permissionsBoundary: undefined,
      texts: undefined,
    };
    this.cache = new TieredCache<ResolvedPolicies>({
      name: `gateway-auth/iam-policies`,
      maxEntries: options?.cacheSize ?? 10_000,
      shared: store,
      encode: (value) => JSON.stringify(value.texts),
      decode: (text) => this.decodeStored(text),
      refusalTtlMs: 5_000,
      staleIfErrorMs: (options?.staleIfErrorSeconds ?? 3600) * 1000,
      logger: shared.logger,
    });
  }

  /** The policies held in process for this caller, while fresh (the synchronous hot path). */
  peek(caller: ArnPrincipal): ResolvedPolicies | undefined {
    const key = this.keyOf(caller);
    if (key === undefined) return this.unreadable;
    return this.cache.peek(key, this.shared.clock.now());
  }

  /**
   * The caller's policies: in process, from the shared store, or read from IAM.
   * @throws AuthError: a refusal when the role or user no longer exists; an infrastructure error
   *   (500) when IAM cannot be read and no recent copy is held.
   */
  async resolve(caller: ArnPrincipal): Promise<ResolvedPolicies> {
    const key = this.keyOf(caller);
    if (key === undefined) return this.unreadable;
    const now = this.shared.clock.now();
    return this.cache.get(key, now, async () => ({
      value: await this.read(caller),
      expiresAt: now + this.resolved.ttlMs,
    }));
  }

  /** Forgets every cached policy (e.g. after changing a role's policies). */
  clear(): void {
    this.cache.clear();
  }

  /** Closes the SDK clients' connections. */
  async close(): Promise<void> {
    const clients = await Promise.allSettled([...this.clients.values()]);
    this.clients.clear();
    for (const client of clients) if (client.status === 'fulfilled') client.value.destroy();
    this.cache.clear();
  }

  /** `ACCOUNT:role:NAME` / `ACCOUNT:user:NAME`; `undefined` when the policies are unreadable. */
  private keyOf(caller: ArnPrincipal): string | undefined {
    if (!this.canRead(caller.accountId)) return undefined;
    if (caller.type === 'AssumedRole' && caller.roleName !== undefined) {
      return `${caller.accountId}:role:${caller.roleName}`;
    }
    if (caller.type === 'User' && caller.userName !== undefined) {
      return `${caller.accountId}:user:${caller.userName}`;
    }
    // Federated users (session policies only) and account roots.
    return undefined;
  }

  private canRead(accountId: string): boolean {
    return accountId === this.shared.api.accountId || this.resolved.readerRoles.has(accountId);
  }

  private async read(caller: ArnPrincipal): Promise<ResolvedPolicies> {
    const sdk = await loadIamSdk();
    const iam = await this.clientFor(caller.accountId);
    let raw: PrincipalPolicies;
    try {
      raw =
        caller.type === 'AssumedRole'
          ? await readRolePolicies(sdk, iam, caller.roleName as string)
          : await readUserPolicies(sdk, iam, caller.userName as string);
    } catch (error) {
      throw iamReadError(error, caller);
    }
    return this.compile(raw);
  }

  private compile(raw: PrincipalPolicies): ResolvedPolicies {
    try {
      return {
        entityArn: raw.arn,
        entityId: raw.id,
        tags: raw.tags,
        identityPolicies: raw.policies.map((p) => compileText(p, 'identity')),
        permissionsBoundary:
          raw.boundary === undefined ? undefined : [compileText(raw.boundary, 'boundary')],
        texts: raw,
      };
    } catch (error) {
      throw new AuthError('IAM_POLICY_UNSUPPORTED', {
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
        errorType: 'AuthorizerConfigurationException',
        message: null,
        category: 'infrastructure',
        reason: `a policy of ${raw.arn} read from IAM could not be compiled: ${(error as Error).message}`,
        cause: error,
      });
    }
  }

  private decodeStored(text: string): ResolvedPolicies | undefined {
    try {
      return this.compile(JSON.parse(text) as PrincipalPolicies);
    } catch {
      return undefined;
    }
  }

  /** An IAM client for `accountId`: the service's credentials, or its reader role's. */
  private clientFor(accountId: string): Promise<IAMClient> {
    let client = this.clients.get(accountId);
    if (client === undefined) {
      client = this.createClient(this.resolved.readerRoles.get(accountId));
      this.clients.set(accountId, client);
      // A failed creation (SDK missing) is not remembered.
      client.catch(() => this.clients.delete(accountId));
    }
    return client;
  }

  private async createClient(readerRole: string | undefined): Promise<IAMClient> {
    const sdk = await loadIamSdk();
    const region = this.shared.api.region;
    if (readerRole === undefined) {
      return new sdk.IAMClient({ region, maxAttempts: 2, requestHandler: SDK_DEADLINES });
    }
    const sts = loadOptionalDependency<StsSdk>(
      '@aws-sdk/client-sts',
      'iam.identityPolicies.readerRoles',
    );
    return new sdk.IAMClient({
      region,
      maxAttempts: 2,
      requestHandler: SDK_DEADLINES,
      credentials: assumedRoleCredentials(sts, region, readerRole, this.shared),
    });
  }
}

/**
 * Credentials of `roleArn`, assumed with the service's own credentials and renewed five minutes
 * before they expire (one `AssumeRole` at a time).
 */
function assumedRoleCredentials(
  sdk: StsSdk,
  region: string,
  roleArn: string,
  shared: SharedServices,
): AwsCredentialIdentityProvider {
  const sts = new sdk.STSClient({ region, maxAttempts: 2, requestHandler: SDK_DEADLINES });
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    const now = shared.clock.now();
    if (current?.expiration !== undefined && current.expiration.getTime() - 300_000 > now) {
      return Promise.resolve(current);
    }
    pending ??= sts
      .send(
        new sdk.AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'gateway-auth-policy-reader',
          DurationSeconds: 3600,
        }),
      )
      .then(({ Credentials: c }) => {
        if (!c?.AccessKeyId || !c.SecretAccessKey)
          throw new Error(`AssumeRole ${roleArn}: no credentials`);
        current = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
        return current;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

function compileText(policy: PolicyText, kind: 'identity' | 'boundary'): CompiledPolicy {
  return compilePolicy(JSON.parse(policy.document) as unknown, policy.id, { kind });
}

/** A deleted role or user is refused (SIG-25); anything else is IAM failing (500, logged). */
function iamReadError(error: unknown, caller: ArnPrincipal): AuthError {
  const name = (error as { name?: unknown } | undefined)?.name;
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'NoSuchEntityException' || name === 'NoSuchEntity') {
    return new AuthError('IAM_PRINCIPAL_NOT_FOUND', {
      responseType: 'ACCESS_DENIED',
      message: 'The security token included in the request is invalid.',
      reason: `IAM has no ${caller.type === 'User' ? 'user' : 'role'} behind ${caller.arn}: ${detail}`,
    });
  }
  return new AuthError('IAM_UNAVAILABLE', {
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    errorType: 'AuthorizerConfigurationException',
    message: null,
    category: 'infrastructure',
    reason: `reading the identity policies of ${caller.arn} from IAM failed: ${String(name)}: ${detail}`,
    cause: error,
  });
}

function resolveOptions(options: IdentityPolicyOptions): ResolvedOptions {
  const issues: ConfigIssue[] = [];
  const roles = new Map<string, string>();
  const readerRoles = options.readerRoles as unknown;
  if (readerRoles !== undefined) {
    if (typeof readerRoles !== 'object' || readerRoles === null || Array.isArray(readerRoles)) {
      issues.push({
        path: 'iam.identityPolicies.readerRoles',
        message: 'must map account ids to role ARNs',
      });
    } else {
      for (const [account, role] of Object.entries(readerRoles as Record<string, unknown>)) {
        const at = `iam.identityPolicies.readerRoles.${account}`;
        const match = typeof role === 'string' ? ROLE_ARN.exec(role) : null;
        if (!/^\d{12}$/.test(account))
          issues.push({ path: at, message: 'keys must be 12-digit account ids' });
        else if (match === null)
          issues.push({
            path: at,
            message:
              'must be an IAM role ARN, e.g. arn:aws:iam::444455556666:role/gateway-auth-policy-reader',
          });
        else if (match[1] !== account)
          issues.push({ path: at, message: `the role must be in account ${account}` });
        else roles.set(account, role as string);
      }
    }
  }
  const unreadable = options.unreadableIdentityPolicies ?? 'deny';
  if (unreadable !== 'deny' && unreadable !== 'resource-policy-only') {
    issues.push({
      path: 'iam.identityPolicies.unreadableIdentityPolicies',
      message: 'must be "deny" or "resource-policy-only"',
    });
  }
  const seconds = (name: 'ttlSeconds' | 'staleIfErrorSeconds' | 'cacheSize', max: number): void => {
    const value = options[name] as unknown;
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      issues.push({
        path: `iam.identityPolicies.${name}`,
        message: `must be an integer from 0 to ${max}`,
      });
    }
  };
  seconds('ttlSeconds', 86_400);
  seconds('staleIfErrorSeconds', 86_400);
  seconds('cacheSize', 10_000_000);
  if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
  return { readerRoles: roles, unreadable, ttlMs: (options.ttlSeconds ?? 300) * 1000 };
}
