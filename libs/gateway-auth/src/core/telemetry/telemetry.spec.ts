// Metrics and spans of every model, recorded through @opentelemetry/api into the real SDK with
// in-memory exporters (test/helpers/otel-sdk.ts): decisions, latency, decision-cache hits and
// misses, authorizer invocations, JWKS fetches, failures; trace context reaching the authorizer;
// and a failing telemetry sink that changes no decision.
import {
  metrics,
  SpanKind,
  SpanStatusCode,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { installOtelSdk, valueOf, type OtelSdk } from '../../../../../test/helpers/otel-sdk';
import { authorizerPolicy } from '../../../../../test/helpers/authorizer-policy';
import { signWithAws4 } from '../../../../../test/sigv4/sign-request';
import type { LambdaContextLike } from '../authorizer/invokers/in-process-invoker';
import type { AuthError } from '../errors';
import { GatewayAuth, type GatewayAuthOptions } from '../gateway-auth';
import type { HttpRequest } from '../http-request';
import { silentLogger } from '../logger';
import { METRIC_NAMES } from './open-telemetry-options';

const api = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
};
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Telemetry';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWK = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };

/** Client contexts the in-process authorizer was invoked with. */
const seenContexts: LambdaContextLike[] = [];

function options(jwksDown: { value: boolean }): GatewayAuthOptions {
  return {
    api,
    logger: silentLogger,
    iam: {
      credentials: [
        {
          accessKeyId: 'AKIAOTEL000000000001',
          secretAccessKey: 'otel-secret-0000000000',
          principal: { arn: 'arn:aws:iam::111122223333:user/otel' },
          policies: [ALLOW_ALL],
        },
      ],
    },
    cognito: {
      userPools: [{ userPoolId: 'us-east-1_Telemetry', clientIds: null }],
      jwks: {
        refetchIntervalSeconds: 0,
        fetchDocument: () =>
          jwksDown.value
            ? Promise.reject(new Error('connect ECONNREFUSED'))
            : Promise.resolve({ keys: [JWK] }),
      },
    },
    authorizers: {
      orders: {
        type: 'TOKEN',
        ttlSeconds: 300,
        handler: async (event: { authorizationToken: string }, context: LambdaContextLike) => {
          seenContexts.push(context);
          await new Promise((resolve) => setImmediate(resolve));
          if (event.authorizationToken === 'crash') throw new Error('boom');
          if (event.authorizationToken === 'nobody') throw new Error('Unauthorized');
          return authorizerPolicy(event.authorizationToken === 'deny' ? 'Deny' : 'Allow');
        },
      },
    },
  };
}

function request(headers: Record<string, string> = {}, path = '/orders'): HttpRequest {
  return { method: 'GET', path, rawQuery: '', headers, sourceIp: '127.0.0.1', secure: false };
}

/** `allow`, or the response type of the refusal (thrown synchronously or rejected). */
async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'allow';
  } catch (error) {
    return (error as AuthError).responseType;
  }
}

const custom = { model: 'custom', options: { name: 'orders' } } as const;
const cognito = { model: 'cognito', options: {} } as const;
const iam = { model: 'iam', options: {} } as const;

