import type { ConfigIssue } from '../errors';
import {
  Unresolved,
  type ApiDefinition,
  type DefinitionAuthorizer,
  type DefinitionRoute,
} from './api-definition';
import {
  getAttTarget,
  readApiBody,
  readAuthorizerResources,
  readResourceAuth,
  refTarget,
  type MethodAuthShape,
  resourcesOfType,
  type TemplateResource,
} from './cfn-resources';
import type { IntrinsicResolver } from './intrinsics';
import { readGatewayResponses, type SecurityReadingOptions } from './read-openapi';

/** `AuthorizerUri` etc. as the OpenAPI names `readAuthorizerFields` reads. */
const REST_AUTHORIZER_FIELDS: Readonly<Record<string, string>> = {
  type: 'Type',
  authorizerUri: 'AuthorizerUri',
  authorizerCredentials: 'AuthorizerCredentials',
  identitySource: 'IdentitySource',
  identityValidationExpression: 'IdentityValidationExpression',
  authorizerResultTtlInSeconds: 'AuthorizerResultTtlInSeconds',
  providerARNs: 'ProviderARNs',
};

/**
 * A REST API written as CloudFormation: `AWS::ApiGateway::RestApi` (its `Body`, `Policy`,
 * `ApiKeySourceType`) plus the `Resource` tree, `Method`s (`AuthorizationType`, `AuthorizerId`,
 * `AuthorizationScopes`, `ApiKeyRequired`), `Authorizer`s and `GatewayResponse`s aimed at it.
 * Methods written as resources win over the same method in `Body`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
 */
export function readCfnRestApi(
  template: Record<string, unknown>,
  api: TemplateResource,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
  options: SecurityReadingOptions,
): ApiDefinition {
  const definition = readApiBody(api, 'REST', resolver, issues, options);
  const props = api.properties;
  if (props.Policy !== undefined) {
    let policy = resolver.resolve(props.Policy, `${api.at}.Policy`);
    if (typeof policy === 'string') {
      try {
        policy = JSON.parse(policy) as unknown;
      } catch {
        issues.push({ path: `${api.at}.Policy`, message: 'is not JSON' });
      }
    }
    definition.resourcePolicy = { document: policy, source: `${api.at}.Policy` };
  }
  const keySource = resolver.resolve(props.ApiKeySourceType, `${api.at}.ApiKeySourceType`);
  if (keySource === 'HEADER' || keySource === 'AUTHORIZER') definition.apiKeySource = keySource;
  else if (keySource !== undefined)
    issues.push({ path: `${api.at}.ApiKeySourceType`, message: 'must be HEADER or AUTHORIZER' });

  const mine = (r: TemplateResource): boolean => refTarget(r.properties.RestApiId) === api.id;
  const authorizerNames = readAuthorizerResources(
    template,
    api,
    {
      type: 'AWS::ApiGateway::Authorizer',
      apiProperty: 'RestApiId',
      fields: REST_AUTHORIZER_FIELDS,
    },
    definition,
    resolver,
    issues,
  );

  const paths = resourcePaths(template, api, resolver, issues);
  const byKey = new Map(definition.routes.map((r) => [`${r.method} ${r.path}`, r]));
  for (const method of resourcesOfType(
    template,
    'AWS::ApiGateway::Method',
    resolver,
    issues,
  ).filter(mine)) {
    const route = readMethod(method, api, paths, authorizerNames, resolver, issues);
    if (route) byKey.set(`${route.method} ${route.path}`, route);
  }
  definition.routes = [...byKey.values()];

  const responses: Record<string, unknown> = {};
  for (const response of resourcesOfType(
    template,
    'AWS::ApiGateway::GatewayResponse',
    resolver,
    issues,
  ).filter(mine)) {
    const p = resolver.resolve(response.properties, response.at) as Record<string, unknown>;
    if (typeof p.ResponseType !== 'string') {
      issues.push({
        path: `${response.at}.ResponseType`,
        message: 'required: a gateway response type',
      });
      continue;
    }
    responses[p.ResponseType] = {
      statusCode: p.StatusCode,
      responseParameters: p.ResponseParameters,
      responseTemplates: p.ResponseTemplates,
    };
  }
  if (Object.keys(responses).length > 0) {
    definition.gatewayResponses = {
      ...definition.gatewayResponses,
      ...readGatewayResponses(
        responses,
        `$.Resources (AWS::ApiGateway::GatewayResponse of ${api.id})`,
        issues,
        definition.warnings,
      ),
    };
  }
  return definition;
}

