/**
 * The path a request is authorized for must be the path whose handler runs. Express matches routes
 * regardless of case and trailing slash, Fastify decodes percent-escapes before matching, and both
 * run GET handlers for HEAD; none of these spellings may slip past a Deny on `.../GET/admin*`
 * (PIPE-02, RP-03, ARN-02). Found by review: each case below reached the handler before the fix.
 */
import 'reflect-metadata';
import { Controller, Get, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import request from 'supertest';
import { silentLogger, type GatewayAuthOptions } from 'api-gateway-auth';
import { CustomAuthorizer, GatewayAuthModule } from 'api-gateway-auth/nest';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';

const OPTIONS: GatewayAuthOptions = {
  api: { region: 'us-east-1', accountId: '111122223333', apiId: 'paths', stage: 'test' },
  authorizers: { t: { type: 'TOKEN', ttlSeconds: 300, handler: tokenAuthorizer } },
  resourcePolicy: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*/GET/admin*',
      },
    ],
  },
  logger: silentLogger,
};

@CustomAuthorizer('t')
@Controller()
class PathsController {
  @Get('admin')
  admin(): { admin: true } {
    return { admin: true };
  }

  @Get('pets/:id')
  pet(): { pet: true } {
    return { pet: true };
  }
}

@Module({})
class PathsModule {
  static create(): DynamicModule {
    return {
      module: PathsModule,
      imports: [GatewayAuthModule.forRoot(OPTIONS)],
      controllers: [PathsController],
    };
  }
}

describe.each(['express', 'fastify'] as const)(
  'authorized path = routed path on %s',
  (platform) => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      app =
        platform === 'fastify'
          ? await NestFactory.create(PathsModule.create(), new FastifyAdapter(), { logger: false })
          : await NestFactory.create(PathsModule.create(), { logger: false });
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as { port: number };
      url = `http://127.0.0.1:${port}`;
    });
    afterAll(async () => {
      await app?.close();
    });

    it('denies /admin by the resource policy, allows other routes', async () => {
      const denied = await request(url).get('/admin').set('Authorization', 'allow').expect(403);
      expect(denied.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      await request(url).get('/pets/1').set('Authorization', 'allow').expect(200);
    });

    it.each(['/ADMIN', '/Admin', '/admin/', '/%61dmin', '/adm%69n', '/%61DMIN'])(
      'never runs the handler for %s',
      async (path) => {
        const res = await request(url).get(path).set('Authorization', 'allow');
        // 403 when it reached a guarded route, 404 when the framework does not route it at all.
        expect([403, 404]).toContain(res.status);
        expect(res.text).not.toContain('"admin":true');
      },
    );

    it('refuses HEAD on a GET-only route instead of authorizing it as HEAD', async () => {
      const res = await request(url).head('/admin').set('Authorization', 'allow');
      expect(res.status).toBe(403);
    });

    it('keeps parameters case-sensitive-free but literals exact', async () => {
      await request(url).get('/pets/ABC').set('Authorization', 'allow').expect(200);
      const res = await request(url).get('/PETS/1').set('Authorization', 'allow');
      expect([403, 404]).toContain(res.status);
      expect(res.text).not.toContain('"pet":true');
    });
  },
);
