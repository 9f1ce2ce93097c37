import type { ConfigIssue } from '../errors';
import type { ApiDefinition, ApiKind } from './api-definition';
import { resourcesOfType, type TemplateResource } from './cfn-resources';
import { readCfnHttpApi } from './cfn-http-api';
import { readCfnRestApi } from './cfn-rest-api';
import { IntrinsicResolver } from './intrinsics';
import { isRecord, pathKey } from './json-path';
import { parseDocumentText, type ParseLimits } from './parse-document';
import { readOpenApi, type SecurityReadingOptions } from './read-openapi';
import { samToOpenApi } from './sam-api';

/** How to read a definition. */
export interface ReadDefinitionOptions extends SecurityReadingOptions, ParseLimits {
  /**
   * Values for what a template leaves to deploy time, by name: template parameters, pseudo
   * parameters (`AWS::Region`), resource ids (`MyUserPool`) and attributes (`MyUserPool.Arn`).
   */
  parameters?: Readonly<Record<string, string>>;
  /** In a template defining several APIs, the logical id of the one to read. */
  api?: string;
  /** A stand-alone OpenAPI document's API family, when detection is not wanted. */
  apiType?: ApiKind;
  /** Reads a file an `AWS::Include` transform names (relative to the definition's file). */
  readInclude?: (location: string) => string;
}

/** What reading a definition gives: the definition, or every problem found. */
export interface ReadDefinitionResult {
  definition: ApiDefinition | undefined;
  issues: ConfigIssue[];
  /** The APIs a template defines (logical ids), for choosing one. */
  apis: string[];
}

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * Reads an API Gateway definition of any supported form — an OpenAPI 3 or Swagger 2 export with
 * `x-amazon-apigateway-*` extensions, an AWS SAM template, or a plain CloudFormation template —
 * into one {@link ApiDefinition}. `source` is the file's text (JSON or YAML, short forms included)
 * or an already parsed document. Problems are never thrown: they are all returned, with JSON paths.
 */
export function readApiDefinition(
  source: { text: string } | { document: unknown },
  options: ReadDefinitionOptions = {},
): ReadDefinitionResult {
  let document: unknown;
  if ('text' in source) {
    const parsed = parseDocumentText(source.text, options);
    if (parsed.issues.length > 0) return { definition: undefined, issues: parsed.issues, apis: [] };
    document = parsed.value;
  } else document = source.document;
  if (!isRecord(document)) {
    return {
      definition: undefined,
      issues: [
        {
          path: '$',
          message: 'must be an OpenAPI document or a CloudFormation/SAM template (an object)',
        },
      ],
      apis: [],
    };
  }
  if (document.openapi !== undefined || document.swagger !== undefined) {
    const { definition, issues } = readOpenApi(
      document,
      { path: '$', kind: options.apiType },
      options,
    );
    return { definition, issues, apis: [] };
  }
  if (isRecord(document.Resources)) return readTemplate(document, options);
  return {
    definition: undefined,
    issues: [
      {
        path: '$',
        message: 'neither an OpenAPI document ("openapi"/"swagger") nor a template ("Resources")',
      },
    ],
    apis: [],
  };
}

type ApiCandidate =
  | { resource: TemplateResource; type: string }
  | { implicit: 'ServerlessRestApi' | 'ServerlessHttpApi' };

