import type { ConfigIssue } from '../errors';
import { Unresolved } from './api-definition';
import type { IntrinsicResolver } from './intrinsics';
import { isRecord, pathKey } from './json-path';

/** The OpenAPI document SAM would generate for one API, and the CORS preflights it added. */
export interface SamOpenApi {
  document: Record<string, unknown>;
  /** `METHOD path` of the OPTIONS methods `Cors` generated. */
  preflights: Set<string>;
  /** Where the document's parts come from, for messages. */
  path: string;
  warnings: string[];
  /** Names of the authorizers `Auth.Authorizers` declares. */
  authorizerNames: Set<string>;
}

/** One function event aimed at the API (`Type: Api` / `Type: HttpApi`). */
interface ApiEvent {
  path: string;
  method: string;
  auth: Record<string, unknown>;
  at: string;
}

const INTEGRATION = 'x-amazon-apigateway-integration';
const ANY = 'x-amazon-apigateway-any-method';

/**
 * What AWS SAM's transform makes of an `AWS::Serverless::Api` (REST) or `AWS::Serverless::HttpApi`
 * (HTTP) and the function events aimed at it, reduced to the auth-relevant parts of the OpenAPI
 * document SAM generates: methods (with an integration marker, as SAM only secures methods that
 * have one), `Auth.Authorizers` as security schemes, `DefaultAuthorizer`, per-event `Auth`
 * overrides, `ApiKeyRequired`, `Cors` preflights (`AddDefaultAuthorizerToCorsPreflight`),
 * `GatewayResponses` and `ResourcePolicy.CustomStatements`. The result is read like any OpenAPI
 * document, so SAM's own expected outputs can check it.
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
 * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/swagger/swagger.py
 */
