import type { ConfigIssue } from '../errors';
import type {
  GatewayResponseOverride,
  GatewayResponsesOptions,
  GatewayResponseType,
} from '../gateway-responses';
import { GATEWAY_RESPONSE_DEFAULTS } from '../gateway-responses';
import {
  Unresolved,
  type ApiDefinition,
  type ApiKind,
  type DefinitionAuthorizer,
  type DefinitionRoute,
  type DefinitionString,
} from './api-definition';
import { isRecord, pathKey } from './json-path';
import { readSecurityScheme, type SchemeMeaning } from './openapi-authorizer';
import { parseApiGatewayPath } from './route-template';

/** How a definition's security requirements are read where API Gateway's behaviour is unsettled. */
export interface SecurityReadingOptions {
  /**
   * Root-level `security`: `ignore` (default: API Gateway ignores it on import, OAS-02) or `apply`
   * (to operations without their own `security`, as OpenAPI itself means).
   */
  rootSecurity?: 'ignore' | 'apply';
  /**
   * An operation naming two authorizers, AND-ed or as alternatives (Q-OAS-1): `error` (default:
   * API Gateway enforces one authorizer per method, and guessing which could open the route) or
   * `first` (the first one listed).
   */
  multipleAuthorizers?: 'error' | 'first';
}

const METHODS: Readonly<Record<string, string>> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

/** Keys of a path item that are not operations. */
const PATH_ITEM_FIELDS = new Set([
  'parameters',
  'summary',
  'description',
  'servers',
  '$ref',
  'trace',
]);

/** Where a document sits (its JSON path in the file) and which API family it describes. */
export interface OpenApiSource {
  /** JSON path of the document, `$` for a file of its own. */
  path: string;
  /** REST or HTTP when the container says (a template resource); otherwise detected. */
  kind?: ApiKind;
  name?: string;
}

