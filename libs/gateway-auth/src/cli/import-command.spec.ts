import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from './main';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'api-definitions');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), env: {} };
  const code = await main(['import', ...args], io);
  return { code, out, err };
}

describe('gateway-auth import', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'gateway-auth-import-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the stable JSON shape, unresolved parameters first of all, and exits 1 while any is missing', async () => {
    const { code, out } = await run([
      join(FIXTURES, 'aws-sam', 'api_lambda_token_auth.template.yaml'),
      '--output',
      'json',
    ]);
    expect(code).toBe(1);
    const table = JSON.parse(out) as Record<string, unknown>;
    expect(table).toMatchObject({
      routes: [
        {
          method: 'GET',
          path: '/',
          auth: 'CUSTOM',
          authorizer: 'MyLambdaTokenAuthorizer',
          scopes: [],
          apiKeyRequired: false,
        },
        {
          method: 'GET',
          path: '/users',
          auth: 'CUSTOM',
          authorizer: 'MyLambdaTokenAuthorizer',
          scopes: [],
          apiKeyRequired: false,
        },
      ],
      authorizers: [
        {
          name: 'MyLambdaTokenAuthorizer',
          type: 'TOKEN',
          identitySource: ['method.request.header.Authorization'],
          ttlSeconds: 300,
        },
      ],
      unresolved: ['MyAuthFunction.Arn'],
      api: { name: 'MyApi', kind: 'REST', format: 'sam' },
    });
  });

  it('exits 0 once --parameter supplies what is missing (repeated or listed)', async () => {
    const file = join(FIXTURES, 'aws-sam', 'api_lambda_token_auth.template.yaml');
    const arn = 'MyAuthFunction.Arn=arn:aws:lambda:us-east-1:111122223333:function:auth';
    expect(
      (await run([file, '--parameter', arn, '--parameter', 'AWS::Region=us-east-1'])).code,
    ).toBe(0);
    expect((await run([file, '--parameter', arn, 'AWS::Region=us-east-1'])).code).toBe(0);
  });

  it('prints a table, the decorators, and the drift against the served routes', async () => {
    const served = join(dir, 'served.json');
    writeFileSync(
      served,
      JSON.stringify(['GET /users/:userId', 'POST /users', 'GET /health', 'PATCH /users/:userId']),
    );
    const { code, out } = await run([
      join(FIXTURES, 'aws-sam', 'api_cognito_auth.template.yaml'),
      '--parameter',
      'MyCognitoUserPool.Arn=arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Abc',
      '--served',
      served,
      '--decorators',
    ]);
    expect(code).toBe(1); // drift
    expect(out).toContain('POST     /users           COGNITO_USER_POOLS  MyCognitoAuthorizer');
    expect(out).toContain(
      'in the definition, not served: GET /, ANY /{proxy+}, GET /users, DELETE /users/{userId}, PUT /users/{userId}\n',
    );
    expect(out).toContain(
      'CORS preflights not served (your CORS middleware answers them): OPTIONS /,',
    );
    // /health and PATCH /users/{userId} fall to the open ANY /{proxy+}... except that REST picks the
    // resource first: /users/{userId} has no PATCH, so that one is uncovered.
    expect(out).toContain('served, not in the definition (refused): PATCH /users/:userId');
    expect(out).toContain(
      'POST /users: @CognitoAuth({ authorizer: "MyCognitoAuthorizer" }) @Post("users")',
    );
    expect(out).toContain('ANY /{proxy+}: @Public() @All("*")');
  });

  it('boots a compiled Nest module (--app) to read the routes it serves', async () => {
    // Inside the repository, so the module resolves @nestjs/common as a service's own would.
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    const appDir = mkdtempSync(join(ROOT, '.tmp', 'import-app-'));
    const app = join(appDir, 'app.module.js');
    writeFileSync(
      app,
      [
        "require('reflect-metadata');",
        "const { Controller, Get, Post, Module } = require('@nestjs/common');",
        'class PetsController { list() {} create() {} health() {} }',
        'const d = (k) => Object.getOwnPropertyDescriptor(PetsController.prototype, k);',
        "Get('users')(PetsController.prototype, 'list', d('list'));",
        "Post('users')(PetsController.prototype, 'create', d('create'));",
        "Get('health')(PetsController.prototype, 'health', d('health'));",
        'Controller()(PetsController);',
        'class AppModule {}',
        'Module({ controllers: [PetsController] })(AppModule);',
        'exports.AppModule = AppModule;',
      ].join('\n'),
    );
    const { code, out } = await run([
      join(FIXTURES, 'aws-sam', 'api_lambda_token_auth.template.yaml'),
      '--parameter',
      'MyAuthFunction.Arn=arn:aws:lambda:us-east-1:111122223333:function:auth',
      '--app',
      app,
      '--output',
      'json',
    ]);
    rmSync(appDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect((JSON.parse(out) as { drift: unknown }).drift).toEqual({
      notServed: ['GET /'],
      preflightsNotServed: [],
      uncovered: ['POST /users', 'GET /health'],
      unmodelled: [],
    });
  });

  it('writes the equivalent options for teams that prefer decorators', async () => {
    const config = join(dir, 'config.json');
    const { code } = await run([
      join(FIXTURES, 'awsdocs-apigateway-guide', 'rest-with-auth.yaml'),
      '--parameter',
      'MyAuthFunction.Arn=arn:aws:lambda:eu-west-1:111122223333:function:docs-auth',
      'AWS::Region=eu-west-1',
      '--write-config',
      config,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({
      authorizers: {
        'my-authorizer': {
          type: 'REQUEST',
          identitySource: [
            'method.request.header.HeaderAuth1',
            'method.request.querystring.QueryString1',
          ],
          ttlSeconds: 300,
          functionName: 'arn:aws:lambda:eu-west-1:111122223333:function:docs-auth',
          lambdaClientConfig: { region: 'eu-west-1' },
        },
      },
      cognitoAuthorizers: {},
    });
  });

  it('lists every problem of a broken definition with its path, and usage errors exit 2', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({ openapi: '3.0.1', paths: { '/x': { get: { security: [{ Nope: [] }] } } } }),
    );
    const bad = await run([broken]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(
      '$.paths["/x"].get.security[0].Nope: security scheme "Nope" is not defined',
    );
    expect((await run([])).code).toBe(2);
    expect((await run([broken, '--output', 'yaml'])).code).toBe(2);
    expect((await run([broken, '--parameter', 'novalue'])).code).toBe(2);
  });
});
