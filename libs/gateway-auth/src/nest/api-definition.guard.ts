import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { removeIdentityHeaders, toHttpRequest } from '../adapter-request';
import type { AuthContext } from '../core/auth-context';
import { isPending } from '../core/authenticator';
import type { DefinitionOutcome } from '../core/definition/enforce-definition';
import { toAuthError } from '../core/errors';
import { AUTH_CONTEXT_PROPERTY, GatewayAuthGuard } from './gateway-auth.guard';
import { RouteAuth, type RouteRequirementMetadata } from './route-requirement.metadata';

/**
 * The global guard of `GatewayAuthModule.forRoot({ apiDefinition })`: a route without a gateway-auth
 * decorator gets the requirement its API definition gives the request's method and path (as API
 * Gateway matches them), and a route the definition does not cover is refused 403 Missing
 * Authentication Token. A decorator (`@IamAuth()`, `@CognitoAuth()`, `@CustomAuthorizer()`,
 * `@Public()`) overrides the definition for its route. Without `apiDefinition` it lets everything
 * through untouched.
 */
@Injectable()
export class ApiDefinitionGuard extends GatewayAuthGuard implements CanActivate {
  /** Whether a handler (in a controller) carries a gateway-auth decorator: read once. */
  private readonly decorated = new WeakMap<object, WeakMap<object, boolean>>();

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.gatewayAuth.definition || this.isDecorated(context)) return true;
    const request = this.getRequest(context);
    const httpRequest = toHttpRequest(request, this.gatewayAuth.trustedProxies);
    const methods = this.routeOf(context).methods;
    if (methods) httpRequest.routeMethods = methods;
    let outcome: DefinitionOutcome;
    try {
      outcome = this.gatewayAuth.authorizeByDefinition(httpRequest);
    } catch (error) {
      throw this.handleError(toAuthError(error, 'apiDefinition guard'), httpRequest);
    }
    const attach = (authContext: AuthContext | null): true => {
      if (authContext) {
        request[AUTH_CONTEXT_PROPERTY] = authContext;
        removeIdentityHeaders(request, authContext);
      }
      return true;
    };
    if (!isPending(outcome)) return attach(outcome);
    return outcome.then(attach, (error: unknown) => {
      throw this.handleError(toAuthError(error, 'apiDefinition guard'), httpRequest);
    });
  }

  private isDecorated(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byClass = this.decorated.get(handler);
    let known = byClass?.get(controller);
    if (known === undefined) {
      const metadata: RouteRequirementMetadata | undefined = this.reflector.getAllAndOverride(
        RouteAuth,
        [handler, controller],
      );
      known = metadata !== undefined;
      if (!byClass) this.decorated.set(handler, (byClass = new WeakMap()));
      byClass.set(controller, known);
    }
    return known;
  }
}