/**
 * Reads an OpenAPI 3 or Swagger 2 document with API Gateway's extensions into an
 * {@link ApiDefinition}: one route per path and method (`x-amazon-apigateway-any-method` as `ANY`),
 * each with the authorization API Gateway would import from its `security` (OAS-02..06), the
 * authorizers of `securitySchemes`/`securityDefinitions`, `x-amazon-apigateway-policy` and
 * `x-amazon-apigateway-gateway-responses`. Every problem is collected with its JSON path.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
export function readOpenApi(
  document: unknown,
  source: OpenApiSource,
  options: SecurityReadingOptions = {},
): { definition: ApiDefinition; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const at = source.path;
  const doc = isRecord(document) ? document : {};
  if (!isRecord(document)) issues.push({ path: at, message: 'must be an OpenAPI object' });
  const version =
    typeof doc.openapi === 'string' ? 'openapi-3' : doc.swagger === '2.0' ? 'swagger-2' : undefined;
  if (version === undefined && isRecord(document)) {
    issues.push({
      path: `${at}.openapi`,
      message: 'not an OpenAPI document: "openapi: 3.x" or "swagger: \'2.0\'" is required',
    });
  }
  const kind = source.kind ?? detectKind(doc);
  const refs = new RefResolver(doc, at, issues);
  const definition: ApiDefinition = {
    kind,
    format: version ?? 'openapi-3',
    name:
      source.name ??
      (isRecord(doc.info) && typeof doc.info.title === 'string' ? doc.info.title : undefined),
    routes: [],
    authorizers: [],
    apiKeySource: 'HEADER',
    warnings: [],
  };

  const schemesAt =
    version === 'swagger-2' ? `${at}.securityDefinitions` : `${at}.components.securitySchemes`;
  const rawSchemes =
    version === 'swagger-2'
      ? doc.securityDefinitions
      : isRecord(doc.components)
        ? doc.components.securitySchemes
        : undefined;
  const schemes = new Map<string, SchemeMeaning>();
  if (rawSchemes !== undefined && !isRecord(rawSchemes))
    issues.push({ path: schemesAt, message: 'must be an object' });
  for (const [name, raw] of Object.entries(isRecord(rawSchemes) ? rawSchemes : {})) {
    const schemeAt = `${schemesAt}${pathKey(name)}`;
    const meaning = readSecurityScheme(name, refs.deref(raw, schemeAt), kind, schemeAt, issues);
    schemes.set(name, meaning);
    if (meaning.kind === 'authorizer') definition.authorizers.push(meaning.authorizer);
  }

  const root = doc.security;
  if (root !== undefined && options.rootSecurity !== 'apply') {
    definition.warnings.push(
      `${at}.security: root-level security is ignored, as API Gateway ignores it on import (OAS-02); set apiDefinition.rootSecurity to "apply" to use it`,
    );
  }
  const paths = doc.paths;
  if (!isRecord(paths)) {
    if (isRecord(document))
      issues.push({ path: `${at}.paths`, message: "required: the API's paths" });
  } else {
    const seen = new Set<string>();
    for (const [rawPath, rawItem] of Object.entries(paths)) {
      const pathAt = `${at}.paths${pathKey(rawPath)}`;
      if (rawPath === '$default') {
        if (kind !== 'HTTP')
          issues.push({ path: pathAt, message: '$default routes belong to HTTP APIs' });
      } else {
        const parsed = parseApiGatewayPath(rawPath);
        if (typeof parsed === 'string') {
          issues.push({ path: pathAt, message: `not an API Gateway path: ${parsed}` });
          continue;
        }
      }
      const item = refs.deref(rawItem, pathAt);
      if (item === undefined) continue; // the $ref problem is already reported
      if (item instanceof Unresolved) {
        issues.push(unresolvedStructure(pathAt, item, 'whether this path exists'));
        continue;
      }
      if (!isRecord(item)) {
        issues.push({ path: pathAt, message: 'must be a path item object' });
        continue;
      }
      for (const [key, rawOperation] of Object.entries(item)) {
        const method = METHODS[key.toLowerCase()];
        if (method === undefined) {
          if (!PATH_ITEM_FIELDS.has(key) && !key.startsWith('x-')) {
            issues.push({
              path: `${pathAt}${pathKey(key)}`,
              message: `${JSON.stringify(key)} is not an HTTP method`,
            });
          }
          continue;
        }
        const opAt = `${pathAt}${pathKey(key)}`;
        const operation = refs.deref(rawOperation, opAt);
        if (operation === undefined) continue;
        if (operation instanceof Unresolved) {
          issues.push(unresolvedStructure(opAt, operation, 'whether this method exists'));
          continue;
        }
        if (!isRecord(operation)) {
          issues.push({ path: opAt, message: 'must be an operation object' });
          continue;
        }
        const id = `${method} ${rawPath}`;
        if (seen.has(id)) {
          issues.push({ path: opAt, message: `${id} is defined twice` });
          continue;
        }
        seen.add(id);
        const security =
          operation.security !== undefined
            ? operation.security
            : options.rootSecurity === 'apply'
              ? root
              : undefined;
        const auth = readMethodAuth(
          security,
          operation['x-amazon-apigateway-auth'],
          schemes,
          opAt,
          issues,
          options,
        );
        if (!auth) continue;
        const route: DefinitionRoute = { method, path: rawPath, ...auth, source: opAt };
        definition.routes.push(route);
      }
    }
  }

  const policy = doc['x-amazon-apigateway-policy'];
  if (policy !== undefined)
    definition.resourcePolicy = { document: policy, source: `${at}["x-amazon-apigateway-policy"]` };
  const keySource = doc['x-amazon-apigateway-api-key-source'];
  if (keySource !== undefined) {
    const value = typeof keySource === 'string' ? keySource.toUpperCase() : keySource;
    if (value === 'HEADER' || value === 'AUTHORIZER') definition.apiKeySource = value;
    else
      issues.push({
        path: `${at}["x-amazon-apigateway-api-key-source"]`,
        message: 'must be HEADER or AUTHORIZER',
      });
  }
  const responses = doc['x-amazon-apigateway-gateway-responses'];
  if (responses !== undefined) {
    definition.gatewayResponses = readGatewayResponses(
      responses,
      `${at}["x-amazon-apigateway-gateway-responses"]`,
      issues,
      definition.warnings,
    );
  }
  return { definition, issues };
}

/** The auth of one operation, or `undefined` when it cannot be enforced as written (an issue says why). */
function readMethodAuth(
  security: unknown,
  extension: unknown,
  schemes: ReadonlyMap<string, SchemeMeaning>,
  path: string,
  issues: ConfigIssue[],
  options: SecurityReadingOptions,
): Omit<DefinitionRoute, 'method' | 'path' | 'source'> | undefined {
  const before = issues.length;
  let apiKeyRequired = false;
  const named: Array<{ name: string; meaning: SchemeMeaning; scopes: DefinitionString[] }> = [];
  if (security !== undefined) {
    if (!Array.isArray(security)) {
      issues.push({ path: `${path}.security`, message: 'must be a list of security requirements' });
      return undefined;
    }
    security.forEach((requirement, i) => {
      const reqAt = `${path}.security[${i}]`;
      if (!isRecord(requirement)) {
        issues.push({ path: reqAt, message: 'must be an object naming security schemes' });
        return;
      }
      for (const [name, scopes] of Object.entries(requirement)) {
        const schemeAt = `${reqAt}${pathKey(name)}`;
        const meaning = schemes.get(name);
        if (meaning === undefined) {
          // SAM's markers for "no default authorizer" and "no default API key".
          if (name === 'NONE' || name === 'api_key_false') continue;
          issues.push({
            path: schemeAt,
            message: `security scheme ${JSON.stringify(name)} is not defined in securitySchemes/securityDefinitions (a missing authorizer)`,
          });
          continue;
        }
        if (meaning.kind === 'invalid') {
          issues.push({
            path: schemeAt,
            message: `security scheme ${JSON.stringify(name)} is invalid (see its own problems)`,
          });
          continue;
        }
        if (meaning.kind === 'apiKey') {
          apiKeyRequired = true;
          continue;
        }
        const list: DefinitionString[] = [];
        if (!Array.isArray(scopes))
          issues.push({ path: schemeAt, message: 'must be a list of scopes' });
        else {
          scopes.forEach((scope, j) => {
            if (typeof scope === 'string' || scope instanceof Unresolved) list.push(scope);
            else issues.push({ path: `${schemeAt}[${j}]`, message: 'a scope must be a string' });
          });
        }
        const existing = named.find((n) => n.name === name);
        if (existing) existing.scopes.push(...list.filter((s) => !existing.scopes.includes(s)));
        else named.push({ name, meaning, scopes: list });
      }
    });
  }
  let explicit: 'NONE' | 'AWS_IAM' | undefined;
  if (extension !== undefined) {
    const type =
      isRecord(extension) && typeof extension.type === 'string'
        ? extension.type.toUpperCase()
        : undefined;
    if (type !== 'NONE' && type !== 'AWS_IAM') {
      issues.push({
        path: `${path}["x-amazon-apigateway-auth"].type`,
        message: 'must be NONE or AWS_IAM (OAS-05)',
      });
    } else explicit = type;
  }
  if (issues.length > before) return undefined;
  if (named.length > 1) {
    if (options.multipleAuthorizers !== 'first') {
      issues.push({
        path: `${path}.security`,
        message: `names ${named.map((n) => n.name).join(' and ')}: API Gateway enforces one authorizer per method, so which one applies is undecided (Q-OAS-1). Keep one, or set apiDefinition.multipleAuthorizers to "first"`,
      });
      return undefined;
    }
    named.length = 1;
  }
  const chosen = named[0];
  if (explicit !== undefined) {
    if (chosen && !(explicit === 'AWS_IAM' && chosen.meaning.kind === 'iam')) {
      issues.push({
        path: `${path}["x-amazon-apigateway-auth"]`,
        message: `says ${explicit} while security names ${chosen.name}`,
      });
      return undefined;
    }
    return { auth: explicit, authorizer: null, scopes: [], apiKeyRequired };
  }
  if (!chosen) return { auth: 'NONE', authorizer: null, scopes: [], apiKeyRequired };
  if (chosen.meaning.kind === 'iam')
    return { auth: 'AWS_IAM', authorizer: null, scopes: [], apiKeyRequired };
  const authorizer = (chosen.meaning as { authorizer: DefinitionAuthorizer }).authorizer;
  const auth =
    authorizer.type === 'COGNITO_USER_POOLS'
      ? 'COGNITO_USER_POOLS'
      : authorizer.type === 'JWT'
        ? 'JWT'
        : 'CUSTOM';
  if (chosen.scopes.length > 0 && auth === 'CUSTOM') {
    issues.push({
      path: `${path}.security`,
      message: `scopes apply to Cognito and JWT authorizers only; ${chosen.name} is a Lambda authorizer`,
    });
    return undefined;
  }
  return { auth, authorizer: chosen.name, scopes: chosen.scopes, apiKeyRequired };
}

