import type { ConfigIssue } from '../errors';
import {
  Unresolved,
  type ApiDefinition,
  type DefinitionAuthorizer,
  type DefinitionRoute,
} from './api-definition';
import {
  readApiBody,
  readAuthorizerResources,
  readResourceAuth,
  refTarget,
  type MethodAuthShape,
  resourcesOfType,
  type TemplateResource,
} from './cfn-resources';
import type { IntrinsicResolver } from './intrinsics';
import { isRecord } from './json-path';
import type { SecurityReadingOptions } from './read-openapi';
import { parseApiGatewayPath } from './route-template';

const HTTP_AUTHORIZER_FIELDS: Readonly<Record<string, string>> = {
  type: 'AuthorizerType',
  authorizerUri: 'AuthorizerUri',
  authorizerCredentials: 'AuthorizerCredentialsArn',
  identitySource: 'IdentitySource',
  authorizerResultTtlInSeconds: 'AuthorizerResultTtlInSeconds',
  authorizerPayloadFormatVersion: 'AuthorizerPayloadFormatVersion',
  enableSimpleResponses: 'EnableSimpleResponses',
  jwtConfiguration: 'JwtConfiguration',
};

const HTTP_ROUTE_AUTH: MethodAuthShape = {
  types: new Set(['NONE', 'AWS_IAM', 'JWT', 'CUSTOM']),
  tokenType: 'JWT',
  authorizerType: 'AWS::ApiGatewayV2::Authorizer',
};

/**
 * An HTTP API written as CloudFormation: `AWS::ApiGatewayV2::Api` (`Body`, or quick create with
 * `Target` and its `ApiGatewayManagedOverrides`), plus the `Route`s (`RouteKey`,
 * `AuthorizationType`, `AuthorizerId`, `AuthorizationScopes`) and `Authorizer`s aimed at it.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-route.html
 */
export function readCfnHttpApi(
  template: Record<string, unknown>,
  api: TemplateResource,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
  options: SecurityReadingOptions,
): ApiDefinition {
  const definition = readApiBody(api, 'HTTP', resolver, issues, options);
  const props = api.properties;
  if (props.CorsConfiguration !== undefined) {
    definition.warnings.push(
      `${api.at}.CorsConfiguration: API Gateway answers HTTP API preflights itself, without auth; let your CORS middleware answer OPTIONS`,
    );
  }
  const mine = (r: TemplateResource): boolean => refTarget(r.properties.ApiId) === api.id;
  const authorizers = readAuthorizerResources(
    template,
    api,
    {
      type: 'AWS::ApiGatewayV2::Authorizer',
      apiProperty: 'ApiId',
      fields: HTTP_AUTHORIZER_FIELDS,
      adapt: (field: string, value: unknown) =>
        field === 'jwtConfiguration' && isRecord(value)
          ? { issuer: value.Issuer, audience: value.Audience }
          : value,
    },
    definition,
    resolver,
    issues,
  );
  const byKey = new Map(definition.routes.map((r) => [`${r.method} ${r.path}`, r]));
  if (props.Target !== undefined) {
    // Quick create: one route (RouteKey, default $default), shaped by ApiGatewayManagedOverrides.
    const routeKey = resolver.resolve(props.RouteKey ?? '$default', `${api.at}.RouteKey`);
    const override = resourcesOfType(
      template,
      'AWS::ApiGatewayV2::ApiGatewayManagedOverrides',
      resolver,
      issues,
    ).find(mine);
    const routeProps =
      override && isRecord(override.properties.Route) ? override.properties.Route : {};
    const route = readRoute(
      routeKey,
      routeProps,
      override ? `${override.at}.Route` : `${api.at}.RouteKey`,
      api,
      authorizers,
      resolver,
      issues,
    );
    if (route) byKey.set(`${route.method} ${route.path}`, route);
  }
  for (const resource of resourcesOfType(
    template,
    'AWS::ApiGatewayV2::Route',
    resolver,
    issues,
  ).filter(mine)) {
    const routeKey = resolver.resolve(resource.properties.RouteKey, `${resource.at}.RouteKey`);
    const route = readRoute(
      routeKey,
      resource.properties,
      resource.at,
      api,
      authorizers,
      resolver,
      issues,
    );
    if (route) byKey.set(`${route.method} ${route.path}`, route);
  }
  definition.routes = [...byKey.values()];
  return definition;
}

function readRoute(
  routeKey: unknown,
  p: Record<string, unknown>,
  at: string,
  api: TemplateResource,
  authorizers: ReadonlyMap<string, DefinitionAuthorizer>,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): DefinitionRoute | undefined {
  const before = issues.length;
  let method: string;
  let path: string;
  if (routeKey === '$default') {
    method = 'ANY';
    path = '$default';
  } else {
    const match = typeof routeKey === 'string' ? /^([A-Za-z]+) (\/\S*)$/.exec(routeKey) : null;
    if (!match) {
      issues.push({
        path: `${at}.RouteKey`,
        message:
          routeKey instanceof Unresolved
            ? `depends on ${routeKey.names.join(', ')}: supply them as parameters`
            : 'must be "$default" or "METHOD /path"',
      });
      return undefined;
    }
    method = (match[1] as string).toUpperCase();
    path = match[2] as string;
    const parsed = parseApiGatewayPath(path);
    if (typeof parsed === 'string') {
      issues.push({ path: `${at}.RouteKey`, message: `not an API Gateway path: ${parsed}` });
      return undefined;
    }
  }
  const auth = readResourceAuth(p, at, api.id, authorizers, HTTP_ROUTE_AUTH, resolver, issues);
  if (!auth || issues.length > before) return undefined;
  return { method, path, ...auth, apiKeyRequired: false, source: at };
}