export function samToOpenApi(
  template: Record<string, unknown>,
  logicalId: string,
  kind: 'REST' | 'HTTP',
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): SamOpenApi {
  const resources = isRecord(template.Resources) ? template.Resources : {};
  const globals = isRecord(template.Globals) ? template.Globals : {};
  const globalApi = kind === 'REST' ? globals.Api : globals.HttpApi;
  const resource = Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined;
  const at = `$.Resources${pathKey(logicalId)}.Properties`;
  const raw = merge(
    isRecord(globalApi) ? globalApi : {},
    isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : {},
  );
  const props = resolver.resolve(raw, at) as Record<string, unknown>;
  const openapi3 =
    kind === 'HTTP' ||
    (typeof props.OpenApiVersion === 'string' && props.OpenApiVersion.startsWith('3'));
  let document: Record<string, unknown>;
  if (props.DefinitionBody !== undefined) {
    document = isRecord(props.DefinitionBody) ? structuredCloneSafe(props.DefinitionBody) : {};
    if (!isRecord(props.DefinitionBody))
      issues.push({ path: `${at}.DefinitionBody`, message: 'must be an OpenAPI object' });
  } else if (props.DefinitionUri !== undefined) {
    issues.push({
      path: `${at}.DefinitionUri`,
      message:
        'an external definition cannot be read from the template: pass that OpenAPI file, or inline it as DefinitionBody',
    });
    document = {};
  } else {
    document = openapi3
      ? { openapi: '3.0.1', info: {}, paths: {} }
      : { swagger: '2.0', info: {}, paths: {} };
  }
  if (!isRecord(document.paths)) document.paths = {};
  const paths = document.paths as Record<string, Record<string, unknown>>;
  const auth = isRecord(props.Auth) ? props.Auth : {};
  const authorizers = isRecord(auth.Authorizers) ? auth.Authorizers : {};
  const schemes = securitySchemes(document, openapi3);
  const preflights = new Set<string>();
  const warnings: string[] = [];

  for (const [name, config] of Object.entries(authorizers)) {
    const schemeAt = `${at}.Auth.Authorizers${pathKey(name)}`;
    if (!isRecord(config)) {
      issues.push({ path: schemeAt, message: 'must be an authorizer object' });
      continue;
    }
    schemes[name] =
      kind === 'REST'
        ? restScheme(config, schemeAt, resolver, issues)
        : httpScheme(config, schemeAt, resolver, issues);
  }
  const useIam = (): void => {
    schemes.AWS_IAM ??= {
      'x-amazon-apigateway-authtype': 'awsSigv4',
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
    };
  };
  if (kind === 'HTTP' && auth.EnableIamAuthorizer === true) useIam();

  // Function events first, then the API's own settings, in SAM's order.
  for (const event of apiEvents(resources, logicalId, kind, resolver, issues)) {
    const method = event.method === 'any' ? ANY : event.method;
    const item = (paths[event.path] ??= {});
    if (isRecord(item[method]) && isRecord(item[method][INTEGRATION])) {
      // SAM: REST refuses a second integration; HTTP keeps the one DefinitionBody wrote.
      if (kind === 'REST') {
        issues.push({
          path: event.at,
          message: `${event.method.toUpperCase()} ${event.path} has two function events`,
        });
      }
      continue;
    }
    const operation = isRecord(item[method]) ? item[method] : {};
    operation[INTEGRATION] = { type: 'aws_proxy' };
    item[method] = operation;
    addMethodAuth(operation, event.auth, authorizers, useIam);
  }
  if (kind === 'REST' && props.Cors !== undefined && props.Cors !== null) {
    for (const [path, item] of Object.entries(paths)) {
      if (!isRecord(item) || item.options !== undefined) continue;
      item.options = { [INTEGRATION]: { type: 'mock' }, summary: 'CORS support' };
      preflights.add(`OPTIONS ${path}`);
    }
  }
  if (kind === 'HTTP' && props.CorsConfiguration !== undefined) {
    warnings.push(
      `${at}.CorsConfiguration: API Gateway answers HTTP API preflights itself, without auth; let your CORS middleware answer OPTIONS`,
    );
  }
  const defaultAuthorizer =
    typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined;
  if (auth.DefaultAuthorizer !== undefined && defaultAuthorizer === undefined) {
    issues.push({ path: `${at}.Auth.DefaultAuthorizer`, message: 'must be an authorizer name' });
  }
  if (defaultAuthorizer !== undefined) {
    if (defaultAuthorizer === 'AWS_IAM') useIam();
    else if (!Object.hasOwn(authorizers, defaultAuthorizer)) {
      issues.push({
        path: `${at}.Auth.DefaultAuthorizer`,
        message: `${JSON.stringify(defaultAuthorizer)} is not one of Auth.Authorizers (${Object.keys(authorizers).join(', ') || 'none'})`,
      });
    }
    const toPreflight = auth.AddDefaultAuthorizerToCorsPreflight !== false;
    const names = new Set(['AWS_IAM', ...Object.keys(authorizers)]);
    forEachIntegratedMethod(paths, (method, operation) => {
      if (method === 'options' && !toPreflight) return;
      const security = Array.isArray(operation.security)
        ? (operation.security as Record<string, unknown>[])
        : [];
      const others = security.filter((s) => !Object.keys(s).some((k) => names.has(k)));
      const mine = security.filter((s) => Object.keys(s).some((k) => names.has(k)));
      const none = others.findIndex((s) => Object.hasOwn(s, 'NONE'));
      if (none >= 0) others.splice(none, 1);
      else if (mine.length === 0)
        mine.push({ [defaultAuthorizer]: scopesOf(authorizers, defaultAuthorizer) ?? [] });
      const next = [...others, ...(none >= 0 ? [] : mine)];
      if (next.length > 0) operation.security = next;
      else delete operation.security;
    });
  }
  if (auth.ApiKeyRequired === true) {
    const toPreflight = auth.AddApiKeyRequiredToCorsPreflight !== false;
    forEachIntegratedMethod(paths, (method, operation) => {
      if (method === 'options' && !toPreflight) return;
      const security = Array.isArray(operation.security)
        ? (operation.security as Record<string, unknown>[])
        : [];
      const others = security.filter(
        (s) => !Object.hasOwn(s, 'api_key') && !Object.hasOwn(s, 'api_key_false'),
      );
      const optedOut = security.some((s) => Object.hasOwn(s, 'api_key_false'));
      operation.security = optedOut ? others : [...others, { api_key: [] }];
    });
  }
  if (usesApiKey(paths)) schemes.api_key ??= { type: 'apiKey', name: 'x-api-key', in: 'header' };
  const gatewayResponses = props.GatewayResponses;
  if (gatewayResponses !== undefined) {
    document['x-amazon-apigateway-gateway-responses'] = samGatewayResponses(
      gatewayResponses,
      `${at}.GatewayResponses`,
      issues,
    );
  }
  const policy = isRecord(auth.ResourcePolicy) ? auth.ResourcePolicy : undefined;
  if (policy) {
    for (const key of Object.keys(policy)) {
      if (key !== 'CustomStatements') {
        issues.push({
          path: `${at}.Auth.ResourcePolicy${pathKey(key)}`,
          message: `${key} is not read here: write the statement as CustomStatements (fails closed rather than guess)`,
        });
      }
    }
    const statements = Array.isArray(policy.CustomStatements)
      ? policy.CustomStatements
      : isRecord(policy.CustomStatements)
        ? [policy.CustomStatements]
        : [];
    document['x-amazon-apigateway-policy'] = { Version: '2012-10-17', Statement: statements };
  }
  return {
    document,
    preflights,
    warnings,
    path: at,
    authorizerNames: new Set(Object.keys(authorizers)),
  };
}

