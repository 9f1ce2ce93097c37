import { isAbsolute, resolve } from 'node:path';
import {
  ACCESS_LOG_FORMATS,
  compileAccessLogFormat,
  ConfigError,
  createTrustedProxies,
} from 'api-gateway-auth';

/** The Nest HTTP platform the demo runs on. */
export type HttpPlatform = 'express' | 'fastify';

/** Log levels accepted by `LOG_LEVEL`. */
export type DemoLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The demo's configuration, read from environment variables by {@link loadDemoConfig}. */
export interface DemoConfig {
  /** `PORT`: listening port. Default 3000. */
  port: number;
  /** `HOST`: listening address. Default `0.0.0.0` (every interface, as a container needs). */
  host: string;
  /** `HTTP_PLATFORM`: `express` (default) or `fastify`. */
  platform: HttpPlatform;
  /** `LOG_LEVEL`: `debug`, `info` (default), `warn` or `error`. */
  logLevel: DemoLogLevel;
  /** `GATEWAY_AUTH_REGION`/`_ACCOUNT_ID`/`_API_ID`/`_STAGE`: the API this service stands in for. */
  api: { region: string; accountId: string; apiId: string; stage: string };
  /** `COGNITO_USER_POOL_ID`, `COGNITO_CLIENT_IDS`, `COGNITO_ISSUER`, `COGNITO_JWKS_URI`. */
  cognito: {
    userPoolId: string;
    /** Accepted app client ids; empty = any client of the pool (API Gateway's default, COG-04). */
    clientIds: string[];
    issuer?: string;
    jwksUri?: string;
  };
  /**
   * SigV4 callers: `IAM_CREDENTIALS_FILE` (absolute path of the JSON/YAML file, reloaded on change)
   * or `IAM_CREDENTIALS` (the same JSON as the value, e.g. injected from Secrets Manager).
   */
  iamCredentials?: { file: string } | { json: { credentials: unknown[] } };
  /**
   * `IAM_IDENTITY_PROOFS=true`: callers with AWS-issued credentials prove who they are with an
   * `X-Gateway-Auth-Identity` header; `IAM_IDENTITY_PROOF_AUDIENCE` (default
   * `arn:aws:execute-api:{region}:{account}:{apiId}`), `IAM_IDENTITY_PROOF_REGIONS` (default the
   * API's region). STS is reached through the AWS SDK's `AWS_ENDPOINT_URL_STS` when set.
   */
  identityProofs?: { audience?: string; regions: string[] };
  /**
   * How proof and Lattice callers' identity policies are read from IAM: `IAM_POLICY_READER_ROLES`
   * (`{"<account>": "<role arn>"}`) and `IAM_UNREADABLE_IDENTITY_POLICIES` (`deny` or
   * `resource-policy-only`).
   */
  identityPolicies: {
    readerRoles: Record<string, string>;
    unreadable: 'deny' | 'resource-policy-only';
  };
  /** `LATTICE_TRUSTED_PEERS` (CIDRs) and `LATTICE_SERVICE_ARNS`: VPC Lattice in front of the service. */
  lattice?: { trustedPeers: string[]; serviceArns: string[] };
  /** `RESOURCE_POLICY_FILE`: absolute path of the API's resource policy, or undefined for none. */
  resourcePolicyFile?: string;
  /** `AUTHORIZER_FUNCTION_NAME`: a Lambda function replacing the in-process `/orders` authorizer. */
  authorizerFunctionName?: string;
  /** `AUTHORIZER_CACHE_REDIS_URL`: Redis for the shared authorizer decision cache. */
  authorizerCacheRedisUrl?: string;
  /**
   * `BODY_LIMIT_BYTES`: the largest request body read (a larger one gets API Gateway's 413);
   * undefined for API Gateway's 10485760.
   */
  bodyLimitBytes?: number;
  /** `TRUSTED_PROXIES`: addresses/CIDR blocks whose `X-Forwarded-For` is believed (the ALB). */
  trustedProxies: string[];
  /**
   * `ACCESS_LOG_FORMAT`: an API Gateway access-log format (`$context` variables), or `CLF`, `JSON`,
   * `XML`, `CSV` for AWS's examples; default `JSON`. `off`: no access log (undefined).
   */
  accessLogFormat: string | undefined;
  /** `EMF_METRICS=on` and `EMF_NAMESPACE`: CloudWatch EMF metric lines on stdout. */
  emf: { namespace: string } | undefined;
}

/** Environment variables the demo reads; other variables are ignored. */
export type DemoEnv = Readonly<Record<string, string | undefined>>;

