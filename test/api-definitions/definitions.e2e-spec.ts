// Every public definition of test/fixtures/api-definitions, enforced without decorators — Nest on
// Express and Fastify (`GatewayAuthModule.forRoot({ apiDefinition })`) and plain Express
// (`apiDefinitionMiddleware`): per route, a request with the right credential is served and one
// without it is refused with API Gateway's answer; a route the definition does not cover is refused
// as an unknown route (PIPE-02) and named in the start-up drift report.
import { join } from 'node:path';
import request from 'supertest';
import {
  ConfigError,
  displayString,
  GatewayAuth,
  fixedClock,
  planApiDefinition,
  silentLogger,
  type ApiDefinitionOptions,
  type AuthorizerOptions,
  type CredentialDefinition,
  type DefinitionAuthorizer,
  type DefinitionRoute,
  type DefinitionString,
  type GatewayAuthOptions,
} from 'api-gateway-auth';
import { mint, newKey, StaticKeySource, type TestKey } from '../cognito/helpers/tokens';
import {
  startLambdaInvokeServer,
  useLambdaEndpoint,
  type LambdaInvokeServer,
} from '../authorizer/lambda-invoke-server';
import { buildQuery, signWithSmithy } from '../sigv4/sign-request';
import { CATALOGUE, FIXTURES, type CatalogueEntry } from './catalogue';
import { startDefinitionApp, type DefinitionApp, type Platform } from './definition-app';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const NOW = new Date('2026-03-01T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const KEY: TestKey = newKey('definition-key');
const API_KEY = 'fixtureApiKey0123456789';
const CALLER = {
  accessKeyId: 'AKIADEFINITION000001',
  secretAccessKey: 'definition-secret-000000000000000000000',
};
const CREDENTIALS: CredentialDefinition[] = [
  {
    ...CALLER,
    principal: { arn: 'arn:aws:iam::111122223333:user/importer' },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/*',
          },
        ],
      },
    ],
  },
];
/** A definition string as text (every fixture's parameters are supplied, so none is unresolved). */
const text = (value: DefinitionString | undefined): string =>
  value === undefined ? '' : displayString(value);

const STAGE_VARIABLES = { Authorization3: 'stage-value', stageVar: 'stage-value' };
const PLATFORMS: Platform[] = ['nest-express', 'nest-fastify', 'express'];
/** A service route no definition has (added when the definition has no catch-all). */
const EXTRA = { method: 'GET', path: '/zz/not/in/definition' };

/** The fixture whose Lambda authorizer runs through the Lambda Invoke API (the default). */
const THROUGH_LAMBDA = 'aws-sam/api_lambda_token_auth.template.yaml';
/** Context identity sources this library does not model: the fixtures that use them get one override. */
const UNMODELLED_CONTEXT = /^(?:context|\$context)\.(?:Authorization4|contextVar)$/;

interface Credential {
  headers: Record<string, string>;
  query: Record<string, string>;
}

interface Plan {
  entry: CatalogueEntry;
  options: GatewayAuthOptions;
  routes: DefinitionRoute[];
  authorizers: Map<string, DefinitionAuthorizer>;
  catchAll: boolean;
}

/**
 * A policy for every method of the stage: a cached decision serves all routes (LC-02; a policy of
 * just the first method ARN would deny the next route until the TTL passes, as on API Gateway).
 */
const stageWide = (arn: string): string => `${arn.split('/').slice(0, 2).join('/')}/*`;

/** Allows every route: a REST policy, or an HTTP API 2.0 simple response. */
function allowing(authorizer: DefinitionAuthorizer): AuthorizerOptions['handler'] {
  return (event: { methodArn?: string; routeArn?: string }) =>
    Promise.resolve(
      authorizer.enableSimpleResponses
        ? { isAuthorized: true, context: { via: 'definition' } }
        : {
            principalId: 'definition-caller',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'execute-api:Invoke',
                  Resource: stageWide(event.methodArn ?? event.routeArn ?? ''),
                },
              ],
            },
          },
    );
}