/** Path of every `AWS::ApiGateway::Resource` of the API, by logical id; the root is `''`. */
function resourcePaths(
  template: Record<string, unknown>,
  api: TemplateResource,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): Map<string, string> {
  const nodes = new Map<string, { parent: unknown; part: unknown; at: string }>();
  for (const r of resourcesOfType(template, 'AWS::ApiGateway::Resource', resolver, issues)) {
    if (refTarget(r.properties.RestApiId) !== api.id) continue;
    nodes.set(r.id, {
      parent: r.properties.ParentId,
      part: resolver.resolve(r.properties.PathPart, `${r.at}.PathPart`),
      at: r.at,
    });
  }
  const paths = new Map<string, string>();
  const visit = (id: string, trail: string[]): string | undefined => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id);
    if (!node) return undefined;
    if (trail.includes(id)) {
      issues.push({
        path: `${node.at}.ParentId`,
        message: `resources form a cycle: ${[...trail, id].join(' → ')}`,
      });
      return undefined;
    }
    if (typeof node.part !== 'string' || node.part === '') {
      issues.push({
        path: `${node.at}.PathPart`,
        message:
          node.part instanceof Unresolved
            ? `depends on ${node.part.names.join(', ')}: supply them as parameters`
            : 'required: a path segment',
      });
      return undefined;
    }
    let parentPath: string | undefined;
    if (getAttTarget(node.parent, 'RootResourceId') === api.id) parentPath = '';
    else {
      const parent = refTarget(node.parent);
      parentPath = parent === undefined ? undefined : visit(parent, [...trail, id]);
      if (parentPath === undefined && (parent === undefined || !nodes.has(parent))) {
        issues.push({
          path: `${node.at}.ParentId`,
          message: `must be !GetAtt ${api.id}.RootResourceId or !Ref of another resource of ${api.id}`,
        });
      }
    }
    if (parentPath === undefined) return undefined;
    const path = `${parentPath}/${node.part}`;
    paths.set(id, path);
    return path;
  };
  for (const id of nodes.keys()) visit(id, []);
  return paths;
}

const REST_METHOD_AUTH: MethodAuthShape = {
  types: new Set(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']),
  tokenType: 'COGNITO_USER_POOLS',
  authorizerType: 'AWS::ApiGateway::Authorizer',
};

function readMethod(
  method: TemplateResource,
  api: TemplateResource,
  paths: ReadonlyMap<string, string>,
  authorizers: ReadonlyMap<string, DefinitionAuthorizer>,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): DefinitionRoute | undefined {
  const p = method.properties;
  const before = issues.length;
  let path: string | undefined;
  if (getAttTarget(p.ResourceId, 'RootResourceId') === api.id) path = '/';
  else {
    const target = refTarget(p.ResourceId);
    path = target === undefined ? undefined : paths.get(target);
    if (path === undefined) {
      issues.push({
        path: `${method.at}.ResourceId`,
        message: `must be !GetAtt ${api.id}.RootResourceId or !Ref of a resource of ${api.id} with a readable path`,
      });
      return undefined;
    }
  }
  const verb = resolver.resolve(p.HttpMethod, `${method.at}.HttpMethod`);
  if (typeof verb !== 'string') {
    issues.push({ path: `${method.at}.HttpMethod`, message: 'required: an HTTP method or ANY' });
    return undefined;
  }
  const auth = readResourceAuth(
    p,
    method.at,
    api.id,
    authorizers,
    REST_METHOD_AUTH,
    resolver,
    issues,
  );
  const key = resolver.resolve(p.ApiKeyRequired, `${method.at}.ApiKeyRequired`);
  if (!auth || issues.length > before) return undefined;
  return {
    method: verb.toUpperCase(),
    path,
    ...auth,
    apiKeyRequired: key === true || key === 'true',
    source: method.at,
  };
}
