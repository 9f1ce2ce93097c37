import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { ApiOptions } from '../api-options';
import type { AuthorizerOptions } from '../authorizer/authorizer-options';
import type { Clock } from '../clock';
import { ConfigError, type ConfigIssue } from '../errors';
import type { RouteRequirement } from '../gateway-auth';
import type { GatewayResponsesOptions } from '../gateway-responses';
import type { PolicyDocument } from '../iam';
import type { CognitoAuthOptions } from '../jwt/cognito-options';
import type { KeySource } from '../jwt/key-source';
import type { Logger } from '../logger';
import {
  Unresolved,
  unresolvedNames,
  type ApiDefinition,
  type DefinitionRoute,
} from './api-definition';
import {
  addUnresolved,
  jwtAuthorizerOptions,
  lambdaAuthorizerOptions,
  type AuthorizerNeeds,
} from './definition-authorizers';
import type { ApiDefinitionOptions } from './definition-options';
import { DefinitionRouter } from './definition-router';
import { containsUnresolved } from './intrinsics';
import { readApiDefinition } from './read-api-definition';

/** What the rest of the gateway-auth options already say, which the definition must not contradict. */
export interface DefinitionContext {
  /** The API's region and account default `AWS::Region`/`AWS::AccountId`; absent in the CLI. */
  api?: ApiOptions;
  /** Names of Lambda authorizers configured directly (`authorizers`). */
  authorizerNames?: readonly string[];
  /** Names of Cognito/JWT authorizers configured directly (`cognitoAuthorizers`). */
  cognitoAuthorizerNames?: readonly string[];
  /**
   * What the rest of the options configure; absent when only reading the definition (the CLI), so
   * runtime settings (the iam section, API keys) are not required.
   */
  runtime?: { hasIam: boolean; hasResourcePolicy: boolean };
  clock: Clock;
  logger: Logger;
}

/** A definition ready to enforce: its routes with their requirements, and the models' options. */
export interface AppliedDefinition {
  definition: ApiDefinition;
  /** Each route's requirement; `null` for a route without authorization. */
  router: DefinitionRouter<RouteRequirement | null>;
  authorizers: Record<string, AuthorizerOptions>;
  cognitoAuthorizers: Record<string, CognitoAuthOptions>;
  resourcePolicy?: PolicyDocument;
  gatewayResponses?: GatewayResponsesOptions;
  /** Accepted API keys; `null`: not checked. */
  apiKeys: ReadonlySet<string> | null;
  uncoveredRoutes: 'refuse' | 'allow';
  basePath: string;
  /** Key sources this definition created (OpenID discovery); close them with the gateway. */
  ownedKeySources: KeySource[];
}

/** Everything known about a definition before deciding whether it can be enforced. */
export interface DefinitionPlan {
  definition: ApiDefinition | undefined;
  applied: AppliedDefinition | undefined;
  issues: ConfigIssue[];
  /** Parameter names that would resolve what the definition leaves to deploy time. */
  unresolved: string[];
  /** The APIs a template defines (logical ids). */
  apis: string[];
}

/**
 * Reads `options`' definition and turns it into what gateway-auth enforces, listing every problem
 * and every missing parameter at once instead of throwing.
 */
