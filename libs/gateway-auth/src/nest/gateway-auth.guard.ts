import {
  Inject,
  Injectable,
  RequestMethod,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { removeIdentityHeaders, toHttpRequest } from '../adapter-request';
import { AuthError, toAuthError } from '../core/errors';
import { GatewayAuth, type RouteRequirement } from '../core/gateway-auth';
import type { AuthContext } from '../core/auth-context';
import { isPending, type Authorization } from '../core/authenticator';
import type { HttpRequest } from '../core/http-request';
import { GatewayResponseException } from './gateway-response.exception';
import { RouteAuth, type RouteRequirementMetadata } from './route-requirement.metadata';

/** The property of the framework request where the caller's context is attached. */
export const AUTH_CONTEXT_PROPERTY = 'gatewayAuth';

/** What the guard needs to know of a route, read once from its metadata. */
interface GuardedRoute {
  requirement: RouteRequirement | undefined;
  methods: readonly string[] | undefined;
}

/**
 * Which requirement a request's context was authorized for (set only by this guard). On Fastify
 * requests (one class, stable shape) a symbol property, the cheapest mark; on Express requests a
 * side table, because adding a property to a request whose prototype Express swaps per request is
 * slow there.
 */
const AUTHORIZED_FOR = Symbol('gateway-auth:authorized-for');
const authorizedFor = new WeakMap<object, RouteRequirement>();

function authorizedRequirement(request: FrameworkRequest): RouteRequirement | undefined {
  return request.raw !== undefined
    ? (request[AUTHORIZED_FOR] as RouteRequirement | undefined)
    : authorizedFor.get(request);
}

function markAuthorized(request: FrameworkRequest, requirement: RouteRequirement): void {
  if (request.raw !== undefined) request[AUTHORIZED_FOR] = requirement;
  else authorizedFor.set(request, requirement);
}

type FrameworkRequest = Record<string | symbol, unknown>;

/**
 * The guard behind `@IamAuth()`, `@CognitoAuth()` and `@CustomAuthorizer()`: reads the route's
 * requirement (method overrides class), hands the request to the core, attaches the caller's context
 * or throws API Gateway's response. Never returns `false` for an auth failure (that would be Nest's
 * generic 403). Can also be installed globally (`APP_GUARD`) with `@Public()` opt-outs.
 */
@Injectable()
export class GatewayAuthGuard implements CanActivate {
  /** Per handler and controller: route metadata is static, so it is read once, not per request. */
  private readonly routes = new WeakMap<object, WeakMap<object, GuardedRoute>>();

  constructor(
    @Inject(GatewayAuth) protected readonly gatewayAuth: GatewayAuth,
    @Inject(Reflector) protected readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeOf(context);
    const requirement = route.requirement;
    if (!requirement) return true;
    const request = this.getRequest(context);
    // Already authorized for this very requirement by another instance (a global APP_GUARD plus
    // the decorator's UseGuards): authorize once, so authorizers are not invoked twice. A context
    // attached by anything else (a middleware enforcing another requirement) does not count.
    if (authorizedRequirement(request) === requirement) return true;
    const httpRequest = toHttpRequest(request, this.gatewayAuth.trustedProxies);
    // The HTTP method the handler was declared for (`@Get()` ...), so a HEAD request that Express
    // or Fastify serves with a GET handler is not authorized as if it were a HEAD route.
    if (route.methods) httpRequest.routeMethods = route.methods;
    let outcome: Authorization;
    try {
      outcome = this.gatewayAuth.authorize(httpRequest, requirement);
    } catch (error) {
      throw this.handleError(toAuthError(error, 'guard'), httpRequest);
    }
    // A decision the core already held (cached) is answered without a promise.
    if (!isPending(outcome)) return this.attach(request, outcome, requirement);
    return outcome.then(
      (authContext) => this.attach(request, authContext, requirement),
      (error: unknown) => {
        throw this.handleError(toAuthError(error, 'guard'), httpRequest);
      },
    );
  }

  /** The route's requirement (method-level metadata overrides class-level) and declared method. */
  protected routeOf(context: ExecutionContext): GuardedRoute {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byClass = this.routes.get(handler);
    let route = byClass?.get(controller);
    if (!route) {
      const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
      route = {
        requirement: this.getRequirement(context),
        methods:
          method !== undefined && method !== RequestMethod.ALL
            ? [RequestMethod[method]]
            : undefined,
      };
      if (!byClass) {
        byClass = new WeakMap();
        this.routes.set(handler, byClass);
      }
      byClass.set(controller, route);
    }
    return route;
  }

  private attach(
    request: Record<string | symbol, unknown>,
    authContext: AuthContext,
    requirement: RouteRequirement,
  ): true {
    request[AUTH_CONTEXT_PROPERTY] = authContext;
    removeIdentityHeaders(request, authContext);
    markAuthorized(request, requirement);
    return true;
  }

  /**
   * The route's requirement: method-level metadata overrides class-level. Called once per handler
   * and controller (the answer is kept), so an override must depend on metadata only, not on the
   * request.
   */
  protected getRequirement(context: ExecutionContext): RouteRequirement | undefined {
    // Undefined when neither the handler nor the class carries a requirement.
    const metadata: RouteRequirementMetadata | undefined = this.reflector.getAllAndOverride(
      RouteAuth,
      [context.getHandler(), context.getClass()],
    );
    return metadata?.requirement ?? undefined;
  }

  /** The framework request (Express or Fastify). Override for GraphQL or other transports. */
  protected getRequest(context: ExecutionContext): Record<string | symbol, unknown> {
    // `switchToHttp().getRequest()` without its per-call closures: the request is argument 0.
    return context.getArgByIndex<Record<string | symbol, unknown>>(0);
  }

  /** Turns a refusal into the exception the filter writes. Override to add headers or logging. */
  protected handleError(error: AuthError, request: HttpRequest): Error {
    return new GatewayResponseException(
      this.gatewayAuth.render(error, { requestId: request.requestId }),
    );
  }
}
