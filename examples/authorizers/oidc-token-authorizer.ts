import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { generatePolicy, stageWildcardArn } from './policy';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from './types';

/** Options of {@link createOidcTokenAuthorizer}. */
export interface OidcTokenAuthorizerOptions {
  /** The identity provider's issuer URL (the `iss` claim), e.g. `https://tenant.auth0.com/`. */
  issuer: string;
  /** Accepted `aud` values (the API's identifier at the provider). Required: tokens for other APIs must fail. */
  audience: string | string[];
  /** JWKS URL; default: `jwks_uri` from `{issuer}/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** A scope the token must hold; without it the caller gets a Deny policy (403). Default: none. */
  requiredScope?: string;
  /** Accepted signing algorithms. Default `['RS256', 'ES256', 'PS256', 'EdDSA']`. */
  algorithms?: string[];
  /** Tolerated clock skew for `exp`/`nbf`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
}

/**
 * A `TOKEN` authorizer validating JWT access tokens from a third-party OpenID provider (Auth0, Okta,
 * Google, Keycloak, `oidc-provider`...) against the provider's JWKS, written as an ordinary Lambda
 * handler. The token is the raw header value (API Gateway strips nothing, LT-01), so a `Bearer `
 * prefix is removed here. Missing or invalid token → `Unauthorized` (401); valid token without
 * `requiredScope` → Deny (403); otherwise an Allow policy for the whole stage (safe to cache, LC-02)
 * with `sub`, `clientId` and `scope` in `context`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 */
export function createOidcTokenAuthorizer(
  options: OidcTokenAuthorizerOptions,
): (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult> {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keys = async (): Promise<ReturnType<typeof createRemoteJWKSet>> => {
    if (jwks) return jwks;
    const uri = options.jwksUri ?? (await discoverJwksUri(options.issuer));
    jwks = createRemoteJWKSet(new URL(uri));
    return jwks;
  };

  return async (event) => {
    const raw = (event.authorizationToken ?? '').trim();
    const token = /^bearer /i.test(raw) ? raw.slice(7).trim() : raw;
    if (token.split('.').length !== 3) throw new Error('Unauthorized');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await keys(), {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: options.algorithms ?? ['RS256', 'ES256', 'PS256', 'EdDSA'],
        clockTolerance: options.clockToleranceSeconds ?? 5,
      }));
    } catch (error) {
      // A bad token is the caller's problem (401); an unreachable JWKS is ours (500, not cached).
      if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
        throw new Error('Unauthorized');
      }
      throw error;
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : '';
    const principalId = payload.sub ?? clientId;
    if (!principalId) throw new Error('Unauthorized');
    const effect =
      options.requiredScope === undefined || scopes.includes(options.requiredScope)
        ? 'Allow'
        : 'Deny';
    return generatePolicy(principalId, effect, stageWildcardArn(event.methodArn), {
      sub: principalId,
      clientId,
      scope: scopes.join(' '),
    });
  };
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const response = await fetch(new URL('.well-known/openid-configuration', withSlash(issuer)), {
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`OIDC discovery failed with HTTP ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') throw new Error('OIDC discovery: no jwks_uri');
  return document.jwks_uri;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
