/**
 * The NestJS adapter end to end, on Express and on Fastify: `GatewayAuthGuard` (per route through
 * the decorators, and global through `APP_GUARD`), `GatewayResponseFilter` writing API Gateway's
 * exact status/headers/body, `@Public()` opt-outs, method-over-class precedence, `@AuthContext()`,
 * the guard's protected hooks, and gateway-response customisation (GR-*). The authorizer is the
 * example TOKEN authorizer run in-process: real code paths, nothing mocked.
 */
import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import request from 'supertest';
import {
  AuthError,
  silentLogger,
  type GatewayAuthOptions,
  type HttpRequest,
  type TokenAuthorizerEvent,
} from 'api-gateway-auth';
import {
  AuthContext,
  CustomAuthorizer,
  GatewayAuthGuard,
  GatewayAuthModule,
  GatewayResponseException,
  IamAuth,
  Public,
} from 'api-gateway-auth/nest';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';

/** Tokens the authorizer was invoked with (each test reads and clears it). */
const invocations: string[] = [];

const OPTIONS: GatewayAuthOptions = {
  api: { region: 'us-east-1', accountId: '111122223333', apiId: 'nestapi', stage: 'test' },
  authorizers: {
    t: {
      type: 'TOKEN',
      ttlSeconds: 0,
      handler: (event: TokenAuthorizerEvent) => {
        invocations.push(event.authorizationToken);
        return tokenAuthorizer(event);
      },
    },
  },
  logger: silentLogger,
};

/** Class-level requirement; one method opts out, one overrides it with a model that is off. */
@CustomAuthorizer('t')
@Controller('things')
class ThingsController {
  @Get()
  list(@AuthContext() auth: AuthContext | undefined): { auth: AuthContext | undefined } {
    return { auth };
  }

  @Public()
  @Get('open')
  open(@AuthContext() auth: AuthContext | undefined): { open: true; auth: null } {
    return { open: true, auth: auth === undefined ? null : (auth as never) };
  }

  @IamAuth()
  @Get('signed')
  signed(): { signed: true } {
    return { signed: true };
  }
}

/** Without decorators: public unless a global guard and class/method metadata say otherwise. */
@Controller('plain')
class PlainController {
  @Get()
  plain(): { plain: true } {
    return { plain: true };
  }
}

/** A subclass using the guard's protected hooks, as apps may. */
@Injectable()
class TaggingGuard extends GatewayAuthGuard {
  protected override handleError(error: AuthError, request: HttpRequest): Error {
    const base = super.handleError(error, request) as GatewayResponseException;
    base.rendered.headers['x-refused-by'] = `gateway-auth:${error.code}`;
    return base;
  }
}

@Controller('tagged')
class TaggedController {
  @CustomAuthorizer('t')
  @Get()
  tagged(): { tagged: true } {
    return { tagged: true };
  }
}

@Module({})
class TestModule {
  static with(options: GatewayAuthOptions, extra: Partial<DynamicModule> = {}): DynamicModule {
    return {
      module: TestModule,
      imports: [GatewayAuthModule.forRoot(options)],
      controllers: [ThingsController, PlainController, TaggedController],
      providers: [TaggingGuard],
      ...extra,
    };
  }
}

