/**
 * The per-route rules a verified token must meet, applied on every request (also to cached tokens):
 * Cognito REST token use and identity validation (COG-02/03/04), scopes (COG-03, HJWT-02), groups.
 */
import type { JwtMode } from './jwt-errors';
import { JwtRejection } from './jwt-rejection';
import type { VerifiedJwt } from './verified-jwt';

/** Shared empty list (no allocation per request). */
export const NO_STRINGS: readonly string[] = Object.freeze([]);

/** What a route asks of a token (from `@CognitoAuth()` / `cognitoAuth()`). */
export interface RouteRequirements {
  readonly scopes?: readonly string[];
  readonly groups?: readonly string[];
}

/** The authorizer-wide settings the rules read. */
export interface RouteRuleSettings {
  readonly mode: JwtMode;
  /** `identityValidationExpression`, compiled once (COG-04). */
  readonly identityValidation: RegExp | undefined;
}

/**
 * Checks `verified` against the route. REST Cognito tokens: no route scopes → ID tokens only
 * (COG-02), some → access tokens only (COG-03), `aud` against the identity validation expression
 * (COG-04). Then one of the route's scopes (COG-03, HJWT-02) and one of its groups.
 * @returns the token's scopes for the context in HTTP mode when the route has scopes, else `null`.
 * @throws JwtRejection `TOKEN_WRONG_USE`, `TOKEN_IDENTITY_VALIDATION`, `TOKEN_INSUFFICIENT_SCOPE` or
 * `TOKEN_GROUP_DENIED`.
 */
export function applyRouteRules(
  verified: VerifiedJwt,
  route: RouteRequirements,
  settings: RouteRuleSettings,
): string[] | null {
  const routeScopes = route.scopes ?? NO_STRINGS;
  let matched: string[] | null = null;
  if (verified.cognitoRest) {
    if (routeScopes.length === 0 && verified.tokenUse !== 'id') {
      throw new JwtRejection(
        'TOKEN_WRONG_USE',
        'route has no scopes, so only ID tokens are accepted (COG-02)',
      );
    }
    if (routeScopes.length > 0 && verified.tokenUse !== 'access') {
      throw new JwtRejection(
        'TOKEN_WRONG_USE',
        'route has scopes, so only access tokens are accepted (COG-03)',
      );
    }
    const expression = settings.identityValidation;
    if (expression && (typeof verified.aud !== 'string' || !expression.test(verified.aud))) {
      throw new JwtRejection(
        'TOKEN_IDENTITY_VALIDATION',
        'aud does not match identityValidationExpression (COG-04)',
      );
    }
  }
  if (routeScopes.length > 0) {
    if (!routeScopes.some((s) => verified.scopes.includes(s))) {
      throw new JwtRejection('TOKEN_INSUFFICIENT_SCOPE', 'token holds none of the route scopes');
    }
    matched = settings.mode === 'http' ? [...verified.scopes] : null;
  }
  const groups = route.groups ?? NO_STRINGS;
  if (groups.length > 0 && !groups.some((g) => verified.groups.includes(g))) {
    throw new JwtRejection('TOKEN_GROUP_DENIED', 'caller is in none of the route groups');
  }
  return matched;
}