function readTemplate(
  template: Record<string, unknown>,
  options: ReadDefinitionOptions,
): ReadDefinitionResult {
  const issues: ConfigIssue[] = [];
  const readInclude = options.readInclude;
  const resolver = new IntrinsicResolver(template, {
    parameters: options.parameters,
    readInclude: readInclude
      ? (location) => {
          const parsed = parseDocumentText(readInclude(location), options);
          if (parsed.issues.length > 0) {
            throw new Error(
              `${location}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
            );
          }
          return parsed.value;
        }
      : undefined,
  });
  const candidates = new Map<string, ApiCandidate>();
  for (const type of [
    'AWS::Serverless::Api',
    'AWS::Serverless::HttpApi',
    'AWS::ApiGateway::RestApi',
    'AWS::ApiGatewayV2::Api',
  ]) {
    for (const resource of resourcesOfType(template, type, resolver, issues)) {
      if (type === 'AWS::ApiGatewayV2::Api') {
        const protocol = resolver.resolve(
          resource.properties.ProtocolType,
          `${resource.at}.ProtocolType`,
        );
        // WebSocket APIs have no HTTP routes to guard; an API imported from Body is HTTP.
        if (
          protocol !== 'HTTP' &&
          !(protocol === undefined && resource.properties.Body !== undefined)
        )
          continue;
      }
      candidates.set(resource.id, { resource, type });
    }
  }
  const implicit = implicitApis(template);
  for (const id of implicit) if (!candidates.has(id)) candidates.set(id, { implicit: id });
  const apis = [...candidates.keys()];
  const chosen: string | undefined = options.api;
  if (chosen !== undefined && !candidates.has(chosen)) {
    issues.push({
      path: 'apiDefinition.api',
      message: `${JSON.stringify(chosen)} is not an API of this template (${apis.join(', ') || 'none'})`,
    });
    return { definition: undefined, issues, apis };
  }
  if (chosen === undefined) {
    if (apis.length === 0) {
      issues.push({
        path: '$.Resources',
        message:
          'defines no REST or HTTP API (AWS::Serverless::Api, AWS::Serverless::HttpApi, AWS::ApiGateway::RestApi, AWS::ApiGatewayV2::Api)',
      });
      return { definition: undefined, issues, apis };
    }
    if (apis.length > 1) {
      issues.push({
        path: 'apiDefinition.api',
        message: `the template defines ${apis.length} APIs (${apis.join(', ')}): name the one this service stands in for`,
      });
      return { definition: undefined, issues, apis };
    }
  }
  const selected: string = chosen ?? apis[0] ?? '';
  const candidate = candidates.get(selected) as ApiCandidate;
  const type =
    'implicit' in candidate
      ? candidate.implicit === 'ServerlessRestApi'
        ? 'AWS::Serverless::Api'
        : 'AWS::Serverless::HttpApi'
      : candidate.type;
  let definition: ApiDefinition;
  if (type === 'AWS::Serverless::Api' || type === 'AWS::Serverless::HttpApi') {
    const kind = type === 'AWS::Serverless::Api' ? 'REST' : 'HTTP';
    const sam = samToOpenApi(template, selected, kind, resolver, issues);
    if (!hasSamTransform(template)) {
      sam.warnings.push(
        `$.Transform: ${type} is deployed through "Transform: ${SAM_TRANSFORM}"; read as SAM anyway`,
      );
    }
    const read = readOpenApi(
      sam.document,
      { path: `${sam.path} (as SAM generates it)`, kind, name: selected },
      options,
    );
    issues.push(...read.issues);
    definition = { ...read.definition, format: 'sam', name: selected };
    definition.warnings.push(...sam.warnings);
    for (const route of definition.routes) {
      if (sam.preflights.has(`${route.method} ${route.path}`)) route.corsPreflight = true;
    }
    // Point messages at the template's own Auth.Authorizers entries, not the generated document.
    for (const authorizer of definition.authorizers) {
      if (sam.authorizerNames.has(authorizer.name)) {
        authorizer.source = `${sam.path}.Auth.Authorizers${pathKey(authorizer.name)}`;
      }
    }
  } else {
    const read = type === 'AWS::ApiGateway::RestApi' ? readCfnRestApi : readCfnHttpApi;
    const resource = (candidate as { resource: TemplateResource }).resource;
    definition = read(template, resource, resolver, issues, options);
  }
  issues.push(...resolver.issues);
  return { definition, issues: dedupe(issues), apis };
}

/** SAM's implicit APIs: function events with no `RestApiId`/`ApiId`. */
function implicitApis(
  template: Record<string, unknown>,
): Array<'ServerlessRestApi' | 'ServerlessHttpApi'> {
  const out = new Set<'ServerlessRestApi' | 'ServerlessHttpApi'>();
  const resources = isRecord(template.Resources) ? template.Resources : {};
  for (const fn of Object.values(resources)) {
    if (!isRecord(fn) || fn.Type !== 'AWS::Serverless::Function' || !isRecord(fn.Properties))
      continue;
    const events = isRecord(fn.Properties.Events) ? fn.Properties.Events : {};
    for (const event of Object.values(events)) {
      if (!isRecord(event)) continue;
      const p = isRecord(event.Properties) ? event.Properties : {};
      if (event.Type === 'Api' && p.RestApiId === undefined) out.add('ServerlessRestApi');
      if (event.Type === 'HttpApi' && p.ApiId === undefined) out.add('ServerlessHttpApi');
    }
  }
  return [...out];
}

function hasSamTransform(template: Record<string, unknown>): boolean {
  const transform = template.Transform;
  return (
    transform === SAM_TRANSFORM || (Array.isArray(transform) && transform.includes(SAM_TRANSFORM))
  );
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