async function start(
  module: DynamicModule,
  platform: 'express' | 'fastify',
): Promise<INestApplication> {
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

function urlOf(app: INestApplication): string {
  const { port } = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe.each(['express', 'fastify'] as const)(
  'GatewayAuthGuard + GatewayResponseFilter on %s',
  (platform) => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      app = await start(TestModule.with(OPTIONS), platform);
      url = urlOf(app);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('@AuthContext() hands the handler $context.authorizer (LO-02, LO-09)', async () => {
      const res = await request(url).get('/things').set('Authorization', 'allow').expect(200);
      expect(res.body.auth).toEqual({
        type: 'CUSTOM',
        authorizerName: 't',
        principalId: 'user',
        authorizer: expect.objectContaining({
          principalId: 'user',
          stringKey: 'stringval',
          numberKey: '123',
          booleanKey: 'true',
        }),
        sourceIp: '127.0.0.1',
      });
    });

    it('writes 401 exactly: status, body, x-amzn-ErrorType, JSON content type (LT-02)', async () => {
      const res = await request(url).get('/things').expect(401);
      expect(res.text).toBe('{"message":"Unauthorized"}');
      expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
      // Fastify may add a charset; on Express the bytes are written as API Gateway sends them.
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      if (platform === 'express') expect(res.headers['content-type']).toBe('application/json');
    });

    it('writes 403 with the Message key (LO-03) and 500 {"message": null} byte for byte (LO-05)', async () => {
      const denied = await request(url).get('/things').set('Authorization', 'deny').expect(403);
      expect(denied.text).toBe(
        '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      );
      expect(denied.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      const broken = await request(url).get('/things').set('Authorization', 'boom').expect(500);
      expect(broken.text).toBe('{"message": null}');
      expect(broken.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
    });

    it('@Public() opts a method out of a class-level requirement; no context is attached', async () => {
      const res = await request(url).get('/things/open').expect(200);
      expect(res.body).toEqual({ open: true, auth: null });
    });

    it('a method-level decorator overrides the class-level one; an unconfigured model fails closed (500)', async () => {
      const res = await request(url)
        .get('/things/signed')
        .set('Authorization', 'allow')
        .expect(500);
      expect(res.text).toBe('{"message": null}');
      expect(res.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
    });

    it('routes without decorators are untouched', async () => {
      await request(url).get('/plain').expect(200, { plain: true });
    });
  },
);

describe.each(['express', 'fastify'] as const)(
  'global guard, hooks and customised responses on %s',
  (platform) => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      app = await start(
        TestModule.with(
          {
            ...OPTIONS,
            gatewayResponses: {
              UNAUTHORIZED: {
                statusCode: 401,
                headers: { 'www-authenticate': 'Bearer realm="things"' },
                bodyTemplate:
                  '{"error":"$context.error.responseType","detail":$context.error.messageString}',
              },
              DEFAULT_5XX: { bodyTemplate: '{"message":"try later"}' },
            },
          },
          { providers: [TaggingGuard, { provide: APP_GUARD, useClass: GatewayAuthGuard }] },
        ),
        platform,
      );
      url = urlOf(app);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('APP_GUARD enforces class-level metadata and still honours @Public()', async () => {
      await request(url).get('/things/open').expect(200);
      await request(url).get('/things').set('Authorization', 'allow').expect(200);
    });

    it('authorizes once per request when the global guard and a decorator both apply', async () => {
      invocations.length = 0;
      await request(url).get('/things').set('Authorization', 'allow').expect(200);
      expect(invocations).toEqual(['allow']);
    });

    it('renders customised gateway responses (GR-02/03, GR-05 templates)', async () => {
      const res = await request(url).get('/things').expect(401);
      expect(res.body).toEqual({ error: 'UNAUTHORIZED', detail: 'Unauthorized' });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="things"');
      const failed = await request(url).get('/things').set('Authorization', 'boom').expect(500);
      expect(failed.body).toEqual({ message: 'try later' });
    });
  },
);

describe.each(['express', 'fastify'] as const)(
  'a context attached before the guard on %s',
  (platform) => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      const module = TestModule.with(OPTIONS, {
        providers: [{ provide: APP_GUARD, useClass: GatewayAuthGuard }],
      });
      app =
        platform === 'fastify'
          ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
          : await NestFactory.create(module, { logger: false });
      // Something else (e.g. a middleware enforcing another requirement) attached a context.
      const earlier = { type: 'CUSTOM', authorizerName: 'other', principalId: 'x', authorizer: {} };
      if (platform === 'fastify') {
        const fastify = app.getHttpAdapter().getInstance() as {
          addHook(name: string, hook: (req: Record<string, unknown>) => Promise<void>): void;
        };
        fastify.addHook('preHandler', (req) => {
          req.gatewayAuth = earlier;
          return Promise.resolve();
        });
      } else {
        app.use((req: Record<string, unknown>, _res: unknown, next: () => void) => {
          req.gatewayAuth = earlier;
          next();
        });
      }
      await app.listen(0, '127.0.0.1');
      url = urlOf(app);
    });
    afterAll(async () => {
      await app?.close();
    });

    it("still enforces the route's own requirement (never an allow by accident)", async () => {
      invocations.length = 0;
      await request(url).get('/things').expect(401);
      const signed = await request(url).get('/things/signed').expect(500);
      expect(signed.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
      await request(url).get('/things').set('Authorization', 'allow').expect(200);
      expect(invocations).toEqual(['allow']);
    });
  },
);

describe.each(['express', 'fastify'] as const)('a subclassed guard on %s', (platform) => {
  let app: INestApplication;
  let url: string;

  @Controller('sub')
  class SubController {
    @CustomAuthorizer('t')
    @Get()
    sub(): { sub: true } {
      return { sub: true };
    }
  }

  beforeAll(async () => {
    app = await start(
      TestModule.with(OPTIONS, {
        controllers: [SubController],
        providers: [{ provide: APP_GUARD, useClass: TaggingGuard }],
      }),
      platform,
    );
    url = urlOf(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('handleError() can add headers to API Gateway responses', async () => {
    const res = await request(url).get('/sub').set('Authorization', 'deny').expect(403);
    expect(res.headers['x-refused-by']).toMatch(/^gateway-auth:[A-Z_]+$/);
    expect(res.body).toEqual({
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
    await request(url).get('/sub').set('Authorization', 'allow').expect(200, { sub: true });
  });
});
