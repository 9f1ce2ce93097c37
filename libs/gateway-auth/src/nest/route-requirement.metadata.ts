import { Reflector } from '@nestjs/core';
import type { RouteRequirement } from '../core/gateway-auth';

/** A route's metadata: what it requires, or `null` for a public route (`@Public()`). */
export interface RouteRequirementMetadata {
  requirement: RouteRequirement | null;
}

/**
 * The decorator behind `@IamAuth()`, `@CognitoAuth()`, `@CustomAuthorizer()` and `@Public()`,
 * made with `Reflector.createDecorator` so the guard reads it by reference
 * (`reflector.getAllAndOverride(RouteAuth, ...)`). Its metadata key is stable:
 * `gateway-auth:route-requirement`.
 */
export const RouteAuth = Reflector.createDecorator<RouteRequirementMetadata>({
  key: 'gateway-auth:route-requirement',
});
