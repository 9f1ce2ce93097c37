import type { ConfigIssue } from '../errors';
import {
  Unresolved,
  type ApiDefinition,
  type ApiKind,
  type DefinitionAuthorizer,
  type DefinitionRoute,
  type DefinitionString,
} from './api-definition';
import type { IntrinsicResolver } from './intrinsics';
import { isRecord, pathKey } from './json-path';
import { readAuthorizerFields } from './openapi-authorizer';
import { readOpenApi, type SecurityReadingOptions } from './read-openapi';

/** One template resource of a given type, with where it is. */
export interface TemplateResource {
  id: string;
  properties: Record<string, unknown>;
  /** `$.Resources.<id>.Properties`. */
  at: string;
}

/**
 * The resources of `type` that exist (their `Condition` holds), in template order. A resource whose
 * condition depends on a missing parameter is reported and left out.
 */
export function resourcesOfType(
  template: Record<string, unknown>,
  type: string,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): TemplateResource[] {
  const resources = isRecord(template.Resources) ? template.Resources : {};
  const out: TemplateResource[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || resource.Type !== type) continue;
    const base = `$.Resources${pathKey(id)}`;
    if (typeof resource.Condition === 'string') {
      const present = resolver.condition(resource.Condition, `${base}.Condition`);
      if (present === false) continue;
      if (present instanceof Unresolved) {
        issues.push({
          path: `${base}.Condition`,
          message: `whether ${id} exists depends on ${present.names.join(', ')}: supply them as parameters`,
        });
        continue;
      }
    }
    out.push({
      id,
      properties: isRecord(resource.Properties) ? resource.Properties : {},
      at: `${base}.Properties`,
    });
  }
  return out;
}

/** The logical id a `{ "Ref": id }` (or a bare id string) names; `undefined` for anything else. */
export function refTarget(value: unknown): string | undefined {
  if (isRecord(value) && typeof value.Ref === 'string' && Object.keys(value).length === 1)
    return value.Ref;
  return undefined;
}

/** The resource a `{ "Fn::GetAtt": [id, attribute] }` names, when the attribute is `attribute`. */
export function getAttTarget(value: unknown, attribute: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const arg = value['Fn::GetAtt'];
  if (Array.isArray(arg) && arg.length === 2 && arg[1] === attribute && typeof arg[0] === 'string')
    return arg[0];
  if (typeof arg === 'string' && arg.endsWith(`.${attribute}`))
    return arg.slice(0, -attribute.length - 1);
  return undefined;
}

/** A name property (`Name`) when it resolves to a string, else the logical id. */
export function nameOf(resource: TemplateResource, resolver: IntrinsicResolver): string {
  const name = resolver.resolve(resource.properties.Name, `${resource.at}.Name`);
  return typeof name === 'string' && name !== '' ? name : resource.id;
}

