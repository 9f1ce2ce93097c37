import {
  validateAuthorizerOptions,
  type AuthorizerOptions,
} from '../authorizer/authorizer-options';
import { parseIdentitySources } from '../authorizer/identity-source';
import type { Clock } from '../clock';
import type { ConfigIssue } from '../errors';
import type {
  CognitoAuthOptions,
  CognitoUserPoolOptions,
  OidcIssuerOptions,
} from '../jwt/cognito-options';
import type { KeySource } from '../jwt/key-source';
import { OidcDiscoveryKeySource } from '../jwt/oidc-discovery-key-source';
import type { Logger } from '../logger';
import {
  Unresolved,
  type ApiKind,
  type DefinitionAuthorizer,
  type DefinitionString,
} from './api-definition';
import type { ApiDefinitionOptions } from './definition-options';

/** Where a definition authorizer's settings went wrong or wait for a parameter. */
export interface AuthorizerNeeds {
  issues: ConfigIssue[];
  /** Parameter names that would resolve what is missing. */
  unresolved: string[];
}

const TARGETS = ['handler', 'functionName', 'url', 'invoker'] as const;
const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):/;
const USER_POOL_ARN =
  /^arn:aws[\w-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+_[0-9A-Za-z]+)$/;

/**
 * A definition's Lambda authorizer as {@link AuthorizerOptions}: its type, identity sources, TTL,
 * validation expression and HTTP API payload settings, invoked as the definition's function (Lambda
 * Invoke, in the ARN's region) unless `apiDefinition.authorizers.<name>` says how to run it.
 */
export function lambdaAuthorizerOptions(
  authorizer: DefinitionAuthorizer,
  kind: ApiKind,
  override: Partial<AuthorizerOptions> | undefined,
  needs: AuthorizerNeeds,
): AuthorizerOptions | undefined {
  const at = `${authorizer.source} (authorizer ${authorizer.name})`;
  const before = needs.issues.length;
  const sources = resolvedList(authorizer.identitySource, `${at}.identitySource`, needs);
  const base: AuthorizerOptions = {
    type: authorizer.type === 'TOKEN' ? 'TOKEN' : 'REQUEST',
    identitySource: sources,
    ttlSeconds: authorizer.ttlSeconds ?? 0,
  };
  if (kind === 'HTTP') {
    base.payloadFormatVersion = authorizer.payloadFormatVersion;
    if (authorizer.enableSimpleResponses !== undefined)
      base.enableSimpleResponses = authorizer.enableSimpleResponses;
  }
  if (authorizer.identityValidationExpression !== undefined) {
    base.identityValidationExpression = resolved(
      authorizer.identityValidationExpression,
      `${at}.identityValidationExpression`,
      needs,
    );
  }
  const targeted = override !== undefined && TARGETS.some((k) => override[k] !== undefined);
  if (!targeted) {
    const arn = authorizer.functionArn;
    if (arn instanceof Unresolved) {
      addUnresolved(needs, arn.names);
      needs.issues.push({
        path: at,
        message: `its function ARN needs ${arn.names.join(', ')}: give them in apiDefinition.parameters, or run it in process with apiDefinition.authorizers.${authorizer.name}.handler`,
      });
    } else if (arn !== undefined) {
      base.functionName = arn;
      const region = LAMBDA_ARN.exec(arn)?.[1];
      if (region !== undefined) base.lambdaClientConfig = { region };
    }
  }
  const options = { ...base, ...override };
  for (const issue of validateAuthorizerOptions(authorizer.name, options)) {
    needs.issues.push({
      path: `${at}: ${issue.path.replace(`authorizers.${authorizer.name}`, `apiDefinition.authorizers.${authorizer.name}`)}`,
      message: issue.message,
    });
  }
  const parsed = parseIdentitySources(
    options.identitySource,
    kind === 'HTTP' ? 'http' : 'rest',
    `${at}.identitySource`,
  );
  needs.issues.push(...parsed.issues);
  return needs.issues.length > before ? undefined : options;
}

/** What building a Cognito/JWT authorizer's options needs from the runtime. */
export interface JwtBuildContext {
  clock: Clock;
  logger: Logger;
  /** Key sources made here (OpenID discovery), closed with the gateway. */
  ownedKeySources: KeySource[];
}

/**
 * A definition's COGNITO_USER_POOLS (REST) or JWT (HTTP API) authorizer as {@link CognitoAuthOptions}:
 * pools from `providerARNs` (any app client, COG-04, unless `userPools` says otherwise) or the
 * issuer and audiences of `jwtConfiguration`, the token's header (or query parameter), the
 * validation expression, and the shared `apiDefinition.cognito` settings.
 */