/** Which API family a stand-alone document describes, from the extensions only one of them has. */
function detectKind(doc: Record<string, unknown>): ApiKind {
  if (doc['x-amazon-apigateway-importexport-version'] !== undefined) return 'HTTP';
  if (doc['x-amazon-apigateway-cors'] !== undefined) return 'HTTP';
  if (isRecord(doc.paths) && Object.hasOwn(doc.paths, '$default')) return 'HTTP';
  const schemes =
    isRecord(doc.components) && isRecord(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  for (const scheme of Object.values(schemes)) {
    const authorizer = isRecord(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    if (!isRecord(authorizer)) continue;
    if (String(authorizer.type).toLowerCase() === 'jwt') return 'HTTP';
    if (authorizer.authorizerPayloadFormatVersion !== undefined) return 'HTTP';
  }
  return 'REST';
}

const RESPONSE_TYPES = new Set(Object.keys(GATEWAY_RESPONSE_DEFAULTS));

/**
 * `x-amazon-apigateway-gateway-responses` as customised responses: status, static headers
 * (`'value'`), the `application/json` template (GR-05).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
 */
export function readGatewayResponses(
  value: unknown,
  path: string,
  issues: ConfigIssue[],
  warnings: string[],
): GatewayResponsesOptions {
  const out: Partial<Record<GatewayResponseType, GatewayResponseOverride>> = {};
  if (!isRecord(value)) {
    issues.push({ path, message: 'must be an object keyed by response type' });
    return out;
  }
  for (const [type, raw] of Object.entries(value)) {
    const at = `${path}${pathKey(type)}`;
    if (!RESPONSE_TYPES.has(type)) {
      issues.push({
        path: at,
        message: `${JSON.stringify(type)} is not a gateway response type (GR-01)`,
      });
      continue;
    }
    if (!isRecord(raw)) {
      issues.push({ path: at, message: 'must be an object' });
      continue;
    }
    const override: {
      statusCode?: number;
      headers?: Record<string, string>;
      bodyTemplate?: string;
    } = {};
    if (raw.statusCode !== undefined) {
      const status = Number(raw.statusCode);
      if (!Number.isInteger(status) || status < 100 || status > 599) {
        issues.push({ path: `${at}.statusCode`, message: 'must be an HTTP status code' });
      } else override.statusCode = status;
    }
    const parameters = raw.responseParameters;
    if (isRecord(parameters)) {
      const headers: Record<string, string> = {};
      for (const [name, mapping] of Object.entries(parameters)) {
        const header = /^gatewayresponse\.header\.(.+)$/.exec(name)?.[1];
        const literal = typeof mapping === 'string' ? /^'(.*)'$/s.exec(mapping)?.[1] : undefined;
        if (header !== undefined && literal !== undefined) headers[header] = literal;
        else {
          warnings.push(
            `${at}.responseParameters${pathKey(name)}: only static header values ('text') are rendered; this mapping is skipped`,
          );
        }
      }
      if (Object.keys(headers).length > 0) override.headers = headers;
    }
    const templates = raw.responseTemplates;
    if (isRecord(templates)) {
      const json = templates['application/json'];
      if (typeof json === 'string') override.bodyTemplate = json;
    }
    out[type as GatewayResponseType] = override;
  }
  return out;
}

/** The problem of a structural value (a path, a method) that depends on a missing parameter. */
export function unresolvedStructure(path: string, value: Unresolved, what: string): ConfigIssue {
  return {
    path,
    message: `${what} depends on ${value.names.join(', ')}: supply ${value.names.length === 1 ? 'it' : 'them'} as parameters`,
  };
}

/** Local `$ref`s (`#/components/...`) followed with cycle detection; remote ones are refused. */
class RefResolver {
  constructor(
    private readonly doc: Record<string, unknown>,
    private readonly base: string,
    private readonly issues: ConfigIssue[],
  ) {}

  deref(value: unknown, path: string): unknown {
    const seen: string[] = [];
    let current = value;
    while (isRecord(current) && typeof current.$ref === 'string') {
      const ref = current.$ref;
      if (seen.includes(ref)) {
        this.issues.push({ path, message: `a cycle in $ref: ${[...seen, ref].join(' → ')}` });
        return undefined;
      }
      seen.push(ref);
      if (seen.length > 32) {
        this.issues.push({ path, message: 'more than 32 chained $refs' });
        return undefined;
      }
      if (!ref.startsWith('#/')) {
        this.issues.push({
          path,
          message: `$ref ${JSON.stringify(ref)} is not local to this document; inline it`,
        });
        return undefined;
      }
      let target: unknown = this.doc;
      for (const raw of ref.slice(2).split('/')) {
        const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (!isRecord(target) || !Object.hasOwn(target, part)) {
          this.issues.push({
            path,
            message: `$ref ${JSON.stringify(ref)} points at nothing (in ${this.base})`,
          });
          return undefined;
        }
        target = target[part];
      }
      current = target;
    }
    return current;
  }
}
