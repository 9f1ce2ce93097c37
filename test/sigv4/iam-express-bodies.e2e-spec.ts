// Request bodies on plain Express through the package's middleware, with no body parser mounted
// by the app: `iamAuth()` and `apiDefinitionMiddleware()` read the body themselves. Signed bodies of
// every content type are accepted intact and refused changed (@smithy/signature-v4, aws4,
// botocore); JSON and form handlers get their parsed objects; a body over the limit gets API
// Gateway's 413; a parse error reaches the app's error handler only once the request is allowed,
// as the same error express.json() would have raised.
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayAuth, silentLogger, systemClock, type GatewayAuthOptions } from 'api-gateway-auth';
import { apiDefinitionMiddleware, iamAuth } from 'api-gateway-auth/express';
import { describeWithBotocore, sendWithBotocore, type BotocoreResult } from '../helpers/botocore';
import { sendRaw, type RawResponse } from '../helpers/raw-http';
import { BODY_CASES, JSON_MADE_INVALID, PARSED, seen, sha256, type BodyCase } from './body-cases';
import { ALICE, API, CREDENTIALS } from './iam-test-app';
import { signWithSmithy } from './sign-request';
import {
  botocoreBodyRequests,
  expectSignatureRefusal,
  sendSigned,
  signBodyWithAws4,
  signBodyWithSmithy,
} from './signed-bodies';

const OPTIONS: GatewayAuthOptions = {
  api: { ...API },
  iam: { credentials: CREDENTIALS },
  clock: systemClock,
  logger: silentLogger,
};

const DEFINITION = {
  swagger: '2.0',
  info: { title: 'bodies', version: '1' },
  securityDefinitions: {
    sigv4: {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    },
  },
  paths: { '/defined': { post: { security: [{ sigv4: [] }], responses: {} } } },
};

const echo = (status: number) => (req: Request, res: Response) => {
  res.status(status).json(seen(req.body, (req as Request & { rawBody?: Buffer }).rawBody));
};

/** The app's error handler: what error reached it. */
const errors: ErrorRequestHandler = (
  error: { status?: number; message: string; type?: string },
  _req,
  res,
  _next,
) => {
  res.status(error.status ?? 500).json({ error: error.message, type: error.type ?? null });
};

interface Running {
  url: string;
  host: string;
  close(): Promise<void>;
}

