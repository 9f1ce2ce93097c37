// Request bodies on Nest (Express and Fastify), with no wiring by the app: no `rawBody: true`, no
// parser of its own. A SigV4-signed body of any content type (JSON, text, binary, form, XML, none)
// is accepted when intact and refused when changed after signing, by three signers we did not
// write (@smithy/signature-v4, aws4, botocore); handlers still get their parsed JSON and forms; a
// body over the limit gets API Gateway's 413; and every refusal (gateway-auth's, the API
// definition's, the service's own guard) wins over the body parser's error, which authorized
// callers get exactly as Nest alone would answer it.
import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  Req,
  UseGuards,
  type CanActivate,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, systemClock, type GatewayAuthOptions } from 'api-gateway-auth';
import { GatewayAuthModule, IamAuth } from 'api-gateway-auth/nest';
import { describeWithBotocore, sendWithBotocore, type BotocoreResult } from '../helpers/botocore';
import { sendRaw, type RawResponse } from '../helpers/raw-http';
import {
  BODY_CASES,
  JSON_MADE_INVALID,
  PARSED,
  seen,
  sha256,
  type BodyCase,
  type SeenBody,
} from './body-cases';
import { ALICE, API, CREDENTIALS } from './iam-test-app';
import { signWithSmithy } from './sign-request';
import {
  botocoreBodyRequests,
  expectSignatureRefusal,
  headersOf,
  sendSigned,
  signBodyWithAws4,
  signBodyWithSmithy,
} from './signed-bodies';

type Platform = 'express' | 'fastify';
type RawBodyRequest = { rawBody?: Buffer };

/** The service's own guard: refuses every request (Nest's 403 "Forbidden resource"). */
@Injectable()
class RefuseGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller()
class BodiesController {
  @IamAuth()
  @Post('echo')
  echo(@Body() body: unknown, @Req() req: RawBodyRequest): SeenBody {
    return seen(body, req.rawBody);
  }

  @IamAuth()
  @Get('echo')
  echoGet(@Req() req: RawBodyRequest): SeenBody {
    return seen(undefined, req.rawBody);
  }

  /** In the API definition, AWS_IAM (no decorator). */
  @Post('defined')
  defined(@Body() body: unknown, @Req() req: RawBodyRequest): SeenBody {
    return seen(body, req.rawBody);
  }

  /** Not in the definition (`uncoveredRoutes: 'allow'`): open. */
  @Post('open')
  open(@Body() body: unknown): SeenBody {
    return seen(body, undefined);
  }

  /** Open, and never reads its body. */
  @Post('ignores-body')
  ignoresBody(@Req() req: RawBodyRequest): unknown {
    return { rawSha256: req.rawBody ? sha256(req.rawBody) : null };
  }

  /** Open, and reads one field of the body. */
  @Post('name')
  name(@Body('name') name: unknown): unknown {
    return { name };
  }

  @UseGuards(RefuseGuard)
  @Post('guarded')
  guarded(): unknown {
    return { reached: true };
  }
}

/** A route reading its request stream itself (a proxy, an upload), and an @IamAuth() echo. */
@Controller()
class StreamingController {
  @Post('stream')
  async stream(@Req() req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return { streamed: sha256(Buffer.concat(chunks)) };
  }

  @IamAuth()
  @Post('echo')
  echo(@Body() body: unknown, @Req() req: RawBodyRequest): SeenBody {
    return seen(body, req.rawBody);
  }
}

/** The same open route in an app without gateway-auth: how Nest alone answers a bad body. */
@Controller()
class ControlController {
  @Post('open')
  open(@Body() body: unknown): SeenBody {
    return seen(body, undefined);
  }
}

/** An OpenAPI export putting AWS_IAM on `POST /defined`. */
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

interface Running {
  url: string;
  host: string;
  close(): Promise<void>;
}

async function start(
  platform: Platform,
  module: DynamicModule | (new () => unknown),
): Promise<Running> {
  const app: INestApplication =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return { url: `http://${host}`, host, close: () => app.close() };
}

