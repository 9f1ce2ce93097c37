/**
 * GatewayAuthModule as Nest users expect it (issue 12, after @nestjs/throttler and
 * @nestjs/cache-manager), on Express and on Fastify: `forRootAsync` with `@nestjs/config`'s
 * `ConfigService`; the pluggable parts provided under their injection tokens (`DecisionCache`,
 * `CredentialProvider`, `KeySource`) and replaceable through DI; Nest's `Logger` by default; the
 * global filter optional; typed per-model context decorators that fail closed on the wrong route.
 * Real requests, real signatures (`@smithy/signature-v4`), real tokens (jose): nothing mocked.
 */
import 'reflect-metadata';
import {
  ConsoleLogger,
  Controller,
  Get,
  Inject,
  Injectable,
  UseFilters,
  type DynamicModule,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  ConfigError,
  MemoryCredentialProvider,
  MemoryDecisionCache,
  silentLogger,
  type CachedDecision,
  type GatewayAuthOptions,
} from 'api-gateway-auth';
import {
  AuthContext,
  CognitoAuth,
  CognitoAuthContext,
  CredentialProvider,
  CustomAuthContext,
  CustomAuthorizer,
  DecisionCache,
  GatewayAuthModule,
  GatewayResponseFilter,
  IamAuth,
  IamAuthContext,
  KeySource,
  Public,
  type GatewayAuthModuleOptions,
} from 'api-gateway-auth/nest';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';
import { mint, newKey, StaticKeySource } from '../cognito/helpers/tokens';
import { signWithSmithy } from '../sigv4/sign-request';
import { send } from '../sigv4/send';
import { ALICE, API, CREDENTIALS } from '../sigv4/iam-test-app';

const POOL = 'us-east-1_NestMod1';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const key = newKey('nest-module-key');

@Controller()
class RoutesController {
  @IamAuth()
  @Get('iam')
  iam(@IamAuthContext() auth: IamAuthContext): { arn: string | null } {
    return { arn: auth.identity.userArn };
  }

  @CognitoAuth()
  @Get('cognito')
  cognito(@CognitoAuthContext() auth: CognitoAuthContext): { sub: string | undefined } {
    return { sub: auth.claims.sub };
  }

  @CustomAuthorizer('orders')
  @Get('orders')
  orders(@CustomAuthContext() auth: CustomAuthContext): { principal: string | null } {
    return { principal: auth.principalId };
  }

  /** The wrong typed decorator for the route's model: a misconfiguration, refused (fail closed). */
  @CustomAuthorizer('orders')
  @Get('mismatch')
  mismatch(@IamAuthContext() auth: IamAuthContext): unknown {
    return auth.identity;
  }

  /** `@AuthContext()` narrows by `type`, API Gateway's authorization type. */
  @CustomAuthorizer('orders')
  @Get('narrow')
  narrow(@AuthContext() auth: AuthContext): { type: string; principal: string | null } {
    if (auth.type === 'CUSTOM') return { type: auth.type, principal: auth.principalId };
    if (auth.type === 'AWS_IAM') return { type: auth.type, principal: auth.identity.userArn };
    return { type: auth.type, principal: auth.claims.sub ?? null };
  }

  @Public()
  @Get('public')
  open(@AuthContext() auth: AuthContext | undefined): { auth: string } {
    return { auth: auth === undefined ? 'none' : auth.type };
  }
}

/** A route that applies the filter itself (the module registered with `globalFilter: false`). */
@Controller('filtered')
@UseFilters(GatewayResponseFilter)
class FilteredController {
  @CustomAuthorizer('orders')
  @Get()
  get(): string {
    return 'ok';
  }
}

/** An application provider reading the module's exported tokens. */
@Injectable()
class TokensReader {
  constructor(
    @Inject(DecisionCache) readonly cache: DecisionCache | null,
    @Inject(CredentialProvider) readonly credentials: CredentialProvider | null,
  ) {}
}

const gatewayAuth = registerAs('gatewayAuth', () => ({
  region: process.env.TEST_GATEWAY_REGION ?? 'us-east-1',
  accountId: '111122223333',
  apiId: API.apiId,
  stage: API.stage,
}));

