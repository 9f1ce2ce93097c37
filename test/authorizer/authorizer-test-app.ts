// A small Nest app for the Lambda-authorizer e2e suites: @CustomAuthorizer() routes returning the
// caller's @AuthContext(), run on Express or Fastify with whatever authorizers a suite configures.
import 'reflect-metadata';
import { Controller, Get, Module, Param, Post, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { GatewayAuth, silentLogger, type GatewayAuthOptions } from 'api-gateway-auth';
import { AuthContext, CustomAuthorizer, GatewayAuthModule, Public } from 'api-gateway-auth/nest';

export type Platform = 'express' | 'fastify';

export const API = {
  region: 'us-east-1',
  accountId: '111122223333',
  apiId: 'petstore',
  stage: 'prod',
} as const;
export const ARN = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';

@Controller()
class AuthorizerController {
  @Public()
  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }

  @CustomAuthorizer('token')
  @Get('pets')
  pets(@AuthContext() auth: AuthContext): AuthContext {
    return auth;
  }

  @CustomAuthorizer('token')
  @Get('pets/:id')
  pet(@Param('id') _id: string, @AuthContext() auth: AuthContext): AuthContext {
    return auth;
  }

  @CustomAuthorizer('token')
  @Post('pets')
  createPet(@AuthContext() auth: AuthContext): AuthContext {
    return auth;
  }

  @CustomAuthorizer('request')
  @Get('request')
  request(@AuthContext() auth: AuthContext): AuthContext {
    return auth;
  }

  @CustomAuthorizer('request')
  @Get('request/:id')
  requestWithParam(@Param('id') _id: string, @AuthContext() auth: AuthContext): AuthContext {
    return auth;
  }

  @CustomAuthorizer('v1')
  @Get('v1/request')
  v1(@AuthContext() auth: AuthContext): AuthContext {
    return auth;
  }

  @CustomAuthorizer('v2')
  @Post('v2/my/:name')
  v2(@Param('name') _name: string, @AuthContext() auth: AuthContext): AuthContext {
    return auth;
  }
}

function appModule(options: GatewayAuthOptions): DynamicModule {
  @Module({})
  class AuthorizerTestModule {}
  return {
    module: AuthorizerTestModule,
    imports: [GatewayAuthModule.forRoot(options)],
    controllers: [AuthorizerController],
  };
}

export interface RunningApp {
  url: string;
  gatewayAuth: GatewayAuth;
  close(): Promise<void>;
}

/** Starts the app on `platform` at 127.0.0.1 on a free port. */
export async function startAuthorizerApp(
  platform: Platform,
  options: Omit<GatewayAuthOptions, 'api' | 'logger'> & Partial<Pick<GatewayAuthOptions, 'api'>>,
): Promise<RunningApp> {
  const module = appModule({ api: API, logger: silentLogger, ...options });
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    gatewayAuth: app.get(GatewayAuth),
    close: () => app.close(),
  };
}

/** A fetch returning status, lowercase headers and the raw body text. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string>; body: string; json: unknown }> {
  const response = await fetch(url, { method: init.method ?? 'GET', headers: init.headers });
  const body = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), body, json };
}
