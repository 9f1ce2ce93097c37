// A small Nest app for the Cognito e2e suites (not the demo): @CognitoAuth() routes for ID tokens,
// access tokens with scopes, and groups, run on Express or Fastify.
import 'reflect-metadata';
import { Controller, Get, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { silentLogger, type GatewayAuthOptions } from 'api-gateway-auth';
import { AuthContext, CognitoAuth, GatewayAuthModule, Public } from 'api-gateway-auth/nest';

@Controller()
export class ProfileController {
  @CognitoAuth()
  @Get('profile')
  profile(@AuthContext() auth: AuthContext): unknown {
    return { auth };
  }

  @CognitoAuth({ scopes: ['pets/read'] })
  @Get('pets')
  pets(@AuthContext() auth: AuthContext): unknown {
    return { pets: [], auth };
  }

  @CognitoAuth({ groups: ['admins'] })
  @Get('admin')
  admin(): unknown {
    return { admin: true };
  }

  @Public()
  @Get('health')
  health(): unknown {
    return { ok: true };
  }
}

export type Platform = 'express' | 'fastify';

export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Starts the app with these gateway-auth options on 127.0.0.1:<free port>. */
export async function startCognitoApp(
  platform: Platform,
  options: Omit<GatewayAuthOptions, 'api'>,
  controllers: Array<new (...args: never[]) => unknown> = [ProfileController],
): Promise<RunningApp> {
  @Module({})
  class CognitoTestModule {}
  const module: DynamicModule = {
    module: CognitoTestModule,
    imports: [
      GatewayAuthModule.forRoot({
        api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
        logger: silentLogger,
        ...options,
      }),
    ],
    controllers,
  };
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