function bodiesModule(options: Partial<GatewayAuthOptions> = {}): DynamicModule {
  @Module({})
  class BodiesModule {}
  return {
    module: BodiesModule,
    imports: [
      GatewayAuthModule.forRoot({
        api: { ...API },
        iam: { credentials: CREDENTIALS },
        // botocore signs with the current time.
        clock: systemClock,
        logger: silentLogger,
        apiDefinition: { document: DEFINITION, uncoveredRoutes: 'allow' },
        ...options,
      }),
    ],
    controllers: [BodiesController],
  };
}

@Module({ controllers: [ControlController] })
class ControlModule {}

/** What the handler gets on each platform for each body: parsed JSON and forms on both. */
function expectedBody(platform: Platform, c: BodyCase, body: Buffer): unknown {
  const parsed = PARSED[c.name];
  if (parsed !== undefined) return parsed;
  if (platform === 'express') return null; // Express leaves other types to the app (`req.rawBody`)
  if (c.name === 'text/plain') return body.toString('utf8'); // Fastify's text parser
  return { buffer: sha256(body) }; // Fastify: any other type as a Buffer
}

describe.each<Platform>(['express', 'fastify'])('request bodies on Nest with %s', (platform) => {
  let running: Running;
  let small: Running;
  let control: Running;

  beforeAll(async () => {
    running = await start(platform, bodiesModule());
    small = await start(platform, bodiesModule({ bodyLimitBytes: 1024 }));
    control = await start(platform, ControlModule);
  });
  afterAll(async () => {
    await Promise.all([running.close(), small.close(), control.close()]);
  });

  describe.each(BODY_CASES)('a signed $name body', (c) => {
    it('@smithy/signature-v4: accepted intact; the handler gets its body and the raw bytes', async () => {
      const res = await sendSigned(running, await signBodyWithSmithy(running, '/echo', c));
      expect(res.status).toBe(201);
      expect(res.json()).toEqual({
        body: expectedBody(platform, c, c.body),
        rawSha256: sha256(c.body),
      });
    });

    it('aws4: accepted intact', async () => {
      if (c.contentType === undefined) return; // aws4 always adds a Content-Type (form)
      const res = await sendSigned(running, signBodyWithAws4(running, '/echo', c));
      expect(res.status).toBe(201);
      expect(res.json()).toEqual({
        body: expectedBody(platform, c, c.body),
        rawSha256: sha256(c.body),
      });
    });

    it('changed after signing: refused with the signature answer (smithy, aws4)', async () => {
      const bySmithy = await sendSigned(
        running,
        await signBodyWithSmithy(running, '/echo', c),
        c.changed,
      );
      expectSignatureRefusal(bySmithy.status, bySmithy.headers['x-amzn-errortype'], bySmithy.text);
      if (c.contentType === undefined) return;
      const byAws4 = await sendSigned(running, signBodyWithAws4(running, '/echo', c), c.changed);
      expectSignatureRefusal(byAws4.status, byAws4.headers['x-amzn-errortype'], byAws4.text);
    });

    it('under the API definition (no decorator): accepted intact, refused changed', async () => {
      const signed = await signBodyWithSmithy(running, '/defined', c);
      const intact = await sendSigned(running, signed);
      expect(intact.status).toBe(201);
      expect(intact.json().rawSha256).toBe(sha256(c.body));
      const changed = await sendSigned(running, signed, c.changed);
      expect(changed.status).toBe(403);
      expect(changed.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    });
  });

  it('a signed POST without a body, and one with an empty body', async () => {
    const none = await signWithSmithy(
      { method: 'POST', host: running.host, path: '/echo', date: new Date() },
      ALICE,
    );
    const withoutBody = await sendSigned(running, none);
    const empty = Buffer.alloc(0);
    expect(withoutBody.status).toBe(201);
    expect(withoutBody.json().body).toBeNull();
    // Node's client sends `Content-Length: 0`: Express's capture reads the empty body, Fastify skips.
    expect([null, sha256(empty)]).toContain(withoutBody.json().rawSha256);
    const binary = BODY_CASES[2] as BodyCase;
    const res = await sendSigned(
      running,
      await signBodyWithSmithy(running, '/echo', binary, empty),
    );
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({
      body: expectedBody(platform, binary, empty),
      rawSha256: sha256(empty),
    });
  });

  it('a signed GET with a body (which the framework never parses): covered by the signature', async () => {
    const body = Buffer.from('a GET body');
    const signed = await signWithSmithy(
      {
        method: 'GET',
        host: running.host,
        path: '/echo',
        headers: { 'content-type': 'text/plain' },
        body,
        date: new Date(),
      },
      ALICE,
    );
    const intact = await sendSigned(running, signed);
    expect(intact.status).toBe(200);
    expect(intact.json()).toEqual({ body: null, rawSha256: sha256(body) });
    const changed = await sendSigned(running, signed, Buffer.from('a GET bodx'));
    expect(changed.status).toBe(403);
    expect(changed.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });

  describe('JSON the parser would refuse', () => {
    const jsonCase = BODY_CASES[0] as BodyCase;

    it('a signed JSON body changed into invalid JSON: the signature refusal, not the parser 400', async () => {
      const byAws4 = await sendSigned(
        running,
        signBodyWithAws4(running, '/echo', jsonCase),
        JSON_MADE_INVALID,
      );
      expectSignatureRefusal(byAws4.status, byAws4.headers['x-amzn-errortype'], byAws4.text);
      expect(byAws4.text).not.toMatch(/JSON|Unexpected|Expected/);
      const bySmithy = await sendSigned(
        running,
        await signBodyWithSmithy(running, '/echo', jsonCase),
        JSON_MADE_INVALID,
      );
      expectSignatureRefusal(bySmithy.status, bySmithy.headers['x-amzn-errortype'], bySmithy.text);
    });

    it('invalid JSON, signed as sent: authorized, then answered as Nest alone answers it', async () => {
      const signed = await signBodyWithSmithy(running, '/echo', {
        ...jsonCase,
        body: JSON_MADE_INVALID,
      });
      const res = await sendSigned(running, signed);
      const alone = await sendRaw(control.url, {
        method: 'POST',
        url: '/open',
        headers: { 'content-type': 'application/json' },
        body: JSON_MADE_INVALID,
      });
      expect(alone.status).toBe(400);
      expect({ status: res.status, body: res.json() }).toEqual({ status: 400, body: alone.json() });
    });

    it('invalid JSON on an open route: answered as Nest alone answers it', async () => {
      const request = {
        method: 'POST',
        url: '/open',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      };
      const res = await sendRaw(running.url, request);
      const alone = await sendRaw(control.url, request);
      expect(alone.status).toBe(400);
      expect({ status: res.status, body: res.json() }).toEqual({ status: 400, body: alone.json() });
    });

    it('a handler reading one field (@Body("name")) is answered the parser error too', async () => {
      const request = {
        method: 'POST',
        url: '/name',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      };
      const res = await sendRaw(running.url, request);
      const alone = await sendRaw(control.url, { ...request, url: '/open' });
      expect({ status: res.status, body: res.json() }).toEqual({ status: 400, body: alone.json() });
      const fine = await sendRaw(running.url, { ...request, body: '{"name":"Rex"}' });
      expect(fine.json()).toEqual({ name: 'Rex' });
    });

    it('a charset the parser refuses before reading: refusals first, then its own answer', async () => {
      const latin1 = {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=latin1' },
        body: '{"name":"Rex"}',
      };
      const unsigned = await sendRaw(running.url, { ...latin1, url: '/echo' });
      expect(unsigned.status).toBe(403);
      expect(unsigned.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      const alone = await sendRaw(control.url, { ...latin1, url: '/open' });
      const open = await sendRaw(running.url, { ...latin1, url: '/open' });
      expect({ status: open.status, body: open.json() }).toEqual({
        status: alone.status,
        body: alone.json(),
      });
      const jsonCase = BODY_CASES[0] as BodyCase;
      const signed = await signBodyWithSmithy(running, '/echo', {
        ...jsonCase,
        contentType: latin1.headers['content-type'],
        body: Buffer.from(latin1.body),
      });
      const res = await sendSigned(running, signed);
      // Express refuses the charset (415); Fastify's JSON parser does not look at it.
      if (alone.status >= 400) {
        expect({ status: res.status, body: res.json() }).toEqual({
          status: alone.status,
          body: alone.json(),
        });
      } else {
        expect({ status: res.status, body: res.json().body }).toEqual({
          status: 201,
          body: alone.json().body,
        });
      }
      expect(platform === 'express' ? 415 : 201).toBe(alone.status);
    });

    it('a handler that never reads the body is not answered the parser error', async () => {
      const res = await sendRaw(running.url, {
        method: 'POST',
        url: '/ignores-body',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      });
      expect(res.status).toBe(201);
      expect(res.json()).toEqual({ rawSha256: sha256('{"name":') });
    });

    it.each([
      ['@IamAuth() without a signature', '/echo', 'MissingAuthenticationTokenException'],
      [
        'the API definition (AWS_IAM) without a signature',
        '/defined',
        'MissingAuthenticationTokenException',
      ],
    ])('%s: the refusal, not the parser 400', async (_name, path, errorType) => {
      const res = await sendRaw(running.url, {
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      });
      expect({ status: res.status, type: res.headers['x-amzn-errortype'], text: res.text }).toEqual(
        {
          status: 403,
          type: errorType,
          text: '{"message":"Missing Authentication Token"}',
        },
      );
    });

    it("the service's own guard: its refusal, not the parser 400", async () => {
      const res = await sendRaw(running.url, {
        method: 'POST',
        url: '/guarded',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      });
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ message: 'Forbidden resource' });
    });
  });

  describe('bodies over the limit (bodyLimitBytes: 1024 here)', () => {
    const over = Buffer.alloc(1025, 0x61);
    const TOO_LARGE = 'HTTP content length exceeded 1024 bytes.';

    const expectTooLarge = (res: RawResponse, limit = TOO_LARGE): void => {
      expect({ status: res.status, type: res.headers['content-type'], text: res.text }).toEqual({
        status: 413,
        type: 'text; charset=utf-8',
        text: limit,
      });
      expect(res.headers['x-amzn-errortype']).toBeUndefined();
    };

    it('a body of exactly the limit is accepted', async () => {
      const body = Buffer.alloc(1024, 0x62);
      const c = { ...(BODY_CASES[2] as BodyCase), body };
      const res = await sendSigned(small, await signBodyWithSmithy(small, '/echo', c));
      expect(res.status).toBe(201);
      expect(res.json().rawSha256).toBe(sha256(body));
    });

    it.each([
      ['signed binary', BODY_CASES[2] as BodyCase, '/echo'],
      ['signed JSON', BODY_CASES[0] as BodyCase, '/echo'],
      ['unsigned JSON on an open route', BODY_CASES[0] as BodyCase, '/open'],
    ])("declared by Content-Length (%s): API Gateway's 413", async (_name, c, path) => {
      const signed = await signBodyWithSmithy(small, path, { ...c, body: over });
      const res = await sendRaw(small.url, {
        method: 'POST',
        url: signed.url,
        headers: path === '/open' ? headersOf(c) : signed.headers,
        body: over,
      });
      expectTooLarge(res);
    });

    it.each([
      ['signed binary', BODY_CASES[2] as BodyCase],
      ['signed JSON', BODY_CASES[0] as BodyCase],
    ])("sent chunked, counted as it arrives (%s): API Gateway's 413", async (_name, c) => {
      const signed = await signBodyWithSmithy(small, '/echo', { ...c, body: over });
      const res = await sendRaw(small.url, {
        method: 'POST',
        url: signed.url,
        headers: signed.headers,
        body: over,
        chunkSize: 256,
      });
      expectTooLarge(res);
    });

    it("by default, API Gateway's 10 MB: 10485760 bytes accepted, one more refused", async () => {
      const c = BODY_CASES[2] as BodyCase;
      const limit = Buffer.alloc(10485760, 0x63);
      const accepted = await sendSigned(
        running,
        await signBodyWithSmithy(running, '/echo', { ...c, body: limit }),
      );
      expect(accepted.status).toBe(201);
      expect(accepted.json().rawSha256).toBe(sha256(limit));
      const oneMore = Buffer.alloc(10485761, 0x63);
      const refused = await sendSigned(
        running,
        await signBodyWithSmithy(running, '/echo', { ...c, body: oneMore }),
      );
      expectTooLarge(refused, 'HTTP content length exceeded 10485760 bytes.');
    });
  });

  it('an app made from a testing module (Test.createTestingModule): bodies read all the same', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [bodiesModule()] }).compile();
    const app =
      platform === 'fastify'
        ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
            logger: false,
          })
        : moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const testing: Running = {
      url: `http://127.0.0.1:${port}`,
      host: `127.0.0.1:${port}`,
      close: () => app.close(),
    };
    try {
      const xml = BODY_CASES[4] as BodyCase;
      const res = await sendSigned(testing, await signBodyWithSmithy(testing, '/echo', xml));
      expect(res.json()).toEqual({
        body: expectedBody(platform, xml, xml.body),
        rawSha256: sha256(xml.body),
      });
      const unsigned = await sendRaw(testing.url, {
        method: 'POST',
        url: '/echo',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      });
      expect(unsigned.status).toBe(403);
    } finally {
      await testing.close();
    }
  });

  if (platform === 'express') {
    it('bodyParser: false and no parser added: bodies are left to the app, signed ones read raw', async () => {
      @Module({
        imports: [
          GatewayAuthModule.forRoot({
            api: { ...API },
            iam: { credentials: CREDENTIALS },
            clock: systemClock,
            logger: silentLogger,
          }),
        ],
        controllers: [StreamingController],
      })
      class StreamingModule {}
      const app = await NestFactory.create(StreamingModule, { logger: false, bodyParser: false });
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      const own: Running = {
        url: `http://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        close: () => app.close(),
      };
      try {
        const jsonCase = BODY_CASES[0] as BodyCase;
        const streamed = await sendRaw(own.url, {
          method: 'POST',
          url: '/stream',
          headers: { 'content-type': 'application/json' },
          body: jsonCase.body,
        });
        expect(streamed.json()).toEqual({ streamed: sha256(jsonCase.body) });
        const signed = await sendSigned(own, await signBodyWithSmithy(own, '/echo', jsonCase));
        expect(signed.status).toBe(201);
        expect(signed.json()).toEqual({ body: null, rawSha256: sha256(jsonCase.body) });
      } finally {
        await own.close();
      }
    });
  }

  describeWithBotocore('signed and sent by botocore', () => {
    const results = new Map<string, BotocoreResult>();
    beforeAll(async () => {
      const requests = botocoreBodyRequests(`${running.url}/echo`);
      requests.push([
        'json made invalid',
        {
          method: 'POST',
          url: `${running.url}/echo`,
          headers: { 'content-type': 'application/json' },
          bodyBase64: (BODY_CASES[0] as BodyCase).body.toString('base64'),
          credentials: ALICE,
          region: API.region,
          after: { bodyBase64: JSON_MADE_INVALID.toString('base64') },
        },
      ]);
      const out = await sendWithBotocore(requests.map(([, r]) => r));
      requests.forEach(([name], i) => results.set(name, out[i] as BotocoreResult));
    }, 60_000);

    const result = (name: string): BotocoreResult => {
      const found = results.get(name);
      if (!found) throw new Error(`no result for ${name}`);
      return found;
    };

    it.each(BODY_CASES)('$name: accepted intact, refused changed (SIG-22)', (c) => {
      const intact = result(`${c.name} intact`);
      expect(intact.status).toBe(201);
      expect(JSON.parse(intact.body)).toEqual({
        body: expectedBody(platform, c, c.body),
        rawSha256: sha256(c.body),
      });
      const changed = result(`${c.name} changed`);
      expectSignatureRefusal(changed.status, changed.headers['x-amzn-errortype'], changed.body);
    });

    it('JSON changed into invalid JSON: the signature refusal (SIG-22)', () => {
      const res = result('json made invalid');
      expectSignatureRefusal(res.status, res.headers['x-amzn-errortype'], res.body);
    });
  });
});
