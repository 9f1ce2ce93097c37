// Serves an API definition's routes without a single decorator — from Nest (Express or Fastify,
// `GatewayAuthModule.forRoot({ apiDefinition })`) or plain Express (`apiDefinitionMiddleware`) — so
// the e2e suite can send each route a request with and without its credential.
import 'reflect-metadata';
import {
  All,
  Controller,
  Delete,
  Get,
  Head,
  Module,
  Options,
  Patch,
  Post,
  Put,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GatewayAuth,
  type DriftReport,
  type GatewayAuthOptions,
  parseApiGatewayPath,
  toFrameworkRoute,
} from 'api-gateway-auth';
import { ApiDefinitionDrift, GatewayAuthModule } from 'api-gateway-auth/nest';
import { apiDefinitionDrift, apiDefinitionMiddleware } from 'api-gateway-auth/express';

export type Platform = 'nest-express' | 'nest-fastify' | 'express';

/** A route the app serves: a definition route, or one the definition does not know. */
export interface ServedRoute {
  method: string;
  /** API Gateway template (`/pets/{id}`), or `$default`. */
  path: string;
}

export interface DefinitionApp {
  url: string;
  drift: DriftReport | undefined;
  close(): Promise<void>;
}

const DECORATORS: Record<string, (path: string) => MethodDecorator> = {
  GET: Get,
  POST: Post,
  PUT: Put,
  DELETE: Delete,
  PATCH: Patch,
  HEAD: Head,
  OPTIONS: Options,
  ANY: All,
};

/**
 * The order a service registers routes in: catch-alls last (they would shadow specific routes),
 * HEAD before GET (a GET route takes HEAD requests in Express and claims HEAD in Fastify), and an
 * ANY route split into the methods no other route of its path has (Fastify refuses two handlers for
 * one method and path, and Nest on Express runs ALL routes before specific ones).
 */
function registrations(
  routes: readonly ServedRoute[],
): Array<{ method: string; route: ServedRoute }> {
  const rank = (r: ServedRoute): number =>
    (r.path === '$default' ? 4 : r.path.includes('+}') ? 2 : 0) + (r.method === 'HEAD' ? 0 : 1);
  const out: Array<{ method: string; route: ServedRoute }> = [];
  for (const route of [...routes].sort((a, b) => rank(a) - rank(b))) {
    if (route.method !== 'ANY') {
      out.push({ method: route.method, route });
      continue;
    }
    const taken = new Set(routes.filter((r) => r.path === route.path).map((r) => r.method));
    for (const method of ['HEAD', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      if (!taken.has(method)) out.push({ method, route });
    }
  }
  return out;
}

/** `/pets/{id}` → `/pets/:id`; greedy and `$default` → the platform's wildcard. */
function frameworkPath(path: string, wildcard: string): string {
  if (path === '$default') return `/${wildcard}`;
  const segments = parseApiGatewayPath(path);
  if (typeof segments === 'string') throw new Error(segments);
  return toFrameworkRoute(segments).replace(/\/\*$/, `/${wildcard}`);
}

const reply = (route: ServedRoute) => ({ route: `${route.method} ${route.path}` });

export async function startDefinitionApp(
  platform: Platform,
  options: GatewayAuthOptions,
  routes: readonly ServedRoute[],
): Promise<DefinitionApp> {
  if (platform === 'express') return startExpress(options, routes);
  class DefinitionController {}
  registrations(routes).forEach(({ method, route }, i) => {
    const key = `route${i}`;
    Object.defineProperty(DefinitionController.prototype, key, {
      value: () => reply(route),
      writable: true,
      configurable: true,
    });
    const descriptor = Object.getOwnPropertyDescriptor(
      DefinitionController.prototype,
      key,
    ) as PropertyDescriptor;
    const decorator = DECORATORS[method];
    if (!decorator) throw new Error(`no decorator for ${method}`);
    decorator(frameworkPath(route.path, '*'))(DefinitionController.prototype, key, descriptor);
  });
  Controller()(DefinitionController);
  @Module({})
  class DefinitionModule {}
  const module: DynamicModule = {
    module: DefinitionModule,
    imports: [GatewayAuthModule.forRoot(options)],
    controllers: [DefinitionController],
  };
  const app: INestApplication =
    platform === 'nest-fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    drift: app.get(ApiDefinitionDrift).report,
    close: () => app.close(),
  };
}

async function startExpress(
  options: GatewayAuthOptions,
  routes: readonly ServedRoute[],
): Promise<DefinitionApp> {
  const gatewayAuth = new GatewayAuth(options);
  const app = express();
  // Paths compare as API Gateway compares them (docs/migration.md).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // No body parser: the middleware reads bodies itself.
  app.use(apiDefinitionMiddleware(gatewayAuth));
  for (const { method: verb, route } of registrations(routes)) {
    const method = verb.toLowerCase() as 'get';
    // Express 5 (path-to-regexp 8): `*path` is one or more segments, `{*path}` also matches `/`.
    const path = route.path === '$default' ? '/{*path}' : frameworkPath(route.path, '*path');
    app[method](path, (_req, res) => {
      res.json(reply(route));
    });
  }
  const drift = apiDefinitionDrift(app, gatewayAuth);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    drift,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gatewayAuth.close();
    },
  };
}
