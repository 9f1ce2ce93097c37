// IAM refusals go through the gateway-response table, so they can be customised per response type
// like API Gateway's gateway responses (GR-05), on both platforms.
import { ALICE, DAVE, NOW, startIamApp, type Platform, type RunningApp } from './iam-test-app';
import { send } from './send';
import { signWithSmithy } from './sign-request';

describe.each<Platform>(['express', 'fastify'])(
  'customised gateway responses on %s',
  (platform) => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startIamApp(platform, {
        gatewayResponses: {
          INVALID_SIGNATURE: {
            statusCode: 401,
            headers: { 'x-custom': 'sigv4' },
            bodyTemplate:
              '{"error":"$context.error.responseType","detail":$context.error.messageString}',
          },
          ACCESS_DENIED: { bodyTemplate: '{"denied":true}' },
          MISSING_AUTHENTICATION_TOKEN: { statusCode: 401 },
        },
      });
    });
    afterAll(async () => {
      await running.close();
    });

    it('INVALID_SIGNATURE: status, header and body template', async () => {
      const signed = await signWithSmithy(
        {
          method: 'GET',
          host: running.host,
          path: '/pets',
          date: new Date(NOW.getTime() - 3_600_000),
        },
        ALICE,
      );
      const res = await send(running.url, signed);
      expect(res.status).toBe(401);
      expect(res.headers['x-custom']).toBe('sigv4');
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(res.body).toEqual({
        error: 'INVALID_SIGNATURE',
        detail:
          'Signature expired: 20260301T090000Z is now earlier than 20260301T095500Z (20260301T100000Z - 5 min.)',
      });
    });

    it('ACCESS_DENIED and MISSING_AUTHENTICATION_TOKEN', async () => {
      const denied = await send(
        running.url,
        await signWithSmithy({ method: 'GET', host: running.host, path: '/pets', date: NOW }, DAVE),
      );
      expect(denied.status).toBe(403);
      expect(denied.body).toEqual({ denied: true });
      const missing = await send(running.url, { method: 'GET', url: '/pets', headers: {} });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ message: 'Missing Authentication Token' });
    });
  },
);
