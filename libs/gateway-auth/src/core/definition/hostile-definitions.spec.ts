// Broken and hostile definitions stop the start with every problem and its JSON path: a gateway is
// never built with a route left open.
import { ConfigError } from '../errors';
import { GatewayAuth, type GatewayAuthOptions } from '../gateway-auth';
import { silentLogger } from '../logger';
import type { ApiDefinitionOptions } from './definition-options';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const LAMBDA_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:auth/invocations';

function start(
  apiDefinition: ApiDefinitionOptions,
  extra: Partial<GatewayAuthOptions> = {},
): ConfigError {
  try {
    const gateway = new GatewayAuth({ api: API, logger: silentLogger, apiDefinition, ...extra });
    void gateway.close();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the gateway started');
}

const openapi = (paths: unknown, schemes: unknown = {}): ApiDefinitionOptions => ({
  document: {
    openapi: '3.0.1',
    info: { title: 't', version: '1' },
    paths,
    components: { securitySchemes: schemes },
  },
});

const tokenScheme = (type = 'token') => ({
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': { type, authorizerUri: LAMBDA_URI },
});

describe('a definition that cannot be enforced as written stops the start', () => {
  it('names a security requirement whose authorizer is not defined (a missing authorizer)', () => {
    const error = start(openapi({ '/pets': { get: { security: [{ Missing: [] }] } } }));
    expect(error.issues).toEqual([
      {
        path: '$.paths["/pets"].get.security[0].Missing',
        message: expect.stringContaining('not defined in securitySchemes') as string,
      },
    ]);
  });

  it('names an unknown authorizer type with its path', () => {
    const error = start(
      openapi({ '/pets': { get: { security: [{ Auth: [] }] } } }, { Auth: tokenScheme('saml') }),
    );
    expect(error.issues[0]).toEqual({
      path: '$.components.securitySchemes.Auth["x-amazon-apigateway-authorizer"].type',
      message: expect.stringContaining('unknown authorizer type "saml"') as string,
    });
    expect(error.message).toContain('securitySchemes.Auth');
  });

  it('finds a cycle in $ref instead of looping', () => {
    const error = start({
      document: {
        swagger: '2.0',
        info: {},
        paths: { '/pets': { $ref: '#/x-a' } },
        'x-a': { $ref: '#/x-b' },
        'x-b': { $ref: '#/x-a' },
      },
    });
    expect(error.issues).toEqual([
      { path: '$.paths["/pets"]', message: 'a cycle in $ref: #/x-a → #/x-b → #/x-a' },
    ]);
  });

  it('refuses a $ref outside the document', () => {
    const error = start(openapi({ '/pets': { $ref: 'https://example.com/evil.yaml#/paths/x' } }));
    expect(error.issues[0]?.message).toContain('not local to this document');
  });

  it('refuses a file over the size limit before parsing it', () => {
    const text = `openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\nx-padding: "${'a'.repeat(2048)}"\n`;
    const error = start({ text, maxBytes: 1024 });
    expect(error.issues).toEqual([
      {
        path: '$',
        message: expect.stringMatching(
          /^the file is \d+ bytes, over the 1024-byte limit/,
        ) as string,
      },
    ]);
  });

  it('refuses a YAML bomb (billion laughs) by its alias count', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n${levels.join('\n')}\n`;
    const started = Date.now();
    const error = start({ text });
    expect(error.issues[0]?.message).toMatch(/YAML aliases|values once aliases are expanded/);
    // Refused by counting, not by expanding 9^10 strings (no timing assertion: the suite finishing proves it).
    expect(Date.now() - started).toBeGreaterThanOrEqual(0);
  });

  it('refuses a YAML alias expansion too large even within the alias count', () => {
    const text = [
      'openapi: 3.0.1',
      "info: {title: t, version: '1'}",
      'paths: {}',
      `a: &a [${Array(1000).fill('"x"').join(',')}]`,
      `b: &b [${Array(150).fill('*a').join(',')}]`,
      `c: [${Array(40).fill('*b').join(',')}]`,
    ].join('\n');
    const error = start({ text, maxAliases: 1000 });
    expect(error.issues[0]?.message).toMatch(/values once aliases are expanded|YAML aliases/);
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `${'['.repeat(500)}${']'.repeat(500)}`;
    const error = start({ text: `{"openapi":"3.0.1","paths":{},"x":${deep}}` });
    expect(error.issues[0]?.message).toContain('nested deeper than 128 levels');
  });

  it('reports YAML syntax errors with their line', () => {
    const error = start({ text: 'openapi: 3.0.1\npaths:\n  /pets: {get: [}\n' });
    expect(error.issues[0]?.message).toMatch(/^line 3, column \d+:/);
  });

  it('refuses an unknown YAML tag and a __proto__ key', () => {
    expect(start({ text: 'Resources:\n  Api: !Evil x\n' }).issues[0]?.message).toContain(
      'tag: !Evil',
    );
    expect(
      start({ text: '{"openapi":"3.0.1","paths":{"__proto__":{}}}' }).issues[0]?.message,
    ).toContain('__proto__');
  });

  it('refuses an operation naming two authorizers (Q-OAS-1), unless told to take the first', () => {
    const schemes = { A: tokenScheme(), B: tokenScheme() };
    for (const security of [[{ A: [], B: [] }], [{ A: [] }, { B: [] }]]) {
      const error = start(openapi({ '/pets': { get: { security } } }, schemes));
      expect(error.issues[0]?.message).toContain(
        'names A and B: API Gateway enforces one authorizer per method',
      );
    }
    const gateway = new GatewayAuth({
      api: API,
      logger: silentLogger,
      apiDefinition: {
        ...openapi({ '/pets': { get: { security: [{ A: [] }, { B: [] }] } } }, schemes),
        multipleAuthorizers: 'first',
      },
    });
    expect(gateway.definition?.definition.routes[0]?.authorizer).toBe('A');
    return gateway.close();
  });

  it('lists every problem at once', () => {
    const error = start(
      openapi(
        {
          '/a': { get: { security: [{ Missing: [] }] } },
          '/b/{id}x': { get: {} },
          '/c': { fetch: {} },
        },
        { Bad: tokenScheme('saml') },
      ),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      '$.components.securitySchemes.Bad["x-amazon-apigateway-authorizer"].type',
      '$.paths["/a"].get.security[0].Missing',
      '$.paths["/b/{id}x"]',
      '$.paths["/c"].fetch',
    ]);
  });

  it('names the parameters a template still needs', () => {
    const text = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Api',
      '    Properties:',
      '      StageName: prod',
      '      Auth:',
      '        DefaultAuthorizer: Pool',
      '        Authorizers:',
      '          Pool: { UserPoolArn: !GetAtt UserPool.Arn }',
      '  UserPool: { Type: AWS::Cognito::UserPool }',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Events:',
      '        Get: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /pets, Method: get } }',
    ].join('\n');
    const error = start({ text });
    expect(error.message).toContain('needs UserPool.Arn: give them in apiDefinition.parameters');
  });

  it('refuses a CloudFormation method whose authorizer is missing, and a resource cycle', () => {
    const text = [
      'Resources:',
      '  Api: { Type: AWS::ApiGateway::RestApi }',
      '  A: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !Ref B, PathPart: a } }',
      '  B: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !Ref A, PathPart: b } }',
      '  Get:',
      '    Type: AWS::ApiGateway::Method',
      '    Properties: { RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: CUSTOM, AuthorizerId: !Ref Nope }',
    ].join('\n');
    const messages = start({ text })
      .issues.map((i) => i.message)
      .join('\n');
    expect(messages).toContain('resources form a cycle');
    expect(messages).toContain(
      'CUSTOM needs !Ref of an AWS::ApiGateway::Authorizer of Api (a missing authorizer)',
    );
  });

  it('requires the iam section for AWS_IAM routes and the accepted keys for API-key routes', () => {
    const doc = openapi(
      { '/pets': { get: { security: [{ sigv4: [], api_key: [] }] } } },
      {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      },
    );
    expect(start(doc).issues.map((i) => i.path)).toEqual(['iam', 'apiDefinition.apiKeys']);
  });

  it('refuses a Lambda authorizer configured both directly and by the definition', () => {
    const error = start(
      openapi({ '/pets': { get: { security: [{ Auth: [] }] } } }, { Auth: tokenScheme() }),
      {
        authorizers: { Auth: { type: 'TOKEN', handler: () => Promise.resolve({}) } },
      },
    );
    expect(error.issues[0]?.path).toBe('authorizers.Auth');
  });
});
