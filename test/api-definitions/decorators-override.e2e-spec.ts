// Decorators still override the API definition per route, on Express and Fastify; the start-up
// drift report names definition routes the service does not serve; `uncoveredRoutes: 'allow'`
// lets routes the definition does not know through untouched.
import 'reflect-metadata';
import { Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { silentLogger, type GatewayAuthOptions } from 'api-gateway-auth';
import {
  ApiDefinitionDrift,
  CustomAuthorizer,
  GatewayAuthModule,
  Public,
} from 'api-gateway-auth/nest';

const URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:auth/invocations';
const DEFINITION = {
  swagger: '2.0',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets': { get: { security: [{ Token: [] }] }, post: { security: [{ Token: [] }] } },
    '/pets/{id}': { delete: { security: [{ Token: [] }] } },
    '/health': { get: {} },
  },
  securityDefinitions: {
    Token: {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'token',
        authorizerUri: URI,
        authorizerResultTtlInSeconds: 0,
      },
    },
  },
};

const allow = (name: string) => (event: { methodArn: string; authorizationToken: string }) =>
  event.authorizationToken === name
    ? Promise.resolve({
        principalId: name,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }],
        },
      })
    : Promise.reject(new Error('Unauthorized'));

@Controller()
class PetsController {
  @Get('pets')
  list(): unknown {
    return { pets: [] };
  }

  // The definition guards POST /pets with Token; this route says otherwise.
  @CustomAuthorizer('Other')
  @Post('pets')
  create(): unknown {
    return { created: true };
  }

  @Public()
  @Get('health')
  health(): unknown {
    return { ok: true };
  }

  @Get('internal')
  internal(): unknown {
    return { internal: true };
  }
}

async function start(
  platform: 'express' | 'fastify',
  extra: Partial<GatewayAuthOptions['apiDefinition']> = {},
) {
  @Module({
    imports: [
      GatewayAuthModule.forRoot({
        api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
        logger: silentLogger,
        authorizers: { Other: { type: 'TOKEN', handler: allow('other'), ttlSeconds: 0 } },
        apiDefinition: {
          document: DEFINITION,
          authorizers: { Token: { handler: allow('token') } },
          ...extra,
        },
      }),
    ],
    controllers: [PetsController],
  })
  class AppModule {}
  const app: INestApplication =
    platform === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

describe.each(['express', 'fastify'] as const)(
  'apiDefinition with decorators on %s',
  (platform) => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => ({ app, url } = await start(platform)));
    afterAll(() => app.close());

    it('enforces the definition on an undecorated route', async () => {
      expect((await request(url).get('/pets')).status).toBe(401);
      expect((await request(url).get('/pets').set('authorization', 'token')).status).toBe(200);
    });

    it("lets a decorator replace the definition's requirement for its route", async () => {
      expect((await request(url).post('/pets').set('authorization', 'token')).status).toBe(401);
      expect((await request(url).post('/pets').set('authorization', 'other')).status).toBe(201);
    });

    it('refuses an undecorated route the definition does not cover, and reports the drift at start-up', async () => {
      const res = await request(url).get('/internal');
      expect(res.status).toBe(403);
      expect(res.text).toBe('{"message":"Missing Authentication Token"}');
      const report = app.get(ApiDefinitionDrift).report;
      expect(report?.uncovered).toEqual(['GET /internal']);
      expect(report?.notServed).toEqual(['DELETE /pets/{id}']);
    });

    it('opens @Public() routes', async () => {
      expect((await request(url).get('/health')).status).toBe(200);
    });
  },
);

describe.each(['express', 'fastify'] as const)("uncoveredRoutes: 'allow' on %s", (platform) => {
  it('lets a route the definition does not know through, and still guards the ones it knows', async () => {
    const { app, url } = await start(platform, { uncoveredRoutes: 'allow' });
    try {
      expect((await request(url).get('/internal')).status).toBe(200);
      expect((await request(url).get('/pets')).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