/** A REST authorizer as SAM writes it into `securityDefinitions` (`ApiGatewayAuthorizer.generate_swagger`). */
function restScheme(
  config: Record<string, unknown>,
  at: string,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): Record<string, unknown> {
  const identity = isRecord(config.Identity) ? config.Identity : {};
  const authorizer: Record<string, unknown> = {};
  const scheme: Record<string, unknown> = {
    type: 'apiKey',
    in: 'header',
    'x-amazon-apigateway-authorizer': authorizer,
  };
  if (identity.ReauthorizeEvery !== undefined)
    authorizer.authorizerResultTtlInSeconds = identity.ReauthorizeEvery;
  if (config.UserPoolArn !== undefined) {
    scheme.name = identity.Header ?? 'Authorization';
    scheme['x-amazon-apigateway-authtype'] = 'cognito_user_pools';
    authorizer.type = 'cognito_user_pools';
    authorizer.providerARNs = Array.isArray(config.UserPoolArn)
      ? config.UserPoolArn
      : [config.UserPoolArn];
    if (identity.ValidationExpression !== undefined)
      authorizer.identityValidationExpression = identity.ValidationExpression;
    return scheme;
  }
  if (config.FunctionArn === undefined) {
    issues.push({ path: at, message: 'needs UserPoolArn (Cognito) or FunctionArn (Lambda)' });
    return scheme;
  }
  scheme['x-amazon-apigateway-authtype'] = 'custom';
  authorizer.authorizerUri = lambdaUri(config.FunctionArn, `${at}.FunctionArn`, resolver, issues);
  if (typeof config.FunctionInvokeRole === 'string' && config.FunctionInvokeRole !== 'NONE') {
    authorizer.authorizerCredentials = config.FunctionInvokeRole;
  }
  const payload = config.FunctionPayloadType ?? 'TOKEN';
  if (payload === 'REQUEST') {
    scheme.name = 'Unused';
    authorizer.type = 'request';
    const sources = [
      ...list(identity.Headers).map((h) => `method.request.header.${h}`),
      ...list(identity.QueryStrings).map((q) => `method.request.querystring.${q}`),
      ...list(identity.StageVariables).map((v) => `stageVariables.${v}`),
      ...list(identity.Context).map((c) => `context.${c}`),
    ];
    if (sources.length > 0) authorizer.identitySource = sources.join(', ');
  } else if (payload === 'TOKEN') {
    scheme.name = identity.Header ?? 'Authorization';
    authorizer.type = 'token';
    if (identity.ValidationExpression !== undefined)
      authorizer.identityValidationExpression = identity.ValidationExpression;
  } else {
    issues.push({ path: `${at}.FunctionPayloadType`, message: 'must be TOKEN or REQUEST' });
  }
  return scheme;
}

/** An HTTP API authorizer as SAM writes it into `components.securitySchemes`. */
function httpScheme(
  config: Record<string, unknown>,
  at: string,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): Record<string, unknown> {
  if (config.JwtConfiguration !== undefined) {
    const jwt = isRecord(config.JwtConfiguration) ? config.JwtConfiguration : {};
    const authorizer: Record<string, unknown> = {
      type: 'jwt',
      jwtConfiguration: {
        issuer: jwt.issuer ?? jwt.Issuer,
        audience: jwt.audience ?? jwt.Audience,
      },
      identitySource: config.IdentitySource ?? '$request.header.Authorization',
    };
    const scheme: Record<string, unknown> = {
      type: 'oauth2',
      'x-amazon-apigateway-authorizer': authorizer,
    };
    if (config.OpenIdConnectUrl !== undefined) scheme.openIdConnectUrl = config.OpenIdConnectUrl;
    return scheme;
  }
  if (config.FunctionArn === undefined) {
    issues.push({ path: at, message: 'needs JwtConfiguration (JWT) or FunctionArn (Lambda)' });
    return {};
  }
  const identity = isRecord(config.Identity) ? config.Identity : {};
  const sources = [
    ...list(identity.Context).map((c) => `$context.${c}`),
    ...list(identity.Headers).map((h) => `$request.header.${h}`),
    ...list(identity.QueryStrings).map((q) => `$request.querystring.${q}`),
    ...list(identity.StageVariables).map((v) => `$stageVariables.${v}`),
  ];
  const authorizer: Record<string, unknown> = {
    type: 'request',
    authorizerUri: lambdaUri(config.FunctionArn, `${at}.FunctionArn`, resolver, issues),
    identitySource: sources.length > 0 ? sources : ['$request.header.Authorization'],
    authorizerPayloadFormatVersion: config.AuthorizerPayloadFormatVersion,
  };
  if (identity.ReauthorizeEvery !== undefined)
    authorizer.authorizerResultTtlInSeconds = identity.ReauthorizeEvery;
  if (config.EnableSimpleResponses !== undefined)
    authorizer.enableSimpleResponses = config.EnableSimpleResponses;
  if (config.FunctionInvokeRole !== undefined)
    authorizer.authorizerCredentials = config.FunctionInvokeRole;
  return {
    type: 'apiKey',
    name: 'Unused',
    in: 'header',
    'x-amazon-apigateway-authorizer': authorizer,
  };
}

/** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{FunctionArn}/invocations`. */
function lambdaUri(
  functionArn: unknown,
  at: string,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): unknown {
  if (typeof functionArn !== 'string' && !(functionArn instanceof Unresolved)) {
    issues.push({ path: at, message: 'must be a Lambda function ARN' });
    return undefined;
  }
  const partition = resolver.resolve({ Ref: 'AWS::Partition' }, at);
  const region = resolver.resolve({ Ref: 'AWS::Region' }, at);
  const parts = [partition, region, functionArn];
  const text = (v: unknown): string => (v instanceof Unresolved ? v.display : String(v));
  const uri = `arn:${text(partition)}:apigateway:${text(region)}:lambda:path/2015-03-31/functions/${text(functionArn)}/invocations`;
  const names = [...new Set(parts.flatMap((p) => (p instanceof Unresolved ? p.names : [])))];
  return names.length > 0 ? new Unresolved(names, uri) : uri;
}

/** SAM's per-method `Auth` (`SwaggerEditor.add_auth_to_method`). */
function addMethodAuth(
  operation: Record<string, unknown>,
  auth: Record<string, unknown>,
  authorizers: Record<string, unknown>,
  useIam: () => void,
): void {
  const security = Array.isArray(operation.security) ? (operation.security as unknown[]) : [];
  const name = auth.Authorizer;
  if (typeof name === 'string') {
    const scopes =
      auth.AuthorizationScopes ?? (name === 'NONE' ? undefined : scopesOf(authorizers, name));
    security.push({ [name]: name !== 'NONE' && Array.isArray(scopes) ? scopes : [] });
    if (name === 'AWS_IAM') useIam();
  }
  if (auth.ApiKeyRequired === true) security.push({ api_key: [] });
  if (auth.ApiKeyRequired === false) security.push({ api_key_false: [] });
  if (security.length > 0) operation.security = security;
}

/** An authorizer's own `AuthorizationScopes` (the default of the methods using it). */
function scopesOf(authorizers: Record<string, unknown>, name: string): unknown[] | undefined {
  const config = Object.hasOwn(authorizers, name) ? authorizers[name] : undefined;
  return isRecord(config) && Array.isArray(config.AuthorizationScopes)
    ? config.AuthorizationScopes
    : undefined;
}

/** The function events aimed at `logicalId`, in template order, with their resolved fields. */
function apiEvents(
  resources: Record<string, unknown>,
  logicalId: string,
  kind: 'REST' | 'HTTP',
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): ApiEvent[] {
  const implicit = kind === 'REST' ? 'ServerlessRestApi' : 'ServerlessHttpApi';
  const out: ApiEvent[] = [];
  for (const [fnId, fn] of Object.entries(resources)) {
    if (!isRecord(fn) || fn.Type !== 'AWS::Serverless::Function' || !isRecord(fn.Properties))
      continue;
    const events = fn.Properties.Events;
    if (!isRecord(events)) continue;
    if (typeof fn.Condition === 'string') {
      const present = resolver.condition(fn.Condition, `$.Resources${pathKey(fnId)}.Condition`);
      if (present === false) continue;
      if (present instanceof Unresolved) {
        issues.push({
          path: `$.Resources${pathKey(fnId)}.Condition`,
          message: `whether ${fnId}'s routes exist depends on ${present.names.join(', ')}: supply them as parameters`,
        });
        continue;
      }
    }
    for (const [eventId, event] of Object.entries(events)) {
      const at = `$.Resources${pathKey(fnId)}.Properties.Events${pathKey(eventId)}`;
      if (!isRecord(event) || event.Type !== (kind === 'REST' ? 'Api' : 'HttpApi')) continue;
      const p = isRecord(event.Properties) ? event.Properties : {};
      const target = p[kind === 'REST' ? 'RestApiId' : 'ApiId'];
      const targetId =
        target === undefined
          ? implicit
          : isRecord(target) && typeof target.Ref === 'string'
            ? target.Ref
            : typeof target === 'string'
              ? target
              : undefined;
      if (targetId !== logicalId) continue;
      const path = resolver.resolve(p.Path, `${at}.Properties.Path`);
      const method = resolver.resolve(p.Method, `${at}.Properties.Method`);
      if (kind === 'HTTP' && path === undefined && method === undefined) {
        out.push({ path: '$default', method: 'any', auth: authOf(p, at, resolver), at });
        continue;
      }
      if (typeof path !== 'string' || typeof method !== 'string') {
        const missing = [path, method].find((v) => v instanceof Unresolved);
        issues.push({
          path: `${at}.Properties`,
          message:
            missing instanceof Unresolved
              ? `the route depends on ${missing.names.join(', ')}: supply them as parameters`
              : 'needs Path and Method strings',
        });
        continue;
      }
      out.push({ path, method: method.toLowerCase(), auth: authOf(p, at, resolver), at });
    }
  }
  return out;
}

