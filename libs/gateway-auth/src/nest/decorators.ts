import {
  UseGuards,
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import type {
  AuthContext as AnyAuthContext,
  CognitoAuthContext as CognitoContext,
  CustomAuthContext as CustomContext,
  IamAuthContext as IamContext,
} from '../core/auth-context';
import { AuthError } from '../core/errors';
import { renderGatewayResponse } from '../core/gateway-responses';
import type { CognitoRouteOptions } from '../core/jwt/cognito-authenticator';
import { AUTH_CONTEXT_PROPERTY, GatewayAuthGuard } from './gateway-auth.guard';
import { GatewayResponseException } from './gateway-response.exception';
import { RouteAuth } from './route-requirement.metadata';

/**
 * AWS_IAM authorization: the request must be SigV4-signed by a known caller whose policies (and the
 * API's resource policy) allow `execute-api:Invoke` on the route's ARN.
 * @example
 * @IamAuth()
 * @Get('admin/pets')
 * list(@IamAuthContext() auth: IamAuthContext) { return auth.identity.userArn; }
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export function IamAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RouteAuth({ requirement: { model: 'iam', options: {} } }),
    UseGuards(GatewayAuthGuard),
  );
}

/**
 * Cognito user pool authorization: no scopes → ID tokens only; scopes → access tokens holding one of
 * them (COG-02/03). `groups` additionally requires `cognito:groups` membership.
 * @example
 * @CognitoAuth({ scopes: ['pets/write'] })
 * @Post('pets')
 * create(@CognitoAuthContext() auth: CognitoAuthContext) { return auth.claims.sub; }
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export function CognitoAuth(options: CognitoRouteOptions = {}): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RouteAuth({ requirement: { model: 'cognito', options } }),
    UseGuards(GatewayAuthGuard),
  );
}

/**
 * Lambda authorizer by name (configured under `authorizers` in the module options).
 * @example
 * @CustomAuthorizer('orders')
 * @Get('orders')
 * list(@CustomAuthContext() auth: CustomAuthContext) { return auth.principalId; }
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
export function CustomAuthorizer(name: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    RouteAuth({ requirement: { model: 'custom', options: { name } } }),
    UseGuards(GatewayAuthGuard),
  );
}

/** Opts a route out of a class-level or global (`APP_GUARD`) requirement. */
export function Public(): MethodDecorator & ClassDecorator {
  return RouteAuth({ requirement: null });
}

function contextOf(context: ExecutionContext): AnyAuthContext | undefined {
  return context.switchToHttp().getRequest<Record<string, AnyAuthContext | undefined>>()[
    AUTH_CONTEXT_PROPERTY
  ];
}

/**
 * Injects the caller's context: a union discriminated by `type`, API Gateway's authorization type
 * (`'AWS_IAM'`: `$context.identity`; `'COGNITO_USER_POOLS'` or `'JWT'`: the token's claims;
 * `'CUSTOM'`: `$context.authorizer`). `undefined` on a route no requirement guards (`@Public()`).
 * @example
 * handler(@AuthContext() auth: AuthContext) {
 *   if (auth.type === 'AWS_IAM') return auth.identity.userArn;
 * }
 */
export const AuthContext = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AnyAuthContext | undefined => contextOf(context),
);
/** The caller's context `@AuthContext()` injects (the core's `AuthContext` union). */
export type AuthContext = AnyAuthContext;

/**
 * A parameter decorator injecting the context of one model only: a handler whose route that model
 * guards gets its context with no `| undefined` and no narrowing. On any other route (a
 * misconfiguration) the request fails closed with API Gateway's 500 `{"message": null}`.
 */
function modelContext<T extends AnyAuthContext>(
  decorator: string,
  types: readonly T['type'][],
): () => ParameterDecorator {
  return createParamDecorator<unknown, T>((_data: unknown, context: ExecutionContext): T => {
    const auth = contextOf(context);
    if (auth !== undefined && (types as readonly string[]).includes(auth.type)) return auth as T;
    throw new GatewayResponseException(
      renderGatewayResponse(
        new AuthError('CONTEXT_MISMATCH', {
          responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
          message: null,
          errorType: 'AuthorizerConfigurationException',
          reason: `${decorator}() on a route that ${auth === undefined ? 'no requirement guards' : `${auth.type} authorized`}`,
          category: 'infrastructure',
        }),
      ),
    );
  });
}

/**
 * The SigV4 caller's `$context.identity` on an `@IamAuth()` route (CTX-01).
 * @example list(@IamAuthContext() auth: IamAuthContext) { return auth.identity.userArn; }
 */
export const IamAuthContext = modelContext<IamContext>('@IamAuthContext', ['AWS_IAM']);
/** What `@IamAuthContext()` injects. */
export type IamAuthContext = IamContext;

/**
 * The verified token's claims on a `@CognitoAuth()` route (COG-07, HJWT-05).
 * @example get(@CognitoAuthContext() auth: CognitoAuthContext) { return auth.claims.sub; }
 */
export const CognitoAuthContext = modelContext<CognitoContext>('@CognitoAuthContext', [
  'COGNITO_USER_POOLS',
  'JWT',
]);
/** What `@CognitoAuthContext()` injects. */
export type CognitoAuthContext = CognitoContext;

/**
 * The Lambda authorizer's `$context.authorizer` on a `@CustomAuthorizer()` route (LO-02, LO-09).
 * @example list(@CustomAuthContext() auth: CustomAuthContext) { return auth.principalId; }
 */
export const CustomAuthContext = modelContext<CustomContext>('@CustomAuthContext', ['CUSTOM']);
/** What `@CustomAuthContext()` injects. */
export type CustomAuthContext = CustomContext;