export function planApiDefinition(
  options: ApiDefinitionOptions,
  context: DefinitionContext,
): DefinitionPlan {
  const issues: ConfigIssue[] = [];
  const needs: AuthorizerNeeds = { issues, unresolved: [] };
  const sources = (['file', 'text', 'document'] as const).filter((k) => options[k] !== undefined);
  if (sources.length !== 1) {
    issues.push({
      path: 'apiDefinition',
      message: `give exactly one of file, text or document (got ${sources.join(', ') || 'none'})`,
    });
    return { definition: undefined, applied: undefined, issues, unresolved: [], apis: [] };
  }
  let text = options.text;
  if (options.file !== undefined) {
    try {
      // The definition file is the user's own configuration.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      issues.push({
        path: 'apiDefinition.file',
        message: `cannot read ${options.file}: ${(error as Error).message}`,
      });
      return { definition: undefined, applied: undefined, issues, unresolved: [], apis: [] };
    }
  }
  const api = context.api;
  const parameters: Record<string, string> = {
    ...(api ? { 'AWS::Region': api.region, 'AWS::AccountId': api.accountId } : {}),
    ...(api?.partition ? { 'AWS::Partition': api.partition } : {}),
    ...options.parameters,
  };
  const base = options.file === undefined ? undefined : dirname(resolvePath(options.file));
  const read = readApiDefinition(text !== undefined ? { text } : { document: options.document }, {
    ...options,
    parameters,
    readInclude:
      base === undefined
        ? undefined
        : (location) => {
            // An AWS::Include the user's own template names, next to it.
            // eslint-disable-next-line security/detect-non-literal-fs-filename
            return readFileSync(resolvePath(base, location), 'utf8');
          },
  });
  issues.push(...read.issues);
  const definition = read.definition;
  if (!definition)
    return { definition, applied: undefined, issues, unresolved: [], apis: read.apis };

  const authorizers: Record<string, AuthorizerOptions> = {};
  const cognitoAuthorizers: Record<string, CognitoAuthOptions> = {};
  const ownedKeySources: KeySource[] = [];
  for (const authorizer of definition.authorizers) {
    const at = `${authorizer.source} (authorizer ${authorizer.name})`;
    if (authorizer.type === 'TOKEN' || authorizer.type === 'REQUEST') {
      if ((context.authorizerNames ?? []).includes(authorizer.name)) {
        issues.push({
          path: `authorizers.${authorizer.name}`,
          message: `is also an authorizer of the API definition (${at}): set its overrides in apiDefinition.authorizers.${authorizer.name}`,
        });
        continue;
      }
      const built = lambdaAuthorizerOptions(
        authorizer,
        definition.kind,
        options.authorizers?.[authorizer.name],
        needs,
      );
      if (built) authorizers[authorizer.name] = built;
    } else {
      if ((context.cognitoAuthorizerNames ?? []).includes(authorizer.name)) {
        issues.push({
          path: `cognitoAuthorizers.${authorizer.name}`,
          message: `is also an authorizer of the API definition (${at})`,
        });
        continue;
      }
      const built = jwtAuthorizerOptions(
        authorizer,
        options,
        { clock: context.clock, logger: context.logger, ownedKeySources },
        needs,
      );
      if (built) cognitoAuthorizers[authorizer.name] = built;
    }
  }
  for (const name of Object.keys(options.authorizers ?? {})) {
    if (
      !definition.authorizers.some(
        (a) => a.name === name && (a.type === 'TOKEN' || a.type === 'REQUEST'),
      )
    ) {
      issues.push({
        path: `apiDefinition.authorizers.${name}`,
        message: `the definition has no Lambda authorizer named ${name} (it has ${definition.authorizers.map((a) => a.name).join(', ') || 'none'})`,
      });
    }
  }

  const entries: Array<{ route: DefinitionRoute; value: RouteRequirement | null }> = [];
  const iamRoutes: string[] = [];
  const keyRoutes: string[] = [];
  for (const route of definition.routes) {
    const scopes: string[] = [];
    for (const scope of route.scopes) {
      if (scope instanceof Unresolved) {
        addUnresolved(needs, scope.names);
        issues.push({
          path: route.source,
          message: `a scope needs ${scope.names.join(', ')}: give them in apiDefinition.parameters`,
        });
      } else scopes.push(scope);
    }
    if (route.apiKeyRequired) keyRoutes.push(`${route.method} ${route.path}`);
    let requirement: RouteRequirement | null;
    switch (route.auth) {
      case 'NONE':
        requirement = null;
        break;
      case 'AWS_IAM':
        iamRoutes.push(`${route.method} ${route.path}`);
        requirement = { model: 'iam', options: {} };
        break;
      case 'CUSTOM':
        requirement = { model: 'custom', options: { name: route.authorizer as string } };
        break;
      default:
        requirement = {
          model: 'cognito',
          options: {
            authorizer: route.authorizer as string,
            ...(scopes.length > 0 ? { scopes } : {}),
          },
        };
    }
    entries.push({ route, value: requirement });
  }
  if (iamRoutes.length > 0 && context.runtime && !context.runtime.hasIam) {
    issues.push({
      path: 'iam',
      message: `the API definition protects ${list(iamRoutes)} with AWS_IAM: configure the iam section (where caller credentials come from)`,
    });
  }
  if (keyRoutes.length > 0 && context.runtime && options.apiKeys === undefined) {
    issues.push({
      path: 'apiDefinition.apiKeys',
      message: `${list(keyRoutes)} require an API key (KEY-01): list the accepted keys, or null to not check them (KEY-06)`,
    });
  }
  if (
    options.apiKeys !== undefined &&
    options.apiKeys !== null &&
    !Array.isArray(options.apiKeys)
  ) {
    issues.push({ path: 'apiDefinition.apiKeys', message: 'must be a list of keys or null' });
  }
  if (
    options.uncoveredRoutes !== undefined &&
    options.uncoveredRoutes !== 'refuse' &&
    options.uncoveredRoutes !== 'allow'
  ) {
    issues.push({ path: 'apiDefinition.uncoveredRoutes', message: 'must be "refuse" or "allow"' });
  }
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[^?#]*$/.test(basePath)) {
    issues.push({ path: 'apiDefinition.basePath', message: 'must be a path starting with "/"' });
  }
  let resourcePolicy: PolicyDocument | undefined;
  if (definition.resourcePolicy !== undefined) {
    if (context.runtime?.hasResourcePolicy) {
      issues.push({
        path: 'resourcePolicy',
        message: `the API definition has its own resource policy (${definition.resourcePolicy.source}): keep one`,
      });
    } else if (containsUnresolved(definition.resourcePolicy.document)) {
      const names = unresolvedNames([definition.resourcePolicy.document]);
      addUnresolved(needs, names);
      issues.push({
        path: definition.resourcePolicy.source,
        message: `needs ${names.join(', ')}: give them in apiDefinition.parameters`,
      });
    } else resourcePolicy = definition.resourcePolicy.document as PolicyDocument;
  }
  const plan: DefinitionPlan = {
    definition,
    applied: undefined,
    issues,
    unresolved: needs.unresolved,
    apis: read.apis,
  };
  if (issues.length > 0) {
    for (const source of ownedKeySources) source.close?.();
    return plan;
  }
  plan.applied = {
    definition,
    router: new DefinitionRouter(definition.kind, entries),
    authorizers,
    cognitoAuthorizers,
    resourcePolicy,
    gatewayResponses: definition.gatewayResponses,
    apiKeys: options.apiKeys === null ? null : new Set(options.apiKeys ?? []),
    uncoveredRoutes: options.uncoveredRoutes ?? 'refuse',
    basePath,
    ownedKeySources,
  };
  return plan;
}

/**
 * {@link planApiDefinition} for start-up: the definition ready to enforce.
 * @throws ConfigError listing every problem and missing parameter, with JSON paths.
 */
export function applyApiDefinition(
  options: ApiDefinitionOptions,
  context: DefinitionContext,
): AppliedDefinition {
  const plan = planApiDefinition(options, context);
  if (!plan.applied) throw new ConfigError('gateway-auth apiDefinition', plan.issues);
  return plan.applied;
}

function list(routes: readonly string[]): string {
  return routes.length <= 5
    ? routes.join(', ')
    : `${routes.slice(0, 5).join(', ')} and ${routes.length - 5} more`;
}