async function listen(app: express.Express, gatewayAuth?: GatewayAuth): Promise<Running> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}`,
    host,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gatewayAuth?.close();
    },
  };
}

/** Routes behind `iamAuth()`, no body parser anywhere. */
async function startRoutes(options: Partial<GatewayAuthOptions> = {}): Promise<Running> {
  const gatewayAuth = new GatewayAuth({ ...OPTIONS, ...options });
  const app = express();
  app.post('/echo', iamAuth(gatewayAuth), echo(201));
  app.get('/echo', iamAuth(gatewayAuth), echo(200));
  app.use(errors);
  return listen(app, gatewayAuth);
}

/** The API definition in force app-wide, mounted before the routes; still no body parser. */
async function startDefinition(): Promise<Running> {
  const gatewayAuth = new GatewayAuth({
    ...OPTIONS,
    apiDefinition: { document: DEFINITION, uncoveredRoutes: 'allow' },
  });
  const app = express();
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(apiDefinitionMiddleware(gatewayAuth));
  app.post('/defined', echo(201));
  app.post('/open', echo(201));
  app.use(errors);
  return listen(app, gatewayAuth);
}

/** The same open route with express.json() and no gateway-auth: how the parser answers alone. */
async function startControl(): Promise<Running> {
  const app = express();
  app.use(express.json());
  app.post('/open', echo(201));
  app.use(errors);
  return listen(app);
}

function expectedBody(c: BodyCase): unknown {
  return PARSED[c.name] ?? null;
}

describe('request bodies on plain Express, read by the gateway-auth middleware', () => {
  let routes: Running;
  let definition: Running;
  let small: Running;
  let control: Running;

  beforeAll(async () => {
    [routes, definition, small, control] = await Promise.all([
      startRoutes(),
      startDefinition(),
      startRoutes({ bodyLimitBytes: 1024 }),
      startControl(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([routes.close(), definition.close(), small.close(), control.close()]);
  });

  describe.each(BODY_CASES)('a signed $name body', (c) => {
    it('iamAuth(): accepted intact (smithy, aws4); JSON and forms parsed into req.body', async () => {
      const bySmithy = await sendSigned(routes, await signBodyWithSmithy(routes, '/echo', c));
      expect(bySmithy.status).toBe(201);
      expect(bySmithy.json()).toEqual({ body: expectedBody(c), rawSha256: sha256(c.body) });
      if (c.contentType === undefined) return; // aws4 always adds a Content-Type
      const byAws4 = await sendSigned(routes, signBodyWithAws4(routes, '/echo', c));
      expect(byAws4.status).toBe(201);
      expect(byAws4.json()).toEqual({ body: expectedBody(c), rawSha256: sha256(c.body) });
    });

    it('iamAuth(): changed after signing, refused with the signature answer', async () => {
      const bySmithy = await sendSigned(
        routes,
        await signBodyWithSmithy(routes, '/echo', c),
        c.changed,
      );
      expectSignatureRefusal(bySmithy.status, bySmithy.headers['x-amzn-errortype'], bySmithy.text);
      if (c.contentType === undefined) return;
      const byAws4 = await sendSigned(routes, signBodyWithAws4(routes, '/echo', c), c.changed);
      expectSignatureRefusal(byAws4.status, byAws4.headers['x-amzn-errortype'], byAws4.text);
    });

    it('apiDefinitionMiddleware(): accepted intact, refused changed', async () => {
      const signed = await signBodyWithSmithy(definition, '/defined', c);
      const intact = await sendSigned(definition, signed);
      expect(intact.status).toBe(201);
      expect(intact.json()).toEqual({ body: expectedBody(c), rawSha256: sha256(c.body) });
      const changed = await sendSigned(definition, signed, c.changed);
      expect(changed.status).toBe(403);
      expect(changed.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    });
  });

  it('a signed GET with a body: covered by the signature', async () => {
    const body = Buffer.from('a GET body');
    const signed = await signWithSmithy(
      {
        method: 'GET',
        host: routes.host,
        path: '/echo',
        headers: { 'content-type': 'text/plain' },
        body,
        date: new Date(),
      },
      ALICE,
    );
    expect((await sendSigned(routes, signed)).json()).toEqual({
      body: null,
      rawSha256: sha256(body),
    });
    expect((await sendSigned(routes, signed, Buffer.from('a GET bodx'))).status).toBe(403);
  });

  describe('JSON the parser would refuse', () => {
    const jsonCase = BODY_CASES[0] as BodyCase;
    const invalid = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    };

    it('changed into invalid JSON after signing: the signature refusal, not the parser 400', async () => {
      const res = await sendSigned(
        routes,
        signBodyWithAws4(routes, '/echo', jsonCase),
        JSON_MADE_INVALID,
      );
      expectSignatureRefusal(res.status, res.headers['x-amzn-errortype'], res.text);
    });

    it("signed as sent: allowed, then express.json()'s own error reaches the app's handler", async () => {
      const res = await sendSigned(
        routes,
        await signBodyWithSmithy(routes, '/echo', { ...jsonCase, body: JSON_MADE_INVALID }),
      );
      const alone = await sendRaw(control.url, {
        ...invalid,
        url: '/open',
        body: JSON_MADE_INVALID,
      });
      expect(alone.json()).toMatchObject({ type: 'entity.parse.failed' });
      expect({ status: res.status, body: res.json() }).toEqual({ status: 400, body: alone.json() });
    });

    it.each([
      ['iamAuth() without a signature', () => routes, '/echo'],
      ['apiDefinitionMiddleware() (AWS_IAM) without a signature', () => definition, '/defined'],
    ])('%s: the refusal, not the parser 400', async (_name, app, path) => {
      const res = await sendRaw(app().url, { ...invalid, url: path });
      expect({ status: res.status, type: res.headers['x-amzn-errortype'], text: res.text }).toEqual(
        {
          status: 403,
          type: 'MissingAuthenticationTokenException',
          text: '{"message":"Missing Authentication Token"}',
        },
      );
    });

    it('a route the definition leaves open: the parser error, as express.json() alone', async () => {
      const res = await sendRaw(definition.url, { ...invalid, url: '/open' });
      const alone = await sendRaw(control.url, { ...invalid, url: '/open' });
      expect({ status: res.status, body: res.json() }).toEqual({ status: 400, body: alone.json() });
    });
  });

  describe('bodies over the limit (bodyLimitBytes: 1024 here)', () => {
    const over = Buffer.alloc(1025, 0x61);
    const expectTooLarge = (res: RawResponse): void => {
      expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({
        status: 413,
        type: 'text; charset=utf-8',
        text: 'HTTP content length exceeded 1024 bytes.',
      });
    };

    it.each([
      ['signed binary', BODY_CASES[2] as BodyCase],
      ['signed JSON', BODY_CASES[0] as BodyCase],
      ['signed form', BODY_CASES[3] as BodyCase],
    ])("%s, declared or sent chunked: API Gateway's 413", async (_name, c) => {
      const signed = await signBodyWithSmithy(small, '/echo', { ...c, body: over });
      expectTooLarge(await sendSigned(small, signed));
      expectTooLarge(
        await sendRaw(small.url, {
          method: 'POST',
          url: signed.url,
          headers: signed.headers,
          body: over,
          chunkSize: 100,
        }),
      );
    });

    it('exactly the limit is accepted', async () => {
      const body = Buffer.alloc(1024, 0x62);
      const res = await sendSigned(
        small,
        await signBodyWithSmithy(small, '/echo', { ...(BODY_CASES[2] as BodyCase), body }),
      );
      expect(res.json()).toEqual({ body: null, rawSha256: sha256(body) });
    });
  });

  describeWithBotocore('signed and sent by botocore', () => {
    const results = new Map<string, BotocoreResult>();
    beforeAll(async () => {
      const requests = botocoreBodyRequests(`${routes.url}/echo`);
      const out = await sendWithBotocore(requests.map(([, r]) => r));
      requests.forEach(([name], i) => results.set(name, out[i] as BotocoreResult));
    }, 60_000);

    it.each(BODY_CASES)('$name: accepted intact, refused changed (SIG-22)', (c) => {
      const intact = results.get(`${c.name} intact`) as BotocoreResult;
      expect(intact.status).toBe(201);
      expect(JSON.parse(intact.body)).toEqual({ body: expectedBody(c), rawSha256: sha256(c.body) });
      const changed = results.get(`${c.name} changed`) as BotocoreResult;
      expectSignatureRefusal(changed.status, changed.headers['x-amzn-errortype'], changed.body);
    });
  });
});
