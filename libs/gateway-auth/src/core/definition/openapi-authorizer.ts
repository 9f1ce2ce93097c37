import type { ConfigIssue } from '../errors';
import {
  Unresolved,
  type ApiKind,
  type DefinitionAuthorizer,
  type DefinitionString,
} from './api-definition';
import { isRecord, pathKey } from './json-path';

/** What one security scheme means to API Gateway (OAS-01, OAS-03, OAS-04). */
export type SchemeMeaning =
  | { kind: 'apiKey' }
  | { kind: 'iam' }
  | { kind: 'authorizer'; authorizer: DefinitionAuthorizer }
  | { kind: 'invalid' };

const AUTHORIZER_TYPES: Readonly<Record<string, DefinitionAuthorizer['type']>> = {
  token: 'TOKEN',
  request: 'REQUEST',
  cognito_user_pools: 'COGNITO_USER_POOLS',
  jwt: 'JWT',
};

/** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`. */
const LAMBDA_URI =
  /^arn:(?:\$\{[^}]*\}|[^:]+):apigateway:(?:\$\{[^}]*\}|[^:]*):lambda:path\/[0-9-]+\/functions\/(.+)\/invocations$/;

/**
 * Reads one `securitySchemes` / `securityDefinitions` entry: a plain API-key scheme, AWS_IAM
 * (`x-amazon-apigateway-authtype: awsSigv4`), or an authorizer (`x-amazon-apigateway-authorizer`).
 * Problems are added to `issues` with their JSON paths.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
 */
export function readSecurityScheme(
  name: string,
  scheme: unknown,
  kind: ApiKind,
  path: string,
  issues: ConfigIssue[],
): SchemeMeaning {
  const bad = (at: string, message: string): SchemeMeaning => {
    issues.push({ path: at, message });
    return { kind: 'invalid' };
  };
  if (!isRecord(scheme)) return bad(path, 'must be a security scheme object');
  const authtype = scheme['x-amazon-apigateway-authtype'];
  const authorizer = scheme['x-amazon-apigateway-authorizer'];
  if (authtype !== undefined && typeof authtype !== 'string') {
    return bad(`${path}["x-amazon-apigateway-authtype"]`, 'must be a string');
  }
  if (typeof authtype === 'string' && authtype.toLowerCase().startsWith('aws')) {
    // Any aws* value is reserved and means IAM (OAS-03).
    if (authorizer !== undefined) {
      return bad(path, 'an awsSigv4 scheme cannot also have an x-amazon-apigateway-authorizer');
    }
    return { kind: 'iam' };
  }
  if (authorizer === undefined) {
    if (authtype !== undefined) {
      return bad(
        `${path}["x-amazon-apigateway-authorizer"]`,
        `x-amazon-apigateway-authtype "${authtype}" needs an x-amazon-apigateway-authorizer object`,
      );
    }
    if (scheme.type === 'apiKey') return { kind: 'apiKey' };
    return bad(
      path,
      `a ${JSON.stringify(scheme.type)} scheme without x-amazon-apigateway-authorizer is not an API Gateway authorizer (OAS-01)`,
    );
  }
  const at = `${path}["x-amazon-apigateway-authorizer"]`;
  if (!isRecord(authorizer)) return bad(at, 'must be an object');
  const header =
    typeof scheme.name === 'string' && scheme.in === 'header' ? scheme.name : undefined;
  const fields: AuthorizerFields = {
    get: (field) => (field === 'openIdConnectUrl' ? scheme.openIdConnectUrl : authorizer[field]),
    pathOf: (field) => `${at}${pathKey(field)}`,
  };
  const read = readAuthorizerFields(name, fields, header, kind, path, issues);
  return read ? { kind: 'authorizer', authorizer: read } : { kind: 'invalid' };
}

/**
 * The settings of one authorizer, by their OpenAPI names (`type`, `authorizerUri`,
 * `identitySource`, `providerARNs`, `jwtConfiguration`...), wherever they are written: an
 * `x-amazon-apigateway-authorizer` object or a template resource whose properties are mapped to
 * these names. `pathOf` names a field's JSON path for messages.
 */