export function jwtAuthorizerOptions(
  authorizer: DefinitionAuthorizer,
  options: ApiDefinitionOptions,
  context: JwtBuildContext,
  needs: AuthorizerNeeds,
): CognitoAuthOptions | undefined {
  const at = `${authorizer.source} (authorizer ${authorizer.name})`;
  const before = needs.issues.length;
  const out: CognitoAuthOptions = {
    ...options.cognito,
    mode: authorizer.type === 'JWT' ? 'http' : 'rest',
  };
  const source = resolvedList(authorizer.identitySource, `${at}.identitySource`, needs);
  if (source.length !== 1) {
    needs.issues.push({
      path: `${at}.identitySource`,
      message: 'a token authorizer reads exactly one identity source',
    });
  } else {
    const match = /^(?:method\.request|\$request)\.(header|querystring)\.(.+)$/.exec(
      source[0] as string,
    );
    if (!match) {
      needs.issues.push({
        path: `${at}.identitySource`,
        message: `${source[0]} is not a header or query string`,
      });
    } else if (match[1] === 'header') {
      out.tokenSource = { ...options.cognito?.tokenSource, header: match[2] as string };
    } else if (authorizer.type === 'JWT') {
      out.tokenSource = { ...options.cognito?.tokenSource, query: match[2] as string };
    } else {
      needs.issues.push({
        path: `${at}.identitySource`,
        message: 'a Cognito authorizer reads a header (COG-01)',
      });
    }
  }
  if (authorizer.identityValidationExpression !== undefined) {
    out.identityValidationExpression = resolved(
      authorizer.identityValidationExpression,
      `${at}.identityValidationExpression`,
      needs,
    );
  }
  if (authorizer.type === 'COGNITO_USER_POOLS') {
    const pools: CognitoUserPoolOptions[] = [];
    for (const arn of authorizer.providerArns ?? []) {
      const text = resolved(arn, `${at}.providerARNs`, needs);
      if (text === undefined) continue;
      const match = USER_POOL_ARN.exec(text);
      const override =
        (match && options.userPools?.[match[2] as string]) ?? options.userPools?.[text];
      if (!match && override?.userPoolId === undefined) {
        needs.issues.push({
          path: `${at}.providerARNs`,
          message: `${text} is not a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID): fix it, or describe the pool in apiDefinition.userPools[${JSON.stringify(text)}]`,
        });
        continue;
      }
      pools.push({
        userPoolId: match?.[2] as string,
        region: match?.[1],
        // COG-04: API Gateway accepts any app client of the pool.
        clientIds: null,
        ...override,
      });
    }
    out.userPools = pools;
  } else {
    const issuer =
      authorizer.issuer === undefined
        ? undefined
        : resolved(authorizer.issuer, `${at}.issuer`, needs);
    const audiences = resolvedList(authorizer.audience ?? [], `${at}.audience`, needs);
    if (issuer !== undefined) {
      const override = options.issuers?.[issuer];
      const cognitoIssuer =
        /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+_[0-9A-Za-z]+$/.test(issuer);
      const entry: OidcIssuerOptions = {
        issuer,
        audiences,
        jwksUri: override?.jwksUri ?? (cognitoIssuer ? `${issuer}/.well-known/jwks.json` : ''),
        ...override,
      };
      if (!entry.jwksUri && !entry.keySource) {
        const discovered = new OidcDiscoveryKeySource({
          ...options.cognito?.jwks,
          issuer,
          algorithms: entry.algorithms ?? ['RS256'],
          clock: context.clock,
          logger: context.logger,
        });
        context.ownedKeySources.push(discovered);
        entry.keySource = discovered;
      }
      out.issuers = [entry];
    }
  }
  return needs.issues.length > before ? undefined : out;
}

function resolved(
  value: DefinitionString,
  path: string,
  needs: AuthorizerNeeds,
): string | undefined {
  if (!(value instanceof Unresolved)) return value;
  addUnresolved(needs, value.names);
  needs.issues.push({
    path,
    message: `needs ${value.names.join(', ')}: give them in apiDefinition.parameters`,
  });
  return undefined;
}

function resolvedList(
  values: readonly DefinitionString[],
  path: string,
  needs: AuthorizerNeeds,
): string[] {
  const out: string[] = [];
  for (const value of values) {
    const text = resolved(value, path, needs);
    if (text !== undefined) out.push(text);
  }
  return out;
}

export function addUnresolved(needs: { unresolved: string[] }, names: readonly string[]): void {
  for (const name of names) if (!needs.unresolved.includes(name)) needs.unresolved.push(name);
}