/** A resolved property that must be a list of strings (a single string counts as one). */
export function stringListProperty(value: unknown): unknown[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

/**
 * An API resource's own definition: its inline `Body` read as OpenAPI (or nothing yet), with a
 * `BodyS3Location` refused (the file is not here).
 */
export function readApiBody(
  api: TemplateResource,
  kind: ApiKind,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
  options: SecurityReadingOptions,
): ApiDefinition {
  let definition: ApiDefinition = {
    kind,
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
      { path: `${api.at}.Body`, kind, name: api.id },
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
  return definition;
}

/** How one family's authorizer resource names the fields `readAuthorizerFields` reads. */
export interface AuthorizerResourceShape {
  type: 'AWS::ApiGateway::Authorizer' | 'AWS::ApiGatewayV2::Authorizer';
  /** The property naming the API (`RestApiId`, `ApiId`). */
  apiProperty: string;
  /** OpenAPI field name → resource property name. */
  fields: Readonly<Record<string, string>>;
  /** Adapts a resolved property to the OpenAPI field's shape. */
  adapt?: (field: string, value: unknown) => unknown;
}

/**
 * The authorizer resources aimed at `api`, normalized and added to `definition.authorizers` (a
 * resource replaces a same-named authorizer of `Body`).
 * @returns the authorizers by logical id, for `AuthorizerId: !Ref ...`.
 */
export function readAuthorizerResources(
  template: Record<string, unknown>,
  api: TemplateResource,
  shape: AuthorizerResourceShape,
  definition: ApiDefinition,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): Map<string, DefinitionAuthorizer> {
  const byId = new Map<string, DefinitionAuthorizer>();
  for (const resource of resourcesOfType(template, shape.type, resolver, issues)) {
    if (refTarget(resource.properties[shape.apiProperty]) !== api.id) continue;
    const name = nameOf(resource, resolver);
    const fields = {
      get: (field: string): unknown => {
        const property = shape.fields[field];
        if (property === undefined) return undefined;
        const value = resolver.resolve(resource.properties[property], `${resource.at}.${property}`);
        return shape.adapt ? shape.adapt(field, value) : value;
      },
      pathOf: (field: string): string => `${resource.at}.${shape.fields[field] ?? field}`,
    };
    const authorizer = readAuthorizerFields(
      name,
      fields,
      undefined,
      definition.kind,
      resource.at,
      issues,
    );
    if (authorizer) {
      definition.authorizers = definition.authorizers.filter((a) => a.name !== name);
      definition.authorizers.push(authorizer);
      byId.set(resource.id, authorizer);
    }
  }
  return byId;
}

/** What one family's method/route resources may say about auth. */
export interface MethodAuthShape {
  /** Accepted `AuthorizationType` values. */
  types: ReadonlySet<string>;
  /** The type whose authorizer is a token (Cognito/JWT) one, and the only one with scopes. */
  tokenType: 'COGNITO_USER_POOLS' | 'JWT';
  /** The authorizer resource type, for messages. */
  authorizerType: string;
}

/**
 * The `AuthorizationType`, `AuthorizerId` (checked against the API's authorizers and the type) and
 * `AuthorizationScopes` of a method or route resource's properties `p`.
 * @returns them, or `undefined` with the problems added to `issues`.
 */
export function readResourceAuth(
  p: Record<string, unknown>,
  at: string,
  apiId: string,
  authorizers: ReadonlyMap<string, DefinitionAuthorizer>,
  shape: MethodAuthShape,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): Pick<DefinitionRoute, 'auth' | 'authorizer' | 'scopes'> | undefined {
  const before = issues.length;
  const type = resolver.resolve(p.AuthorizationType ?? 'NONE', `${at}.AuthorizationType`);
  if (typeof type !== 'string' || !shape.types.has(type.toUpperCase())) {
    issues.push({
      path: `${at}.AuthorizationType`,
      message: `must be ${[...shape.types].join(', ')}`,
    });
    return undefined;
  }
  const auth = type.toUpperCase() as DefinitionRoute['auth'];
  let authorizer: string | null = null;
  if (auth === 'CUSTOM' || auth === shape.tokenType) {
    const id = refTarget(p.AuthorizerId);
    const found = id === undefined ? undefined : authorizers.get(id);
    if (!found) {
      issues.push({
        path: `${at}.AuthorizerId`,
        message: `${auth} needs !Ref of an ${shape.authorizerType} of ${apiId} (a missing authorizer)`,
      });
    } else if ((auth === shape.tokenType) !== (found.type === shape.tokenType)) {
      issues.push({
        path: `${at}.AuthorizerId`,
        message: `${found.name} is a ${found.type} authorizer, not one for ${auth}`,
      });
    } else authorizer = found.name;
  }
  const scopes: DefinitionString[] = [];
  const listed = stringListProperty(
    resolver.resolve(p.AuthorizationScopes, `${at}.AuthorizationScopes`),
  );
  for (const scope of listed ?? []) {
    if (typeof scope === 'string' || scope instanceof Unresolved) scopes.push(scope);
    else issues.push({ path: `${at}.AuthorizationScopes`, message: 'must be a list of strings' });
  }
  if (scopes.length > 0 && auth !== shape.tokenType) {
    issues.push({
      path: `${at}.AuthorizationScopes`,
      message: `scopes apply to ${shape.tokenType} only`,
    });
  }
  return issues.length > before ? undefined : { auth, authorizer, scopes };
}