export interface AuthorizerFields {
  get(field: string): unknown;
  pathOf(field: string): string;
}

/**
 * Normalizes and validates one authorizer (OAS-04, A-XAUTHZ).
 * @param header the header a REST token or Cognito authorizer reads when `identitySource` is absent.
 * @returns the authorizer, or `undefined` when it has problems (added to `issues`).
 */
export function readAuthorizerFields(
  name: string,
  fields: AuthorizerFields,
  header: string | undefined,
  kind: ApiKind,
  source: string,
  issues: ConfigIssue[],
): DefinitionAuthorizer | undefined {
  const before = issues.length;
  const rawType = fields.get('type');
  const typeName = typeof rawType === 'string' ? rawType.toLowerCase() : undefined;
  const type = typeName === undefined ? undefined : AUTHORIZER_TYPES[typeName];
  if (type === undefined) {
    issues.push({
      path: fields.pathOf('type'),
      message: `unknown authorizer type ${JSON.stringify(rawType)}: use token, request or cognito_user_pools (REST APIs), request or jwt (HTTP APIs)`,
    });
    return undefined;
  }
  if (kind === 'REST' && type === 'JWT') {
    issues.push({ path: fields.pathOf('type'), message: 'jwt authorizers belong to HTTP APIs' });
  }
  if (kind === 'HTTP' && (type === 'TOKEN' || type === 'COGNITO_USER_POOLS')) {
    issues.push({
      path: fields.pathOf('type'),
      message: `${typeName} authorizers belong to REST APIs`,
    });
  }
  const out: DefinitionAuthorizer = {
    name,
    type,
    identitySource: identitySources(
      fields.get('identitySource'),
      header,
      type,
      kind,
      fields.pathOf('identitySource'),
      issues,
    ),
    ttlSeconds: ttl(
      fields.get('authorizerResultTtlInSeconds'),
      type,
      kind,
      fields.pathOf('authorizerResultTtlInSeconds'),
      issues,
    ),
    source,
  };
  const text = (field: string): DefinitionString | undefined => {
    const value = fields.get(field);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || value instanceof Unresolved) return value;
    issues.push({ path: fields.pathOf(field), message: 'must be a string' });
    return undefined;
  };
  if (type === 'TOKEN' || type === 'REQUEST') {
    const uri = text('authorizerUri');
    if (uri === undefined) {
      issues.push({
        path: fields.pathOf('authorizerUri'),
        message: 'required: the Lambda function to invoke',
      });
    } else {
      out.authorizerUri = uri;
      out.functionArn = functionArnOf(uri, fields.pathOf('authorizerUri'), issues);
    }
    const credentials = text('authorizerCredentials');
    if (credentials !== undefined) out.authorizerCredentials = credentials;
  }
  const expression = text('identityValidationExpression');
  if (expression !== undefined) {
    if (type === 'REQUEST' || type === 'JWT') {
      issues.push({
        path: fields.pathOf('identityValidationExpression'),
        message: 'applies to token and cognito_user_pools authorizers only (LR-05)',
      });
    } else if (typeof expression === 'string' && !isRegex(expression)) {
      issues.push({
        path: fields.pathOf('identityValidationExpression'),
        message: 'not a valid regular expression',
      });
    } else out.identityValidationExpression = expression;
  }
  if (type === 'COGNITO_USER_POOLS') {
    const arns = stringList(fields.get('providerARNs'), fields.pathOf('providerARNs'), issues);
    if (arns.length === 0) {
      issues.push({
        path: fields.pathOf('providerARNs'),
        message: 'required: one or more user pool ARNs (COG-01)',
      });
    }
    out.providerArns = arns;
  }
  if (type === 'JWT') {
    const jwt = fields.get('jwtConfiguration');
    if (!isRecord(jwt)) {
      issues.push({
        path: fields.pathOf('jwtConfiguration'),
        message: 'required: { issuer, audience }',
      });
    } else {
      let issuer = jwt.issuer;
      const discovery = fields.get('openIdConnectUrl');
      if (issuer === undefined && typeof discovery === 'string') {
        // HJWT-07: the issuer can come from the discovery URL.
        issuer = discovery.replace(/\/\.well-known\/openid-configuration$/, '');
      }
      if (typeof issuer === 'string' || issuer instanceof Unresolved) out.issuer = issuer;
      else
        issues.push({
          path: `${fields.pathOf('jwtConfiguration')}.issuer`,
          message: 'required: the issuer URL',
        });
      const audience = stringList(
        jwt.audience,
        `${fields.pathOf('jwtConfiguration')}.audience`,
        issues,
      );
      if (audience.length === 0) {
        issues.push({
          path: `${fields.pathOf('jwtConfiguration')}.audience`,
          message: 'required: one or more audiences (HJWT-02)',
        });
      }
      out.audience = audience;
    }
  }
  if (type === 'REQUEST' && kind === 'HTTP') {
    const version = fields.get('authorizerPayloadFormatVersion');
    const v = typeof version === 'number' ? version.toFixed(1) : version;
    if (v !== '1.0' && v !== '2.0') {
      issues.push({
        path: fields.pathOf('authorizerPayloadFormatVersion'),
        message: 'required for HTTP API Lambda authorizers: "1.0" or "2.0" (HL-01)',
      });
    } else out.payloadFormatVersion = v;
    const simple = fields.get('enableSimpleResponses');
    if (simple !== undefined) {
      if (typeof simple !== 'boolean') {
        issues.push({
          path: fields.pathOf('enableSimpleResponses'),
          message: 'must be true or false',
        });
      } else if (simple && v !== '2.0') {
        issues.push({
          path: fields.pathOf('enableSimpleResponses'),
          message: 'needs payload format 2.0 (HL-03)',
        });
      } else out.enableSimpleResponses = simple;
    }
  }
  return issues.length > before ? undefined : out;
}