/** One invalid variable. */
export interface DemoConfigIssue {
  variable: string;
  message: string;
}

/** Invalid configuration: the message names every offending variable, one per line. */
export class DemoConfigError extends Error {
  constructor(readonly issues: readonly DemoConfigIssue[]) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'DemoConfigError';
  }
}

/** Defaults for the API identity (a PetStore API in a documentation account). */
export const API_DEFAULTS = {
  region: 'us-east-1',
  accountId: '111122223333',
  apiId: 'petstore',
  stage: 'prod',
} as const;

/**
 * Reads and validates the demo's configuration from environment variables. Every problem is
 * collected, so one start names them all.
 * @param env usually `process.env`
 * @param cwd base for relative file paths (default `process.cwd()`)
 * @throws DemoConfigError naming each invalid or missing variable.
 */
export function loadDemoConfig(env: DemoEnv, cwd: string = process.cwd()): DemoConfig {
  const issues: DemoConfigIssue[] = [];
  const fail = (variable: string, message: string): void => {
    issues.push({ variable, message });
  };
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    fail('PORT', `must be a port number 0-65535, got ${JSON.stringify(portText)}`);
  }

  const platformText = value('HTTP_PLATFORM') ?? 'express';
  if (platformText !== 'express' && platformText !== 'fastify') {
    fail('HTTP_PLATFORM', `must be "express" or "fastify", got ${JSON.stringify(platformText)}`);
  }

  const logLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    fail('LOG_LEVEL', `must be debug, info, warn or error, got ${JSON.stringify(logLevel)}`);
  }

  const region = value('GATEWAY_AUTH_REGION') ?? API_DEFAULTS.region;
  if (!/^[a-z]{2}-[a-z-]{2,30}-\d{1,2}$/.test(region)) {
    fail(
      'GATEWAY_AUTH_REGION',
      `must be an AWS region such as us-east-1, got ${JSON.stringify(region)}`,
    );
  }
  const accountId = value('GATEWAY_AUTH_ACCOUNT_ID') ?? API_DEFAULTS.accountId;
  if (!/^\d{12}$/.test(accountId)) {
    fail(
      'GATEWAY_AUTH_ACCOUNT_ID',
      `must be a 12-digit AWS account id, got ${JSON.stringify(accountId)}`,
    );
  }
  const apiId = value('GATEWAY_AUTH_API_ID') ?? API_DEFAULTS.apiId;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(apiId)) {
    fail('GATEWAY_AUTH_API_ID', 'must be 1-64 letters, digits, "-" or "_"');
  }
  const stage = value('GATEWAY_AUTH_STAGE') ?? API_DEFAULTS.stage;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stage)) {
    fail('GATEWAY_AUTH_STAGE', 'must be 1-128 letters, digits, "-" or "_"');
  }

  const userPoolId = value('COGNITO_USER_POOL_ID');
  if (userPoolId === undefined) {
    fail(
      'COGNITO_USER_POOL_ID',
      'required: the user pool of the Cognito routes, e.g. us-east-1_AbC123xyz',
    );
  } else if (!/^[\w-]+_[0-9A-Za-z]+$/.test(userPoolId)) {
    fail('COGNITO_USER_POOL_ID', `must look like <region>_<id>, got ${JSON.stringify(userPoolId)}`);
  }
  const clientIds = (value('COGNITO_CLIENT_IDS') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  for (const id of clientIds) {
    if (!/^[\w+]+$/.test(id))
      fail('COGNITO_CLIENT_IDS', `not an app client id: ${JSON.stringify(id)}`);
  }
  const issuer = value('COGNITO_ISSUER');
  if (issuer !== undefined && !isHttpUrl(issuer)) {
    fail('COGNITO_ISSUER', `must be an http(s) URL, got ${JSON.stringify(issuer)}`);
  }
  const jwksUri = value('COGNITO_JWKS_URI');
  if (jwksUri !== undefined && !isHttpUrl(jwksUri)) {
    fail('COGNITO_JWKS_URI', `must be an http(s) URL, got ${JSON.stringify(jwksUri)}`);
  }

  const credentialsFile = value('IAM_CREDENTIALS_FILE');
  const credentialsJson = value('IAM_CREDENTIALS');
  let credentials: { credentials: unknown[] } | undefined;
  if (credentialsFile !== undefined && credentialsJson !== undefined) {
    fail('IAM_CREDENTIALS', 'set IAM_CREDENTIALS or IAM_CREDENTIALS_FILE, not both');
  } else if (credentialsJson !== undefined) {
    // Never echo the value: it holds secret keys.
    credentials = parseCredentialsJson(credentialsJson);
    if (credentials === undefined) {
      fail('IAM_CREDENTIALS', 'must be JSON of the form {"credentials": [...]} (docs/iam-auth.md)');
    }
  }
  const list = (name: string): string[] =>
    (value(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);

  const proofsText = (value('IAM_IDENTITY_PROOFS') ?? 'false').toLowerCase();
  if (proofsText !== 'true' && proofsText !== 'false') {
    fail('IAM_IDENTITY_PROOFS', `must be "true" or "false", got ${JSON.stringify(proofsText)}`);
  }
  const audience = value('IAM_IDENTITY_PROOF_AUDIENCE');
  if (audience !== undefined && !/^[\x21-\x7e]{1,256}$/.test(audience)) {
    fail('IAM_IDENTITY_PROOF_AUDIENCE', 'must be 1-256 printable ASCII characters without spaces');
  }
  const proofRegions = list('IAM_IDENTITY_PROOF_REGIONS');
  for (const proofRegion of proofRegions) {
    if (!/^[a-z]{2}-[a-z-]{2,30}-\d{1,2}$/.test(proofRegion)) {
      fail('IAM_IDENTITY_PROOF_REGIONS', `not an AWS region: ${JSON.stringify(proofRegion)}`);
    }
  }
  const readerRoles = parseReaderRoles(value('IAM_POLICY_READER_ROLES'));
  if (readerRoles === undefined) {
    fail(
      'IAM_POLICY_READER_ROLES',
      'must be JSON mapping 12-digit account ids to role ARNs in those accounts, e.g. {"444455556666": "arn:aws:iam::444455556666:role/gateway-auth-policy-reader"}',
    );
  }
  const unreadable = value('IAM_UNREADABLE_IDENTITY_POLICIES') ?? 'deny';
  if (unreadable !== 'deny' && unreadable !== 'resource-policy-only') {
    fail('IAM_UNREADABLE_IDENTITY_POLICIES', 'must be "deny" or "resource-policy-only"');
  }
  const latticePeers = list('LATTICE_TRUSTED_PEERS');
  for (const entry of latticePeers) {
    try {
      createTrustedProxies([entry]);
    } catch {
      fail(
        'LATTICE_TRUSTED_PEERS',
        `"${entry}" is not an IP address or CIDR block (e.g. 169.254.171.0/24)`,
      );
    }
  }
  const latticeServices = list('LATTICE_SERVICE_ARNS');
  for (const arn of latticeServices) {
    if (!/^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:service\/[\w-]+$/.test(arn)) {
      fail('LATTICE_SERVICE_ARNS', `not a VPC Lattice service ARN: ${JSON.stringify(arn)}`);
    }
  }
  if (latticePeers.length > 0 !== latticeServices.length > 0) {
    fail(
      latticePeers.length > 0 ? 'LATTICE_SERVICE_ARNS' : 'LATTICE_TRUSTED_PEERS',
      'set LATTICE_TRUSTED_PEERS and LATTICE_SERVICE_ARNS together',
    );
  }
  const otherWayIn = proofsText === 'true' || latticePeers.length > 0;
  if (credentialsFile === undefined && credentialsJson === undefined && !otherWayIn) {
    fail(
      'IAM_CREDENTIALS_FILE',
      'required (or IAM_CREDENTIALS, IAM_IDENTITY_PROOFS=true or LATTICE_TRUSTED_PEERS): the SigV4 callers file, e.g. apps/demo/config/iam-credentials.json',
    );
  }
  const policyFile = value('RESOURCE_POLICY_FILE');

  const functionName = value('AUTHORIZER_FUNCTION_NAME');
  if (functionName !== undefined && !/^[\w:./-]{1,170}$/.test(functionName)) {
    fail('AUTHORIZER_FUNCTION_NAME', 'must be a Lambda function name, ARN or alias');
  }
  const redisUrl = value('AUTHORIZER_CACHE_REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    fail('AUTHORIZER_CACHE_REDIS_URL', 'must be a redis:// or rediss:// URL');
  }

  const trustedProxies = (value('TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const entry of trustedProxies) {
    try {
      createTrustedProxies([entry]);
    } catch {
      fail('TRUSTED_PROXIES', `"${entry}" is not an IP address or CIDR block (e.g. 10.0.0.0/16)`);
    }
  }

  const bodyLimitText = value('BODY_LIMIT_BYTES');
  const bodyLimitBytes = bodyLimitText === undefined ? undefined : Number(bodyLimitText);
  if (
    bodyLimitText !== undefined &&
    (!/^\d+$/.test(bodyLimitText) || !Number.isSafeInteger(bodyLimitBytes) || bodyLimitBytes === 0)
  ) {
    fail(
      'BODY_LIMIT_BYTES',
      `must be a whole number of bytes, at least 1 (API Gateway's is 10485760), got ${JSON.stringify(bodyLimitText)}`,
    );
  }

  const accessLogText = value('ACCESS_LOG_FORMAT') ?? 'JSON';
  const accessLogFormat =
    accessLogText.toLowerCase() === 'off'
      ? undefined
      : Object.hasOwn(ACCESS_LOG_FORMATS, accessLogText.toUpperCase())
        ? accessLogText.toUpperCase()
        : accessLogText;
  if (accessLogFormat !== undefined && !Object.hasOwn(ACCESS_LOG_FORMATS, accessLogFormat)) {
    try {
      compileAccessLogFormat(accessLogFormat);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) fail('ACCESS_LOG_FORMAT', issue.message);
    }
  }
  const emfText = (value('EMF_METRICS') ?? 'off').toLowerCase();
  if (!['on', 'off', 'true', 'false'].includes(emfText)) {
    fail('EMF_METRICS', `must be "on" or "off", got ${JSON.stringify(emfText)}`);
  }
  const emfNamespace = value('EMF_NAMESPACE') ?? 'GatewayAuthDemo';
  if (!/^[A-Za-z0-9._\-/#:]{1,255}$/.test(emfNamespace) || emfNamespace.startsWith('AWS/')) {
    fail(
      'EMF_NAMESPACE',
      'must be a CloudWatch namespace (1-255 characters, not starting with AWS/)',
    );
  }

  if (issues.length > 0) throw new DemoConfigError(issues);
  const absolute = (file: string): string => (isAbsolute(file) ? file : resolve(cwd, file));
  return {
    port,
    host: value('HOST') ?? '0.0.0.0',
    platform: platformText as HttpPlatform,
    logLevel: logLevel as DemoLogLevel,
    api: { region, accountId, apiId, stage },
    cognito: {
      userPoolId: userPoolId as string,
      clientIds,
      ...(issuer === undefined ? {} : { issuer }),
      ...(jwksUri === undefined ? {} : { jwksUri }),
    },
    ...(credentials !== undefined
      ? { iamCredentials: { json: credentials } }
      : credentialsFile !== undefined
        ? { iamCredentials: { file: absolute(credentialsFile) } }
        : {}),
    ...(proofsText === 'true'
      ? {
          identityProofs: {
            ...(audience === undefined ? {} : { audience }),
            regions: proofRegions.length > 0 ? proofRegions : [region],
          },
        }
      : {}),
    identityPolicies: {
      readerRoles: readerRoles ?? {},
      unreadable: unreadable as 'deny' | 'resource-policy-only',
    },
    ...(latticePeers.length > 0
      ? { lattice: { trustedPeers: latticePeers, serviceArns: latticeServices } }
      : {}),
    ...(policyFile === undefined ? {} : { resourcePolicyFile: absolute(policyFile) }),
    ...(functionName === undefined ? {} : { authorizerFunctionName: functionName }),
    ...(redisUrl === undefined ? {} : { authorizerCacheRedisUrl: redisUrl }),
    ...(bodyLimitBytes === undefined ? {} : { bodyLimitBytes }),
    trustedProxies,
    accessLogFormat,
    emf: emfText === 'on' || emfText === 'true' ? { namespace: emfNamespace } : undefined,
  };
}

function parseCredentialsJson(text: string): { credentials: unknown[] } | undefined {
  try {
    const parsed = JSON.parse(text) as { credentials?: unknown };
    return Array.isArray(parsed.credentials) ? { credentials: parsed.credentials } : undefined;
  } catch {
    return undefined;
  }
}

/** `IAM_POLICY_READER_ROLES`: `{"<account>": "<role arn in that account>"}`; `undefined` when invalid. */
function parseReaderRoles(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const roles: Record<string, string> = {};
  for (const [account, role] of Object.entries(parsed as Record<string, unknown>)) {
    if (
      !/^\d{12}$/.test(account) ||
      typeof role !== 'string' ||
      !role.startsWith(`arn:aws:iam::${account}:role/`)
    ) {
      return undefined;
    }
    roles[account] = role;
  }
  return roles;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