/** Everything configured from ConfigService, the way the docs show it. */
function asyncModule(extras: Partial<GatewayAuthModuleOptions> = {}): DynamicModule {
  return GatewayAuthModule.forRootAsync({
    imports: [ConfigModule.forRoot({ load: [gatewayAuth], ignoreEnvFile: true })],
    inject: [ConfigService],
    useFactory: (config: ConfigService): GatewayAuthOptions => ({
      api: config.getOrThrow<GatewayAuthOptions['api']>('gatewayAuth'),
      iam: { credentials: CREDENTIALS },
      cognito: {
        userPools: [{ userPoolId: POOL, clientIds: null, keySource: new StaticKeySource([key]) }],
      },
      authorizers: { orders: { type: 'TOKEN', handler: tokenAuthorizer, ttlSeconds: 300 } },
      logger: silentLogger,
    }),
    ...extras,
  });
}

type Platform = 'express' | 'fastify';

/** A Cognito ID token of the test pool for `sub`, signed with the test key. */
function idToken(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return mint(key, {
    sub,
    iss: ISSUER,
    aud: 'client-1',
    token_use: 'id',
    iat: now,
    exp: now + 300,
  });
}

async function start(
  imports: DynamicModule[],
  platform: Platform,
  configure: (builder: ReturnType<typeof Test.createTestingModule>) => void = () => undefined,
  controllers: Type[] = [RoutesController],
): Promise<INestApplication> {
  const builder = Test.createTestingModule({
    imports,
    controllers,
    providers: [TokensReader],
  });
  configure(builder);
  const moduleRef = await builder.compile();
  const app =
    platform === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
          logger: false,
        })
      : moduleRef.createNestApplication({ logger: false });
  await app.init();
  if (platform === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

async function signedGet(app: INestApplication, path: string): Promise<request.Response> {
  const signed = await signWithSmithy(
    { method: 'GET', host: 'localhost', path, date: new Date() },
    ALICE,
  );
  return send(app.getHttpServer(), signed);
}

describe.each<Platform>(['express', 'fastify'])('GatewayAuthModule on %s', (platform) => {
  describe('forRootAsync with ConfigService', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await start([asyncModule()], platform);
    });
    afterAll(() => app.close());

    it('takes the API from ConfigService: a SigV4 caller reaches the typed IAM context', async () => {
      const res = await signedGet(app, '/iam');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ arn: 'arn:aws:iam::111122223333:user/alice' });
    });

    it('typed Cognito and authorizer contexts; @AuthContext() narrows by type', async () => {
      const token = await idToken('u-1');
      const server = app.getHttpServer();
      expect((await request(server).get('/cognito').set('authorization', token)).body).toEqual({
        sub: 'u-1',
      });
      expect((await request(server).get('/orders').set('authorization', 'allow')).body).toEqual({
        principal: 'user',
      });
      expect((await request(server).get('/narrow').set('authorization', 'allow')).body).toEqual({
        type: 'CUSTOM',
        principal: 'user',
      });
      expect((await request(server).get('/public')).body).toEqual({ auth: 'none' });
    });

    it("a typed context decorator on another model's route fails closed with API Gateway's 500", async () => {
      const res = await request(app.getHttpServer()).get('/mismatch').set('authorization', 'allow');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ message: null });
      expect(res.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
    });

    it('exports the parts it built under their tokens', () => {
      const reader = app.get(TokensReader);
      expect(reader.cache).toBeInstanceOf(MemoryDecisionCache);
      expect(reader.credentials).toBeInstanceOf(MemoryCredentialProvider);
    });

    it('a bad option from ConfigService stops the app at boot, naming the field', async () => {
      process.env.TEST_GATEWAY_REGION = 'moon-1';
      try {
        await expect(start([asyncModule()], platform)).rejects.toThrow(/api\.region: must be/);
      } finally {
        delete process.env.TEST_GATEWAY_REGION;
      }
    });
  });

  describe('injection tokens', () => {
    it('DecisionCache: a store provided through DI holds the authorizer decisions', async () => {
      const entries = new Map<string, CachedDecision>();
      const store: DecisionCache = {
        get: (ns, k) => Promise.resolve(entries.get(`${ns}|${k}`)),
        set: (ns, k, entry) => {
          entries.set(`${ns}|${k}`, entry);
          return Promise.resolve();
        },
        delete: (ns, k) => Promise.resolve(void entries.delete(`${ns}|${k}`)),
        flush: () => Promise.resolve(entries.clear()),
        close: () => Promise.resolve(),
      };
      const app = await start([asyncModule()], platform, (b) =>
        b.overrideProvider(DecisionCache).useValue(store),
      );
      try {
        const res = await request(app.getHttpServer()).get('/orders').set('authorization', 'allow');
        expect(res.status).toBe(200);
        expect([...entries.keys()]).toEqual([`${API.apiId}/${API.stage}/orders|allow`]);
      } finally {
        await app.close();
      }
    });

    it('CredentialProvider: keys from a provider given through DI', async () => {
      const alice = CREDENTIALS.filter((c) => c.accessKeyId === ALICE.accessKeyId);
      const app = await start(
        [
          GatewayAuthModule.forRoot({
            api: API,
            iam: { credentials: [] },
            logger: silentLogger,
          }),
        ],
        platform,
        (b) => b.overrideProvider(CredentialProvider).useValue(new MemoryCredentialProvider(alice)),
      );
      try {
        expect((await signedGet(app, '/iam')).status).toBe(200);
      } finally {
        await app.close();
      }
    });

    it('KeySource: the one pool verifies with a key source given through DI', async () => {
      const app = await start(
        [
          GatewayAuthModule.forRoot({
            api: API,
            cognito: { userPools: [{ userPoolId: POOL, clientIds: null }] },
            logger: silentLogger,
          }),
        ],
        platform,
        (b) => b.overrideProvider(KeySource).useValue(new StaticKeySource([key])),
      );
      try {
        const token = await idToken('u-2');
        const res = await request(app.getHttpServer()).get('/cognito').set('authorization', token);
        expect(res.body).toEqual({ sub: 'u-2' });
      } finally {
        await app.close();
      }
    });

    it('a KeySource given through DI with two pools configured is refused at boot', async () => {
      const twoPools = GatewayAuthModule.forRoot({
        api: API,
        cognito: {
          userPools: [
            { userPoolId: POOL, clientIds: null },
            { userPoolId: 'us-east-1_Other2', clientIds: null },
          ],
        },
        logger: silentLogger,
      });
      const failure = start([twoPools], platform, (b) =>
        b.overrideProvider(KeySource).useValue(new StaticKeySource([key])),
      );
      await expect(failure).rejects.toThrow(ConfigError);
      await expect(failure).rejects.toThrow(
        /exactly one user pool or issuer, and 2 are configured/,
      );
    });
  });

  describe("Nest's Logger by default", () => {
    it("writes decisions through the app's logger (context GatewayAuth) when no logger is given", async () => {
      const lines: string[] = [];
      class Capture extends ConsoleLogger {
        override log(message: unknown, context?: string): void {
          lines.push(`${context}: ${String(message)}`);
        }
        override warn(message: unknown, context?: string): void {
          lines.push(`${context}: ${String(message)}`);
        }
      }
      const module = GatewayAuthModule.forRoot({
        api: API,
        authorizers: { orders: { type: 'TOKEN', handler: tokenAuthorizer, ttlSeconds: 0 } },
      });
      const moduleRef = await Test.createTestingModule({
        imports: [module],
        controllers: [RoutesController],
      }).compile();
      moduleRef.useLogger(new Capture());
      const app =
        platform === 'fastify'
          ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter())
          : moduleRef.createNestApplication();
      app.useLogger(new Capture());
      await app.init();
      if (platform === 'fastify') {
        await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
      }
      try {
        await request(app.getHttpServer()).get('/orders').set('authorization', 'allow');
        await request(app.getHttpServer()).get('/orders').set('authorization', 'deny');
        const records = lines.filter((l) => l.startsWith('GatewayAuth: authorization '));
        expect(records).toHaveLength(2);
        expect(JSON.parse(records[0]!.slice('GatewayAuth: authorization '.length))).toMatchObject({
          model: 'custom',
          status: 200,
          principal: 'user',
        });
        expect(records[1]).toMatch(/"status":403/);
      } finally {
        await app.close();
      }
    });
  });

  describe('the global filter is optional', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await start([asyncModule({ globalFilter: false })], platform, undefined, [
        RoutesController,
        FilteredController,
      ]);
    });
    afterAll(() => app.close());

    it("without it, Nest answers API Gateway's status and JSON body, without x-amzn-ErrorType", async () => {
      const res = await request(app.getHttpServer()).get('/orders').set('authorization', 'deny');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
      expect(res.headers['x-amzn-errortype']).toBeUndefined();
    });

    it('@UseFilters(GatewayResponseFilter) restores the exact response where applied', async () => {
      const res = await request(app.getHttpServer()).get('/filtered').set('authorization', 'deny');
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    });
  });
});
