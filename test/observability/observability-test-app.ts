// A small Nest app for the observability e2e suites: one route per model (@IamAuth, @CognitoAuth,
// @CustomAuthorizer), a public one, and gateway-auth's access log attached with the formats a test
// asks for; on Express or Fastify.
import 'reflect-metadata';
import { Controller, Get, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import {
  AccessLog,
  GatewayAuth,
  silentLogger,
  type AccessLogOptions,
  type GatewayAuthOptions,
} from 'api-gateway-auth';
import {
  CognitoAuth,
  CustomAuthorizer,
  GatewayAuthModule,
  IamAuth,
  Public,
} from 'api-gateway-auth/nest';
import { API } from '../sigv4/iam-test-app';

@Controller()
class RoutesController {
  @IamAuth()
  @Get('pets/:id')
  pet(): unknown {
    return { pet: 'rex' };
  }

  @CognitoAuth()
  @Get('profile')
  profile(): unknown {
    return { profile: true };
  }

  @CustomAuthorizer('orders')
  @Get('orders')
  orders(): unknown {
    return { orders: [] };
  }

  @Public()
  @Get('health')
  health(): unknown {
    return { ok: true };
  }
}

export type Platform = 'express' | 'fastify';

export interface ObservedApp {
  app: INestApplication;
  url: string;
  gatewayAuth: GatewayAuth;
  /** Lines written by each access log, in the order of `accessLogs`. */
  lines: string[][];
  close(): Promise<void>;
}

/** Starts the app on 127.0.0.1:<free port> with one access log per entry of `accessLogs`. */
export async function startObservedApp(
  platform: Platform,
  options: Omit<GatewayAuthOptions, 'api'>,
  accessLogs: readonly AccessLogOptions[],
): Promise<ObservedApp> {
  @Module({})
  class ObservedModule {}
  const module: DynamicModule = {
    module: ObservedModule,
    imports: [GatewayAuthModule.forRoot({ api: API, logger: silentLogger, ...options })],
    controllers: [RoutesController],
  };
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  const gatewayAuth = app.get(GatewayAuth);
  const lines = accessLogs.map(() => [] as string[]);
  accessLogs.forEach((logOptions, i) => {
    new AccessLog(gatewayAuth, {
      ...logOptions,
      write: (line) => lines[i]?.push(line),
    }).attach(app.getHttpServer() as Server);
  });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, gatewayAuth, lines, close: () => app.close() };
}

/** Waits until `list` has more than `count` entries (access lines are written on 'close'). */
export async function nextLine(list: string[], count: number): Promise<string> {
  for (let i = 0; i < 200 && list.length <= count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const line = list[count];
  if (line === undefined) throw new Error('no access-log line was written');
  return line;
}
