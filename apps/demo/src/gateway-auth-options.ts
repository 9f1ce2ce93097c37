import { readFileSync } from 'node:fs';
import {
  ConfigError,
  FileCredentialProvider,
  MemoryCredentialProvider,
  createJsonLogger,
  type AuthorizerOptions,
  type Clock,
  type CredentialDefinition,
  type GatewayAuthOptions,
  type Logger,
  type IamAuthOptions,
  type PolicyDocument,
} from 'api-gateway-auth';
import { requestAuthorizer } from '../../../examples/authorizers/request-authorizer';
import { tokenAuthorizer } from '../../../examples/authorizers/token-authorizer';
import { DemoConfigError, type DemoConfig } from './config/demo-config';

/** What tests (and adopters) may swap without touching the environment. */
export interface DemoOverrides {
  logger?: Logger;
  clock?: Clock;
  /** Replaces the configuration of the `orders` (TOKEN) or `reports` (REQUEST) authorizer. */
  authorizers?: Partial<Record<'orders' | 'reports', AuthorizerOptions>>;
}

/**
 * Turns the demo's configuration into gateway-auth options: the Cognito pool, the SigV4 callers'
 * file, the two Lambda authorizers (in-process examples, or a real Lambda function for `orders`),
 * the shared decision cache and the resource policy.
 * @throws DemoConfigError when `RESOURCE_POLICY_FILE` cannot be read or parsed.
 */
export function buildGatewayAuthOptions(
  config: DemoConfig,
  overrides: DemoOverrides = {},
): GatewayAuthOptions {
  const logger = overrides.logger ?? createJsonLogger(config.logLevel);
  return {
    api: config.api,
    ...(config.resourcePolicyFile === undefined
      ? {}
      : { resourcePolicy: readResourcePolicy(config.resourcePolicyFile) }),
    trustedProxies: config.trustedProxies,
    ...(config.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: config.bodyLimitBytes }),
    iam: iamOptions(config, logger),
    cognito: {
      userPools: [
        {
          userPoolId: config.cognito.userPoolId,
          // No COGNITO_CLIENT_IDS: any app client of the pool, as API Gateway (COG-04).
          clientIds: config.cognito.clientIds.length > 0 ? config.cognito.clientIds : null,
          ...(config.cognito.issuer === undefined ? {} : { issuer: config.cognito.issuer }),
          ...(config.cognito.jwksUri === undefined ? {} : { jwksUri: config.cognito.jwksUri }),
        },
      ],
    },
    authorizers: {
      orders: overrides.authorizers?.orders ?? ordersAuthorizer(config),
      reports: overrides.authorizers?.reports ?? {
        type: 'REQUEST',
        handler: requestAuthorizer,
        identitySource: 'method.request.header.HeaderAuth1,method.request.querystring.QueryString1',
        ttlSeconds: 300,
      },
    },
    // AUTHORIZER_CACHE_REDIS_URL: every task behind the ALB shares authorizer decisions; without
    // it each process caches its own (node-cache).
    ...(config.authorizerCacheRedisUrl === undefined
      ? {}
      : { cache: { redis: config.authorizerCacheRedisUrl } }),
    logger,
    ...(overrides.clock === undefined ? {} : { clock: overrides.clock }),
    // Metrics and traces through the OpenTelemetry API (main.ts starts the SDK); EMF_METRICS=on
    // adds CloudWatch EMF lines on stdout (no agent needed on Fargate).
    ...(config.emf === undefined
      ? {}
      : { telemetry: { emf: { namespace: config.emf.namespace } } }),
  };
}

/**
 * The `/admin/pets` callers: the credentials file or `IAM_CREDENTIALS` (keys the service holds),
 * identity proofs (AWS-issued credentials verified through STS) and VPC Lattice identities, each
 * when configured; the last two have their identity policies read from IAM (through reader roles
 * for other accounts).
 */
function iamOptions(config: DemoConfig, logger: Logger): IamAuthOptions {
  const { iamCredentials } = config;
  return {
    // Reloaded when the file changes (rotate keys without a restart); a bad version is logged and
    // the previous credentials stay in force.
    ...(iamCredentials === undefined
      ? {}
      : {
          credentials:
            'file' in iamCredentials
              ? naming(
                  'IAM_CREDENTIALS_FILE',
                  (file: string) => new FileCredentialProvider(file, { logger }),
                )(iamCredentials.file)
              : credentialsFromEnv(iamCredentials.json.credentials),
        }),
    ...(config.identityProofs === undefined ? {} : { identityProofs: config.identityProofs }),
    ...(config.lattice === undefined ? {} : { lattice: config.lattice }),
    identityPolicies: {
      readerRoles: config.identityPolicies.readerRoles,
      unreadableIdentityPolicies: config.identityPolicies.unreadable,
    },
  };
}

/**
 * `/orders`: the example TOKEN authorizer in-process, or the Lambda function named by
 * `AUTHORIZER_FUNCTION_NAME`, invoked with the SDK's standard configuration (region, credentials,
 * `AWS_ENDPOINT_URL_LAMBDA` from the environment).
 */
function ordersAuthorizer(config: DemoConfig): AuthorizerOptions {
  return config.authorizerFunctionName === undefined
    ? { type: 'TOKEN', handler: tokenAuthorizer, ttlSeconds: 300 }
    : { type: 'TOKEN', functionName: config.authorizerFunctionName, ttlSeconds: 300 };
}

/**
 * `IAM_CREDENTIALS`: validated here so a bad secret stops the demo with a message naming the
 * variable and each field (messages never contain secrets).
 */
function credentialsFromEnv(list: unknown[]): MemoryCredentialProvider {
  return naming(
    'IAM_CREDENTIALS',
    (definitions: unknown[]) => new MemoryCredentialProvider(definitions as CredentialDefinition[]),
    (path) => path.replace(/^\$/, '$.credentials'),
  )(list);
}

/** Wraps `build` so its `ConfigError` becomes a `DemoConfigError` naming `variable`. */
function naming<A, R>(
  variable: string,
  build: (arg: A) => R,
  mapPath: (path: string) => string = (path) => path,
): (arg: A) => R {
  return (arg) => {
    try {
      return build(arg);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new DemoConfigError(
        error.issues.map((issue) => ({
          variable,
          message: `${mapPath(issue.path)}: ${issue.message}`,
        })),
      );
    }
  };
}

function readResourcePolicy(file: string): PolicyDocument {
  let text: string;
  try {
    // The path comes from the operator's RESOURCE_POLICY_FILE, not from a request.
    // eslint-disable-next-line security/detect-non-literal-fs-filename
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DemoConfigError([
      {
        variable: 'RESOURCE_POLICY_FILE',
        message: `cannot read ${file}: ${(error as Error).message}`,
      },
    ]);
  }
  try {
    return JSON.parse(text) as PolicyDocument;
  } catch (error) {
    throw new DemoConfigError([
      {
        variable: 'RESOURCE_POLICY_FILE',
        message: `${file} is not JSON: ${(error as Error).message}`,
      },
    ]);
  }
}
