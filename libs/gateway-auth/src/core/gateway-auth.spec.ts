import { ConfigError } from './errors';
import { GatewayAuth } from './gateway-auth';
import { silentLogger } from './logger';

const api = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const request = {
  method: 'GET',
  path: '/pets',
  rawQuery: '',
  headers: {},
  sourceIp: '127.0.0.1',
  secure: false,
};

describe('GatewayAuth options and fail-closed dispatch', () => {
  it('names every invalid api field', () => {
    try {
      new GatewayAuth({
        api: { region: 'US', accountId: '12', apiId: '', stage: 'a b' },
        logger: silentLogger,
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const paths = (error as ConfigError).issues.map((i) => i.path);
      expect(paths).toEqual(['api.region', 'api.accountId', 'api.apiId', 'api.stage']);
    }
  });

  it('rejects a bad trusted proxy entry at boot', () => {
    expect(() => new GatewayAuth({ api, trustedProxies: ['nope'], logger: silentLogger })).toThrow(
      /trustedProxies/,
    );
  });

  it('answers 500 AuthorizerConfigurationException for a model that is not configured', async () => {
    const auth = new GatewayAuth({ api, logger: silentLogger });
    await expect(auth.authenticate(request, { model: 'iam', options: {} })).rejects.toMatchObject({
      code: 'MODEL_NOT_CONFIGURED',
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    });
  });

  it('logs every decision without secrets', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const auth = new GatewayAuth({
      api,
      logger: { log: (level, event, fields) => lines.push({ level, event, ...fields }) },
    });
    await expect(
      auth.authenticate(
        { ...request, headers: { authorization: 'Bearer secret-token' } },
        { model: 'cognito', options: {} },
      ),
    ).rejects.toBeDefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: 'authorization', model: 'cognito', path: '/pets' });
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });
});