function planFor(entry: CatalogueEntry): Plan {
  const read = planApiDefinition(
    { file: join(FIXTURES, entry.file), parameters: entry.parameters },
    { api: API, clock: fixedClock(NOW.getTime()), logger: silentLogger },
  );
  if (!read.definition) throw new Error(`${entry.file}: ${JSON.stringify(read.issues)}`);
  const definition = read.definition;
  const apiDefinition: ApiDefinitionOptions = {
    file: join(FIXTURES, entry.file),
    parameters: entry.parameters,
    authorizers: {},
    userPools: {},
    issuers: {},
    apiKeys: [API_KEY],
  };
  const authorizers = new Map(definition.authorizers.map((a) => [a.name, a]));
  for (const a of definition.authorizers) {
    if (a.type === 'TOKEN' || a.type === 'REQUEST') {
      const override: Partial<AuthorizerOptions> =
        entry.file === THROUGH_LAMBDA ? {} : { handler: allowing(a) };
      const sources = a.identitySource.map(text);
      if (sources.some((s) => UNMODELLED_CONTEXT.test(s))) {
        override.identitySource = sources.filter((s) => !UNMODELLED_CONTEXT.test(s));
      }
      (apiDefinition.authorizers as Record<string, Partial<AuthorizerOptions>>)[a.name] = override;
    } else if (a.type === 'COGNITO_USER_POOLS') {
      (a.providerArns ?? []).forEach((arn, i) => {
        const poolId =
          /userpool\/(.+)$/.exec(text(arn))?.[1] ?? `us-east-1_Fixture${a.name.length}${i}`;
        (apiDefinition.userPools as Record<string, unknown>)[text(arn)] = {
          userPoolId: poolId,
          issuer: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`,
          keySource: new StaticKeySource([KEY]),
        };
      });
    } else {
      (apiDefinition.issuers as Record<string, unknown>)[text(a.issuer)] = {
        keySource: new StaticKeySource([KEY]),
      };
    }
  }
  const catchAll = definition.routes.some((r) => r.path === '$default' || r.path === '/{proxy+}');
  return {
    entry,
    routes: definition.routes,
    authorizers,
    catchAll,
    options: {
      api: { ...API, stageVariables: STAGE_VARIABLES },
      clock: fixedClock(NOW.getTime()),
      logger: silentLogger,
      iam: { credentials: CREDENTIALS },
      apiDefinition,
    },
  };
}

/** A concrete request path of a template. */
function samplePath(route: { path: string }): string {
  if (route.path === '$default') return '/not/a/defined/route';
  return route.path.replace(/\{[^}]+\+\}/g, 'deep/er').replace(/\{[^}]+\}/g, 'v1');
}

/** The method a request uses to reach `route` (`ANY` routes get PATCH). */
const verb = (route: { method: string }): string =>
  route.method === 'ANY' ? 'PATCH' : route.method;

/** The token a Cognito/JWT authorizer accepts for `route`. */
async function token(
  authorizer: DefinitionAuthorizer,
  route: DefinitionRoute,
  plan: Plan,
): Promise<string> {
  const exp = NOW_S + 3600;
  const scopes = route.scopes.map(text);
  if (authorizer.type === 'JWT') {
    return mint(KEY, {
      iss: text(authorizer.issuer),
      aud: text(authorizer.audience?.[0]),
      sub: 'user-1',
      iat: NOW_S,
      exp,
      ...(scopes.length ? { scope: scopes.join(' ') } : {}),
    });
  }
  const pools = plan.options.apiDefinition?.userPools as Record<string, { issuer: string }>;
  const issuer = (pools[text(authorizer.providerArns?.[0])] as { issuer: string }).issuer;
  const expression = authorizer.identityValidationExpression;
  const client = expression === undefined ? 'fixture-client' : `${text(expression)}-client`;
  // COG-02/03: ID token without method scopes, access token with them.
  return scopes.length > 0
    ? mint(KEY, {
        iss: issuer,
        token_use: 'access',
        client_id: client,
        scope: scopes.join(' '),
        sub: 'user-1',
        iat: NOW_S,
        exp,
      })
    : mint(KEY, { iss: issuer, token_use: 'id', aud: client, sub: 'user-1', iat: NOW_S, exp });
}

/** The credential `route` needs. */
async function credentialFor(route: DefinitionRoute, plan: Plan): Promise<Credential> {
  const out: Credential = { headers: {}, query: {} };
  if (route.apiKeyRequired) out.headers['x-api-key'] = API_KEY;
  const authorizer = route.authorizer === null ? undefined : plan.authorizers.get(route.authorizer);
  if (!authorizer) return out;
  if (authorizer.type === 'COGNITO_USER_POOLS' || authorizer.type === 'JWT') {
    const value = await token(authorizer, route, plan);
    const [, where, name] = /^(?:method\.request|\$request)\.(header|querystring)\.(.+)$/.exec(
      text(authorizer.identitySource[0]),
    ) as RegExpExecArray;
    if (where === 'header') out.headers[(name as string).toLowerCase()] = `Bearer ${value}`;
    else out.query[name as string] = value;
    return out;
  }
  for (const source of authorizer.identitySource.map(text)) {
    const match = /^(?:method\.request|\$request)\.(header|querystring)\.(.+)$/.exec(source);
    if (!match) continue; // stage variables come from the API; unmodelled context sources are dropped
    const value =
      authorizer.identityValidationExpression !== undefined
        ? text(authorizer.identityValidationExpression)
        : 'allow';
    if (match[1] === 'header') out.headers[(match[2] as string).toLowerCase()] = value;
    else out.query[match[2] as string] = value;
  }
  return out;
}

async function send(
  app: DefinitionApp,
  method: string,
  path: string,
  credential: Credential | undefined,
  iam: boolean,
): Promise<request.Response> {
  const query = buildQuery(credential?.query);
  const url = `${path}${query ? `?${query}` : ''}`;
  let headers = { ...credential?.headers };
  if (iam && credential) {
    const host = new URL(app.url).host;
    const signed = await signWithSmithy(
      { method, host, path, query: credential.query, headers, date: NOW },
      CALLER,
    );
    headers = signed.headers;
  }
  let req = request(app.url)[method.toLowerCase() as 'get'](url);
  for (const [name, value] of Object.entries(headers))
    if (name !== 'host') req = req.set(name, value);
  return req;
}

const REFUSALS: Record<string, { status: number; body: string; errorType: string }> = {
  AWS_IAM: {
    status: 403,
    body: '{"message":"Missing Authentication Token"}',
    errorType: 'MissingAuthenticationTokenException',
  },
  COGNITO_USER_POOLS: {
    status: 401,
    body: '{"message":"Unauthorized"}',
    errorType: 'UnauthorizedException',
  },
  CUSTOM: { status: 401, body: '{"message":"Unauthorized"}', errorType: 'UnauthorizedException' },
  JWT: { status: 401, body: '{"message":"Unauthorized"}', errorType: 'UnauthorizedException' },
  // KEY-02: a key-required method without its key.
  NONE: { status: 403, body: '{"message":"Forbidden"}', errorType: 'ForbiddenException' },
};

let lambda: LambdaInvokeServer;
let restoreEnv: () => void;
beforeAll(async () => {
  lambda = await startLambdaInvokeServer({
    // The SAM example's authorizer (examples/2016-10-31/api_lambda_token_auth/src/authorizer.js)
    // allows the token "allow".
    'token-authorizer': (event: { authorizationToken: string; methodArn: string }) =>
      event.authorizationToken === 'allow'
        ? Promise.resolve({
            principalId: 'user',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Action: 'execute-api:Invoke',
                  Effect: 'Allow',
                  Resource: stageWide(event.methodArn),
                },
              ],
            },
          })
        : Promise.reject(new Error('Unauthorized')),
  });
  restoreEnv = useLambdaEndpoint(lambda.url);
});
afterAll(async () => {
  restoreEnv();
  await lambda.close();
});

describe.each(CATALOGUE.map((entry) => [entry.file, entry] as const))('%s', (_file, entry) => {
  const plan = planFor(entry);
  const served = [
    ...plan.routes.map((r) => ({ method: r.method, path: r.path })),
    ...(plan.catchAll ? [] : [EXTRA]),
  ];

  describe.each(PLATFORMS)('on %s', (platform) => {
    let app: DefinitionApp;
    beforeAll(async () => {
      app = await startDefinitionApp(platform, plan.options, served);
    });
    afterAll(() => app.close());

    it.each(
      plan.routes.map(
        (r) =>
          [`${r.method} ${r.path} (${r.auth}${r.apiKeyRequired ? ' + API key' : ''})`, r] as const,
      ),
    )('%s: allowed with its credential, refused without', async (_name, route) => {
      const method = verb(route);
      const path = samplePath(route);
      const credential = await credentialFor(route, plan);
      const allowed = await send(app, method, path, credential, route.auth === 'AWS_IAM');
      expect([200, 201]).toContain(allowed.status); // Nest answers POST 201
      if (method !== 'HEAD')
        expect(allowed.body).toEqual({ route: `${route.method} ${route.path}` });

      if (route.auth === 'NONE' && !route.apiKeyRequired) {
        // Nothing to withhold: the route is open, as on API Gateway.
        return;
      }
      const refused = await send(app, method, path, undefined, false);
      const expected = REFUSALS[route.auth] as (typeof REFUSALS)[string];
      expect(refused.status).toBe(expected.status);
      expect(refused.headers['x-amzn-errortype']).toBe(expected.errorType);
      if (method !== 'HEAD') expect(refused.text).toBe(expected.body);
      if (route.auth === 'JWT') expect(refused.headers['www-authenticate']).toMatch(/^Bearer /);
    });

    it('refuses a served route the definition does not cover, and names it in the drift report', async () => {
      if (plan.catchAll) {
        expect(app.drift?.uncovered).toEqual([]);
        return;
      }
      const res = await request(app.url).get(EXTRA.path);
      expect(res.status).toBe(403);
      expect(res.text).toBe('{"message":"Missing Authentication Token"}');
      expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(app.drift?.uncovered).toEqual([`GET ${EXTRA.path}`]);
      expect(app.drift?.notServed).toEqual([]);
    });
  });
});

describe('what the fixtures need to run, said at start-up', () => {
  it('names the context identity sources this library does not model, with the JSON path', () => {
    const file = join(FIXTURES, 'aws-sam-translator/api_with_auth_all_maximum.input.yaml');
    try {
      void new GatewayAuth({
        api: API,
        logger: silentLogger,
        apiDefinition: { file, apiKeys: null, userPools: {} },
      });
      throw new Error('started');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain(
        '$.Resources.MyApi.Properties.Auth.Authorizers.MyLambdaRequestAuth (authorizer MyLambdaRequestAuth).identitySource: context variable "Authorization4" is not supported',
      );
      // "arn:aws:1" is not a user pool: the pool must be described.
      expect(message).toContain('arn:aws:1 is not a user pool ARN');
    }
  });
});