function idToken(claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'id', aud: 'client-1', sub: 'alice', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

describe('telemetry through the OpenTelemetry SDK (in-memory exporters)', () => {
  let sdk: OtelSdk;
  let auth: GatewayAuth;
  const jwksDown = { value: false };

  beforeAll(() => {
    sdk = installOtelSdk();
    auth = new GatewayAuth(options(jwksDown));
  });
  afterAll(async () => {
    await auth.close();
    await sdk.shutdown();
  });

  it('Lambda authorizer: a miss invokes (child span), a hit does not; decisions and cache lookups counted', async () => {
    sdk.resetSpans();
    const headers = { authorization: 'allow-token' };
    expect(await outcome(() => auth.authorize(request(headers), custom))).toBe('allow');
    expect(await outcome(() => auth.authorize(request(headers), custom))).toBe('allow');

    const lookups = await sdk.points(METRIC_NAMES.cacheLookups);
    const base = { 'gateway_auth.authorizer': 'orders', 'gateway_auth.cache.store': 'memory' };
    expect(valueOf(lookups, { ...base, 'gateway_auth.cache.result': 'miss' })).toBe(1);
    expect(valueOf(lookups, { ...base, 'gateway_auth.cache.result': 'hit' })).toBe(1);
    const invokes = await sdk.points(METRIC_NAMES.authorizerDuration);
    expect(valueOf(invokes, { 'gateway_auth.authorizer': 'orders' })).toBe(1);
    const decisions = await sdk.points(METRIC_NAMES.decisions);
    expect(
      valueOf(decisions, {
        'gateway_auth.model': 'custom',
        'gateway_auth.authorizer': 'orders',
        'gateway_auth.decision': 'allow',
        'http.response.status_code': 200,
      }),
    ).toBe(2);
    const durations = await sdk.points(METRIC_NAMES.authorizationDuration);
    expect(durations).toEqual([expect.objectContaining({ attributes: {}, value: 2 })]);

    const spans = sdk.spans();
    const authorizations = spans.filter((s) => s.name === 'authorize custom');
    expect(authorizations).toHaveLength(2);
    const invoke = spans.find((s) => s.name === 'authorizer orders');
    expect(invoke?.kind).toBe(SpanKind.INTERNAL);
    const parent = authorizations.find(
      (s) => s.spanContext().spanId === invoke?.parentSpanContext?.spanId,
    );
    expect(parent?.attributes).toMatchObject({
      'gateway_auth.decision': 'allow',
      'http.response.status_code': 200,
    });
    // The authorizer ran with the invocation's trace context, as Lambda's clientContext.Custom.
    const traceparent = seenContexts.at(-1)?.clientContext?.Custom.traceparent;
    expect(traceparent).toBe(
      `00-${invoke?.spanContext().traceId}-${invoke?.spanContext().spanId}-01`,
    );
  });

  it('Lambda authorizer: a Deny, an Unauthorized and a crash are counted by response type', async () => {
    expect(await outcome(() => auth.authorize(request({ authorization: 'deny' }), custom))).toBe(
      'ACCESS_DENIED',
    );
    expect(await outcome(() => auth.authorize(request({ authorization: 'nobody' }), custom))).toBe(
      'UNAUTHORIZED',
    );
    expect(await outcome(() => auth.authorize(request({ authorization: 'crash' }), custom))).toBe(
      'AUTHORIZER_CONFIGURATION_ERROR',
    );
    const decisions = await sdk.points(METRIC_NAMES.decisions);
    const deny = { 'gateway_auth.model': 'custom', 'gateway_auth.decision': 'deny' };
    expect(valueOf(decisions, { ...deny, 'gateway_auth.response_type': 'ACCESS_DENIED' })).toBe(1);
    expect(valueOf(decisions, { ...deny, 'gateway_auth.response_type': 'UNAUTHORIZED' })).toBe(1);
    expect(
      valueOf(decisions, {
        ...deny,
        'gateway_auth.response_type': 'AUTHORIZER_CONFIGURATION_ERROR',
        'http.response.status_code': 500,
      }),
    ).toBe(1);
    const invokes = await sdk.points(METRIC_NAMES.authorizerDuration);
    expect(valueOf(invokes, { 'error.type': 'AuthorizerFunctionError' })).toBe(1);
    const failed = sdk
      .spans()
      .find((s) => s.name === 'authorize custom' && s.status.code === SpanStatusCode.ERROR);
    expect(failed?.attributes['gateway_auth.response_type']).toBe('AUTHORIZER_CONFIGURATION_ERROR');
    expect(auth.telemetry.enabled).toBe(true);
  });

  it('Cognito: the JWKS fetch is a child span of the first authorization, counted as a fetch', async () => {
    sdk.resetSpans();
    const token = await idToken();
    expect(
      await outcome(() => auth.authorize(request({ authorization: token }, '/pets'), cognito)),
    ).toBe('allow');
    const expired = await new SignJWT({ token_use: 'id', aud: 'client-1', sub: 'bob' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setIssuedAt(1_000)
      .setExpirationTime(2_000)
      .sign(privateKey);
    expect(
      await outcome(() => auth.authorize(request({ authorization: expired }, '/pets'), cognito)),
    ).toBe('UNAUTHORIZED');
    const fetches = await sdk.points(METRIC_NAMES.jwksFetches);
    expect(valueOf(fetches, { 'gateway_auth.outcome': 'success' })).toBe(1);
    const fetch = sdk.spans().find((s) => s.name === 'GET jwks');
    expect(fetch?.kind).toBe(SpanKind.CLIENT);
    const parent = sdk
      .spans()
      .find((s) => s.spanContext().spanId === fetch?.parentSpanContext?.spanId);
    expect(parent?.name).toBe('authorize cognito');
    const decisions = await sdk.points(METRIC_NAMES.decisions);
    expect(
      valueOf(decisions, { 'gateway_auth.model': 'cognito', 'gateway_auth.decision': 'allow' }),
    ).toBe(1);
    expect(
      valueOf(decisions, {
        'gateway_auth.model': 'cognito',
        'gateway_auth.response_type': 'UNAUTHORIZED',
        'http.response.status_code': 401,
      }),
    ).toBe(1);
  });

  it('Cognito: a failed JWKS fetch is counted; the cached keys keep the JWKS healthy', async () => {
    jwksDown.value = true;
    const unknownKid = await new SignJWT({ token_use: 'id', aud: 'c', sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rotated' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(
      await outcome(() => auth.authorize(request({ authorization: unknownKid }, '/pets'), cognito)),
    ).toBe('UNAUTHORIZED');
    const fetches = await sdk.points(METRIC_NAMES.jwksFetches);
    expect(valueOf(fetches, { 'gateway_auth.outcome': 'failure', 'error.type': 'Error' })).toBe(1);
    const health = await auth.health();
    // The crash of the previous test counts; a Deny or "Unauthorized" is an answer.
    expect(health.authorizers).toEqual([
      expect.objectContaining({ name: 'orders', healthy: true, consecutiveFailures: 1 }),
    ]);
    const [jwks] = health.jwks;
    expect(jwks).toMatchObject({ healthy: true, cachedKeys: 1, lastError: 'connect ECONNREFUSED' });
    const fresh = await idToken();
    expect(await outcome(() => auth.authorize(request({ authorization: fresh }), cognito))).toBe(
      'allow',
    );
    jwksDown.value = false;
  });

  it('IAM: an allowed and a badly signed request are counted (no authorizer attribute)', async () => {
    const signed = signWithAws4(
      { method: 'GET', host: 'localhost', path: '/pets', date: new Date() },
      { accessKeyId: 'AKIAOTEL000000000001', secretAccessKey: 'otel-secret-0000000000' },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
    expect(await outcome(() => auth.authorize(request(headers, '/pets'), iam))).toBe('allow');
    const signature = headers.authorization!;
    const last = signature.endsWith('0') ? '1' : '0';
    const tampered = { ...headers, authorization: signature.slice(0, -1) + last };
    const tamperedOutcome = await outcome(() => auth.authorize(request(tampered, '/pets'), iam));
    expect(tamperedOutcome).not.toBe('allow');
    const decisions = await sdk.points(METRIC_NAMES.decisions);
    const allowPoint = decisions.find(
      (p) =>
        p.attributes['gateway_auth.model'] === 'iam' &&
        p.attributes['gateway_auth.decision'] === 'allow',
    );
    expect(allowPoint?.value).toBe(1);
    expect(allowPoint?.attributes).not.toHaveProperty('gateway_auth.authorizer');
    expect(
      valueOf(decisions, {
        'gateway_auth.model': 'iam',
        'gateway_auth.response_type': tamperedOutcome,
      }),
    ).toBe(1);
  });
});

describe('a failing telemetry sink changes no decision', () => {
  // An SDK whose instruments cannot be created: every metric call throws.
  const failingProvider: MeterProvider = {
    getMeter: (): Meter =>
      new Proxy({} as Meter, {
        get: () => () => {
          throw new Error('meter exploded');
        },
      }),
  };

  afterAll(() => metrics.disable());

  it('allows and refuses exactly as without telemetry, and says so once in the log', async () => {
    metrics.setGlobalMeterProvider(failingProvider);
    const lines: string[] = [];
    const auth = new GatewayAuth({
      ...options({ value: false }),
      logger: { log: (_level, event) => lines.push(event), enabled: (level) => level === 'error' },
    });
    expect(await outcome(() => auth.authorize(request({ authorization: 'allow-x' }), custom))).toBe(
      'allow',
    );
    expect(await outcome(() => auth.authorize(request({ authorization: 'allow-x' }), custom))).toBe(
      'allow',
    );
    expect(await outcome(() => auth.authorize(request({ authorization: 'deny' }), custom))).toBe(
      'ACCESS_DENIED',
    );
    expect(await outcome(() => auth.authorize(request({}), custom))).toBe('UNAUTHORIZED');
    expect(lines).toEqual(['telemetry.failed']);
    await auth.close();
  });

  it('telemetry: false records nothing and skips the per-request work', () => {
    const auth = new GatewayAuth({ ...options({ value: false }), telemetry: false });
    expect(auth.telemetry.enabled).toBe(false);
  });

  it('with no SDK registered, the default telemetry is skipped on the hot path', () => {
    metrics.disable();
    const auth = new GatewayAuth(options({ value: false }));
    expect(auth.telemetry.enabled).toBe(false);
  });
});
