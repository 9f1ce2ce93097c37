import {
  SetMetadata,
  UseGuards,
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import type { AuthContext as AuthContextShape } from '../core/auth-context';
import type { CognitoRouteOptions } from '../core/jwt/cognito-authenticator';
import { AUTH_CONTEXT_PROPERTY, GatewayAuthGuard } from './gateway-auth.guard';
import { ROUTE_REQUIREMENT, type RouteRequirementMetadata } from './route-requirement.metadata';

function requirement(metadata: RouteRequirementMetadata): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ROUTE_REQUIREMENT, metadata), UseGuards(GatewayAuthGuard));
}

/**
 * AWS_IAM authorization: the request must be SigV4-signed by a known caller whose policies (and the
 * API's resource policy) allow `execute-api:Invoke` on the route's ARN.
 * @example
 * @IamAuth()
 * @Get('admin/pets')
 * list(@AuthContext() auth: AuthContext) {}
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export function IamAuth(): MethodDecorator & ClassDecorator {
  return requirement({ model: 'iam', options: {} });
}

/**
 * Cognito user pool authorization: no scopes → ID tokens only; scopes → access tokens holding one of
 * them (COG-02/03). `groups` additionally requires `cognito:groups` membership.
 * @example
 * @CognitoAuth({ scopes: ['pets/write'] })
 * @Post('pets')
 * create() {}
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export function CognitoAuth(options: CognitoRouteOptions = {}): MethodDecorator & ClassDecorator {
  return requirement({ model: 'cognito', options });
}

/**
 * Lambda authorizer by name (configured under `authorizers` in the module options).
 * @example
 * @CustomAuthorizer('orders')
 * @Get('orders')
 * list() {}
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
export function CustomAuthorizer(name: string): MethodDecorator & ClassDecorator {
  return requirement({ model: 'custom', options: { name } });
}

/** Opts a route out of a class-level or global requirement. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(ROUTE_REQUIREMENT, null);
}

/**
 * Injects the caller's context (`$context.identity` for IAM, `claims` for Cognito, `$context.authorizer`
 * for Lambda authorizers).
 * @example handler(@AuthContext() auth: AuthContext) {}
 */
export const AuthContext = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthContextShape | undefined =>
    context.switchToHttp().getRequest<Record<string, AuthContextShape | undefined>>()[
      AUTH_CONTEXT_PROPERTY
    ],
);
