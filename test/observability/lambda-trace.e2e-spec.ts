/**
 * Trace context reaches a deployed Lambda authorizer as AWS's instrumentation sends it (issue 15):
 * invoked through @aws-sdk/client-lambda against a local server speaking Lambda's Invoke API, the
 * request carries `ClientContext` `{"Custom": {traceparent}}` (OpenTelemetry's AWS SDK
 * instrumentation) and, with the X-Ray propagator, the `X-Amzn-Trace-Id` header (the X-Ray SDK's
 * way); the invocation is a CLIENT span under the authorization span.
 */
import { SpanKind } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { GatewayAuth, silentLogger } from 'api-gateway-auth';
import {
  startLambdaInvokeServer,
  useLambdaEndpoint,
  type LambdaInvokeServer,
} from '../authorizer/lambda-invoke-server';
import { installOtelSdk, type OtelSdk } from '../helpers/otel-sdk';
import { authorizerPolicy } from '../helpers/authorizer-policy';

describe('trace context to a Lambda authorizer (Invoke API)', () => {
  let server: LambdaInvokeServer;
  let restoreEnv: () => void;
  let sdk: OtelSdk;
  let auth: GatewayAuth;

  beforeAll(async () => {
    server = await startLambdaInvokeServer({
      'orders-authorizer': () => Promise.resolve(authorizerPolicy('Allow', 'user-1')),
    });
    restoreEnv = useLambdaEndpoint(server.url);
    // OTEL_PROPAGATORS=tracecontext,xray
    sdk = installOtelSdk(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new AWSXRayPropagator()],
      }),
    );
    auth = new GatewayAuth({
      api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
      logger: silentLogger,
      authorizers: {
        orders: { type: 'TOKEN', functionName: 'orders-authorizer', ttlSeconds: 0 },
      },
    });
  });

  afterAll(async () => {
    await auth.close();
    await sdk.shutdown();
    await server.close();
    restoreEnv();
  });

  it('sends traceparent in ClientContext.Custom and X-Amzn-Trace-Id, from the invoke span', async () => {
    await auth.authorize(
      {
        method: 'GET',
        path: '/orders',
        rawQuery: '',
        headers: { authorization: 'token-1' },
        sourceIp: '127.0.0.1',
        secure: false,
      },
      { model: 'custom', options: { name: 'orders' } },
    );
    const invoke = sdk.spans().find((s) => s.name === 'authorizer orders');
    expect(invoke?.kind).toBe(SpanKind.CLIENT);
    expect(invoke?.attributes).toMatchObject({
      'faas.invoked_name': 'orders-authorizer',
      'faas.invoked_provider': 'aws',
    });
    const parent = sdk
      .spans()
      .find((s) => s.spanContext().spanId === invoke?.parentSpanContext?.spanId);
    expect(parent?.name).toBe('authorize custom');
    const { traceId, spanId } = invoke!.spanContext();
    expect(server.lastClientContext).toEqual({
      Custom: expect.objectContaining({ traceparent: `00-${traceId}-${spanId}-01` }),
    });
    expect(server.lastTraceHeader).toBe(
      `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=1`,
    );
  });
});