function authOf(
  p: Record<string, unknown>,
  at: string,
  resolver: IntrinsicResolver,
): Record<string, unknown> {
  const auth = resolver.resolve(p.Auth, `${at}.Properties.Auth`);
  return isRecord(auth) ? auth : {};
}

function forEachIntegratedMethod(
  paths: Record<string, Record<string, unknown>>,
  visit: (method: string, operation: Record<string, unknown>) => void,
): void {
  for (const item of Object.values(paths)) {
    if (!isRecord(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (method === 'parameters' || !isRecord(operation) || !isRecord(operation[INTEGRATION]))
        continue;
      visit(method, operation);
    }
  }
}

function usesApiKey(paths: Record<string, Record<string, unknown>>): boolean {
  return Object.values(paths).some(
    (item) =>
      isRecord(item) &&
      Object.values(item).some(
        (op) =>
          isRecord(op) &&
          Array.isArray(op.security) &&
          op.security.some((s) => isRecord(s) && Object.hasOwn(s, 'api_key')),
      ),
  );
}

/** The document's scheme map, created where SAM would put it. */
function securitySchemes(
  document: Record<string, unknown>,
  openapi3: boolean,
): Record<string, unknown> {
  if (openapi3 || typeof document.openapi === 'string') {
    const components = isRecord(document.components)
      ? document.components
      : (document.components = {});
    const c = components;
    return isRecord(c.securitySchemes) ? c.securitySchemes : (c.securitySchemes = {});
  }
  return isRecord(document.securityDefinitions)
    ? document.securityDefinitions
    : (document.securityDefinitions = {});
}

/** SAM `GatewayResponses` as `x-amazon-apigateway-gateway-responses`. */
function samGatewayResponses(
  value: unknown,
  at: string,
  issues: ConfigIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(value)) {
    issues.push({ path: at, message: 'must be an object keyed by response type' });
    return out;
  }
  for (const [type, config] of Object.entries(value)) {
    if (!isRecord(config)) continue;
    const parameters: Record<string, unknown> = {};
    const rp = isRecord(config.ResponseParameters) ? config.ResponseParameters : {};
    for (const [section, prefix] of [
      ['Headers', 'header'],
      ['Paths', 'path'],
      ['QueryStrings', 'querystring'],
    ] as const) {
      const entries = isRecord(rp[section]) ? rp[section] : {};
      for (const [name, v] of Object.entries(entries))
        parameters[`gatewayresponse.${prefix}.${name}`] = v;
    }
    const response: Record<string, unknown> = {};
    if (config.StatusCode !== undefined) response.statusCode = config.StatusCode;
    if (Object.keys(parameters).length > 0) response.responseParameters = parameters;
    if (config.ResponseTemplates !== undefined)
      response.responseTemplates = config.ResponseTemplates;
    out[type] = response;
  }
  return out;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** SAM Globals: maps merge (the resource wins), anything else is the resource's. */
function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isRecord(b) && isRecord(v) && !isIntrinsic(v) && !isIntrinsic(b) ? merge(b, v) : v;
  }
  return out;
}

function isIntrinsic(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] as string).startsWith('Fn::'));
}

/** A deep copy of resolved template data (plain values and {@link Unresolved} markers). */
function structuredCloneSafe(value: Record<string, unknown>): Record<string, unknown> {
  const copy = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(copy)
      : isRecord(v) && !(v instanceof Unresolved)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]))
        : v;
  return copy(value) as Record<string, unknown>;
}