/** The function ARN inside an `authorizerUri`; unresolved parts stay named. */
export function functionArnOf(
  uri: DefinitionString,
  path: string,
  issues: ConfigIssue[],
): DefinitionString | undefined {
  const text = uri instanceof Unresolved ? uri.display : uri;
  const match = LAMBDA_URI.exec(text);
  if (!match) {
    issues.push({
      path,
      message:
        'must be arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations',
    });
    return undefined;
  }
  const arn = match[1] as string;
  const names = [...arn.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] as string);
  return names.length > 0 ? new Unresolved(names, arn) : arn;
}

function identitySources(
  value: unknown,
  header: string | undefined,
  type: DefinitionAuthorizer['type'],
  kind: ApiKind,
  path: string,
  issues: ConfigIssue[],
): DefinitionString[] {
  if (value === undefined) {
    if (type === 'TOKEN' || type === 'COGNITO_USER_POOLS') {
      // REST token and Cognito authorizers read the header the scheme names.
      return [`method.request.header.${header ?? 'Authorization'}`];
    }
    if (type === 'JWT') return ['$request.header.Authorization'];
    return [];
  }
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  if (value instanceof Unresolved) return [value];
  if (Array.isArray(value) && kind === 'HTTP') return stringList(value, path, issues);
  issues.push({ path, message: 'must be a comma-separated string of identity sources' });
  return [];
}

function ttl(
  value: unknown,
  type: DefinitionAuthorizer['type'],
  kind: ApiKind,
  path: string,
  issues: ConfigIssue[],
): number | null {
  if (value === undefined) {
    if (type === 'COGNITO_USER_POOLS' || type === 'JWT') return null;
    // LC-01: REST default 300. HTTP APIs: no documented import default (Q-HL-1); 0 never serves a
    // stale decision.
    return kind === 'REST' ? 300 : 0;
  }
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 3600) {
    issues.push({ path, message: 'must be an integer from 0 to 3600 (LC-01)' });
    return null;
  }
  return n;
}

function stringList(value: unknown, path: string, issues: ConfigIssue[]): DefinitionString[] {
  if (value === undefined) return [];
  if (typeof value === 'string' || value instanceof Unresolved) return [value];
  if (!Array.isArray(value)) {
    issues.push({ path, message: 'must be a list of strings' });
    return [];
  }
  const out: DefinitionString[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string' || item instanceof Unresolved) out.push(item);
    else issues.push({ path: `${path}[${i}]`, message: 'must be a string' });
  });
  return out;
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
