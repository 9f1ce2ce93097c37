import type { ConfigIssue } from '../errors';
import {
  Unresolved,
  type ApiDefinition,
  type DefinitionAuthorizer,
  type DefinitionRoute,
  type DefinitionString,
} from './api-definition';
import {
  nameOf,
  refTarget,
  resourcesOfType,
  stringListProperty,
  type TemplateResource,
} from './cfn-resources';
import type { IntrinsicResolver } from './intrinsics';
import { isRecord } from './json-path';
import { readAuthorizerFields } from './openapi-authorizer';
import { readOpenApi, type SecurityReadingOptions } from './read-openapi';
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

const AUTH_TYPES = new Set(['NONE', 'AWS_IAM', 'JWT', 'CUSTOM']);

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
  let definition: ApiDefinition = {
    kind: 'HTTP',
    format: 'cloudformation',
    name: api.id,
    routes: [],
    authorizers: [],
    apiKeySource: 'HEADER',
    warnings: [],
  };
  const props = api.properties;
  if (props.Body !== undefined) {
    const body = readOpenApi(
      resolver.resolve(props.Body, `${api.at}.Body`),
      { path: `${api.at}.Body`, kind: 'HTTP', name: api.id },
      options,
    );
    issues.push(...body.issues);
    definition = { ...body.definition, format: 'cloudformation', name: api.id };
  }
  if (props.BodyS3Location !== undefined) {
    issues.push({
      path: `${api.at}.BodyS3Location`,
      message: 'the definition is in S3: download it and pass the file, or inline it as Body',
    });
  }
  if (props.CorsConfiguration !== undefined) {
    definition.warnings.push(
      `${api.at}.CorsConfiguration: API Gateway answers HTTP API preflights itself, without auth; let your CORS middleware answer OPTIONS`,
    );
  }
  const mine = (r: TemplateResource): boolean => refTarget(r.properties.ApiId) === api.id;
  const authorizers = new Map<string, DefinitionAuthorizer>();
  for (const resource of resourcesOfType(
    template,
    'AWS::ApiGatewayV2::Authorizer',
    resolver,
    issues,
  ).filter(mine)) {
    const name = nameOf(resource, resolver);
    const fields = {
      get: (field: string): unknown => {
        const property = HTTP_AUTHORIZER_FIELDS[field];
        if (property === undefined) return undefined;
        const value = resolver.resolve(resource.properties[property], `${resource.at}.${property}`);
        if (field === 'jwtConfiguration' && isRecord(value))
          return { issuer: value.Issuer, audience: value.Audience };
        return value;
      },
      pathOf: (field: string): string => `${resource.at}.${HTTP_AUTHORIZER_FIELDS[field] ?? field}`,
    };
    const authorizer = readAuthorizerFields(name, fields, undefined, 'HTTP', resource.at, issues);
    if (authorizer) {
      definition.authorizers = definition.authorizers.filter((a) => a.name !== name);
      definition.authorizers.push(authorizer);
      authorizers.set(resource.id, authorizer);
    }
  }
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
  const type = resolver.resolve(p.AuthorizationType ?? 'NONE', `${at}.AuthorizationType`);
  if (typeof type !== 'string' || !AUTH_TYPES.has(type.toUpperCase())) {
    issues.push({
      path: `${at}.AuthorizationType`,
      message: 'must be NONE, AWS_IAM, JWT or CUSTOM',
    });
    return undefined;
  }
  const auth = type.toUpperCase() as DefinitionRoute['auth'];
  let authorizer: string | null = null;
  if (auth === 'JWT' || auth === 'CUSTOM') {
    const id = refTarget(p.AuthorizerId);
    const found = id === undefined ? undefined : authorizers.get(id);
    if (!found) {
      issues.push({
        path: `${at}.AuthorizerId`,
        message: `${auth} needs !Ref of an AWS::ApiGatewayV2::Authorizer of ${api.id} (a missing authorizer)`,
      });
    } else if ((auth === 'JWT') !== (found.type === 'JWT')) {
      issues.push({
        path: `${at}.AuthorizerId`,
        message: `${found.name} is a ${found.type} authorizer, not one for ${auth}`,
      });
    } else authorizer = found.name;
  }
  const scopes: DefinitionString[] = [];
  for (const scope of stringListProperty(
    resolver.resolve(p.AuthorizationScopes, `${at}.AuthorizationScopes`),
  ) ?? []) {
    if (typeof scope === 'string' || scope instanceof Unresolved) scopes.push(scope);
    else issues.push({ path: `${at}.AuthorizationScopes`, message: 'must be a list of strings' });
  }
  if (scopes.length > 0 && auth !== 'JWT') {
    issues.push({ path: `${at}.AuthorizationScopes`, message: 'scopes apply to JWT routes only' });
  }
  if (issues.length > before) return undefined;
  return { method, path, auth, authorizer, scopes, apiKeyRequired: false, source: at };
}
