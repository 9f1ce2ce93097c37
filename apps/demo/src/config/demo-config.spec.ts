import { DemoConfigError, loadDemoConfig } from './demo-config';

const MINIMAL = {
  COGNITO_USER_POOL_ID: 'us-east-1_AbC123xyz',
  IAM_CREDENTIALS_FILE: 'apps/demo/config/iam-credentials.json',
};

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadDemoConfig(env, '/srv');
  } catch (error) {
    expect(error).toBeInstanceOf(DemoConfigError);
    return (error as DemoConfigError).issues.map((i) => i.variable);
  }
  throw new Error('expected a DemoConfigError');
}

describe('loadDemoConfig (issue 6 item 3: env validated at start)', () => {
  it('applies the documented defaults', () => {
    const config = loadDemoConfig(MINIMAL, '/srv');
    expect(config).toEqual({
      port: 3000,
      host: '0.0.0.0',
      platform: 'express',
      logLevel: 'info',
      api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
      cognito: { userPoolId: 'us-east-1_AbC123xyz', clientIds: [] },
      iamCredentials: { file: '/srv/apps/demo/config/iam-credentials.json' },
      identityPolicies: { readerRoles: {}, unreadable: 'deny' },
      trustedProxies: [],
      accessLogFormat: 'JSON',
      emf: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadDemoConfig(
      {
        PORT: '8080',
        HOST: '127.0.0.1',
        HTTP_PLATFORM: 'fastify',
        LOG_LEVEL: 'WARN',
        GATEWAY_AUTH_REGION: 'eu-west-1',
        GATEWAY_AUTH_ACCOUNT_ID: '444455556666',
        GATEWAY_AUTH_API_ID: 'a1b2c3d4e5',
        GATEWAY_AUTH_STAGE: 'beta',
        COGNITO_USER_POOL_ID: 'eu-west-1_Pool',
        COGNITO_CLIENT_IDS: ' abc123 , def456 ',
        COGNITO_ISSUER: 'http://localhost:9229/eu-west-1_Pool',
        COGNITO_JWKS_URI: 'http://localhost:9229/eu-west-1_Pool/.well-known/jwks.json',
        IAM_CREDENTIALS_FILE: '/etc/creds.json',
        RESOURCE_POLICY_FILE: 'policy.json',
        AUTHORIZER_FUNCTION_NAME: 'orders-authorizer',
        AUTHORIZER_CACHE_REDIS_URL: 'redis://cache:6379',
        TRUSTED_PROXIES: '10.0.0.0/16, 192.168.1.1',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      platform: 'fastify',
      logLevel: 'warn',
      api: { region: 'eu-west-1', accountId: '444455556666', apiId: 'a1b2c3d4e5', stage: 'beta' },
      cognito: {
        userPoolId: 'eu-west-1_Pool',
        clientIds: ['abc123', 'def456'],
        issuer: 'http://localhost:9229/eu-west-1_Pool',
        jwksUri: 'http://localhost:9229/eu-west-1_Pool/.well-known/jwks.json',
      },
      iamCredentials: { file: '/etc/creds.json' },
      resourcePolicyFile: '/srv/policy.json',
      authorizerFunctionName: 'orders-authorizer',
      authorizerCacheRedisUrl: 'redis://cache:6379',
      trustedProxies: ['10.0.0.0/16', '192.168.1.1'],
    });
  });

  it('takes the SigV4 callers from IAM_CREDENTIALS (Secrets Manager) instead of a file', () => {
    const json = '{"credentials":[{"accessKeyId":"AKIAEXAMPLE"}]}';
    const config = loadDemoConfig({ COGNITO_USER_POOL_ID: 'us-east-1_X', IAM_CREDENTIALS: json });
    expect(config.iamCredentials).toEqual({ json: JSON.parse(json) });
  });

  it('rejects IAM_CREDENTIALS that is not the credentials JSON, without echoing it', () => {
    let message = '';
    try {
      loadDemoConfig({ ...MINIMAL, IAM_CREDENTIALS_FILE: '', IAM_CREDENTIALS: 'secret-ish{' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('IAM_CREDENTIALS: must be JSON');
    expect(message).not.toContain('secret-ish');
    expect(issuesOf({ ...MINIMAL, IAM_CREDENTIALS: '{"credentials":[]}' })).toEqual([
      'IAM_CREDENTIALS',
    ]);
  });

  it('takes ACCESS_LOG_FORMAT as an AWS example name, a format string, or off; EMF_METRICS', () => {
    const base = { COGNITO_USER_POOL_ID: 'us-east-1_AbC', IAM_CREDENTIALS_FILE: 'x.json' };
    expect(loadDemoConfig({ ...base, ACCESS_LOG_FORMAT: 'clf' }).accessLogFormat).toBe('CLF');
    expect(loadDemoConfig({ ...base, ACCESS_LOG_FORMAT: 'off' }).accessLogFormat).toBeUndefined();
    const custom = '$context.requestId $context.authorizer.principalId';
    expect(loadDemoConfig({ ...base, ACCESS_LOG_FORMAT: custom }).accessLogFormat).toBe(custom);
    expect(loadDemoConfig({ ...base, EMF_METRICS: 'on' }).emf).toEqual({
      namespace: 'GatewayAuthDemo',
    });
    expect(() =>
      loadDemoConfig({
        ...base,
        ACCESS_LOG_FORMAT: '$context.requestId $context.nope',
        EMF_METRICS: 'maybe',
      }),
    ).toThrow(
      /ACCESS_LOG_FORMAT: \$context\.nope is not an API Gateway access-log variable[\s\S]*EMF_METRICS: must be "on" or "off"/,
    );
  });

  it("takes BODY_LIMIT_BYTES as a whole number of bytes (default: API Gateway's, unset)", () => {
    const base = { COGNITO_USER_POOL_ID: 'us-east-1_AbC', IAM_CREDENTIALS_FILE: 'x.json' };
    expect(loadDemoConfig(base).bodyLimitBytes).toBeUndefined();
    expect(loadDemoConfig({ ...base, BODY_LIMIT_BYTES: '1048576' }).bodyLimitBytes).toBe(1048576);
    for (const bad of ['0', '-1', '1.5', '10MB', '99999999999999999999']) {
      expect(issuesOf({ ...base, BODY_LIMIT_BYTES: bad })).toEqual(['BODY_LIMIT_BYTES']);
    }
  });

  it('names the required variables when they are missing', () => {
    expect(issuesOf({})).toEqual(['COGNITO_USER_POOL_ID', 'IAM_CREDENTIALS_FILE']);
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['HTTP_PLATFORM', 'koa'],
    ['LOG_LEVEL', 'verbose'],
    ['GATEWAY_AUTH_REGION', 'US-EAST-1'],
    ['GATEWAY_AUTH_ACCOUNT_ID', '1234'],
    ['GATEWAY_AUTH_API_ID', 'pet store'],
    ['GATEWAY_AUTH_STAGE', 'prod/v1'],
    ['COGNITO_USER_POOL_ID', 'no-underscore'],
    ['COGNITO_CLIENT_IDS', 'ok,not ok'],
    ['COGNITO_ISSUER', 'ftp://issuer'],
    ['COGNITO_JWKS_URI', 'not a url'],
    ['AUTHORIZER_FUNCTION_NAME', 'bad name!'],
    ['AUTHORIZER_CACHE_REDIS_URL', 'http://cache:6379'],
    ['TRUSTED_PROXIES', '10.0.0.0/40'],
    ['TRUSTED_PROXIES', 'alb.internal'],
  ])('rejects %s=%j naming the variable', (variable, value) => {
    expect(issuesOf({ ...MINIMAL, [variable]: value })).toEqual([variable]);
  });

  it('reports every problem at once, one line per variable', () => {
    let message = '';
    try {
      loadDemoConfig({ PORT: 'x', HTTP_PLATFORM: 'koa' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('invalid configuration (4 problems)');
    expect(message).toMatch(/^ {2}PORT: /m);
    expect(message).toMatch(/^ {2}HTTP_PLATFORM: /m);
    expect(message).toMatch(/^ {2}COGNITO_USER_POOL_ID: /m);
    expect(message).toMatch(/^ {2}IAM_CREDENTIALS_FILE: /m);
  });

  describe('AWS identities (issue 13)', () => {
    it('reads the identity-proof, policy-reader and Lattice variables; the credentials file becomes optional', () => {
      const config = loadDemoConfig(
        {
          COGNITO_USER_POOL_ID: 'us-east-1_X',
          IAM_IDENTITY_PROOFS: 'true',
          IAM_IDENTITY_PROOF_AUDIENCE: 'petstore-prod',
          IAM_IDENTITY_PROOF_REGIONS: 'us-east-1, eu-west-1',
          IAM_POLICY_READER_ROLES:
            '{"444455556666": "arn:aws:iam::444455556666:role/gateway-auth-policy-reader"}',
          IAM_UNREADABLE_IDENTITY_POLICIES: 'resource-policy-only',
          LATTICE_TRUSTED_PEERS: '169.254.171.0/24, fd00:ec2:80::/64',
          LATTICE_SERVICE_ARNS:
            'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0',
        },
        '/srv',
      );
      expect(config.iamCredentials).toBeUndefined();
      expect(config).toMatchObject({
        identityProofs: { audience: 'petstore-prod', regions: ['us-east-1', 'eu-west-1'] },
        identityPolicies: {
          readerRoles: {
            '444455556666': 'arn:aws:iam::444455556666:role/gateway-auth-policy-reader',
          },
          unreadable: 'resource-policy-only',
        },
        lattice: {
          trustedPeers: ['169.254.171.0/24', 'fd00:ec2:80::/64'],
          serviceArns: ['arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0'],
        },
      });
    });

    it("proofs default to the API's region and audience", () => {
      const config = loadDemoConfig({ ...MINIMAL, IAM_IDENTITY_PROOFS: 'TRUE' }, '/srv');
      expect(config.identityProofs).toEqual({ regions: ['us-east-1'] });
    });

    it('names every invalid variable', () => {
      expect(
        issuesOf({
          COGNITO_USER_POOL_ID: 'us-east-1_X',
          IAM_IDENTITY_PROOFS: 'yes',
          IAM_IDENTITY_PROOF_AUDIENCE: 'has space',
          IAM_IDENTITY_PROOF_REGIONS: 'mars-1',
          IAM_POLICY_READER_ROLES: '{"444455556666": "arn:aws:iam::999999999999:role/x"}',
          IAM_UNREADABLE_IDENTITY_POLICIES: 'allow',
          LATTICE_TRUSTED_PEERS: 'lattice',
        }),
      ).toEqual([
        'IAM_IDENTITY_PROOFS',
        'IAM_IDENTITY_PROOF_AUDIENCE',
        'IAM_IDENTITY_PROOF_REGIONS',
        'IAM_POLICY_READER_ROLES',
        'IAM_UNREADABLE_IDENTITY_POLICIES',
        'LATTICE_TRUSTED_PEERS',
        'LATTICE_SERVICE_ARNS',
      ]);
    });
  });
});
