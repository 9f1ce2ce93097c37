import type { RouteRequirement } from '../core/gateway-auth';

/** Metadata key holding a route's {@link RouteRequirement}; `null` marks a public route. */
export const ROUTE_REQUIREMENT = 'gateway-auth:route-requirement';

export type RouteRequirementMetadata = RouteRequirement | null;
