import { readFileSync } from 'node:fs';
import {
  createJsonLogger,
  type Clock,
  type GatewayAuthOptions,
  type Logger,
} from '../../../libs/gateway-auth/src';
import type { AuthorizerOptions } from '../../../libs/gateway-auth/src/core/authorizer/custom-authorizer-authenticator';
import type { PolicyDocument } from '../../../libs/gateway-auth/src/core/iam';
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
  return {
    api: config.api,
    ...(config.resourcePolicyFile === undefined
      ? {}
      : { resourcePolicy: readResourcePolicy(config.resourcePolicyFile) }),
    trustedProxies: config.trustedProxies,
    iam: { credentials: config.iamCredentialsFile },
    cognito: { userPools: [config.cognito] },
    authorizers: {
      orders: overrides.authorizers?.orders ?? { type: 'TOKEN', handler: tokenAuthorizer },
      reports: overrides.authorizers?.reports ?? { type: 'REQUEST', handler: requestAuthorizer },
    },
    logger: overrides.logger ?? createJsonLogger(config.logLevel),
    ...(overrides.clock === undefined ? {} : { clock: overrides.clock }),
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
