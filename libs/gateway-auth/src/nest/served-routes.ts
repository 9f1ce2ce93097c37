import type { HttpAdapterHost } from '@nestjs/core';
import type { ServedRoute } from '../core/definition/drift-report';
import { expressRoutes } from '../express/express-routes';

/**
 * Records the routes a Nest application serves, from its HTTP adapter: Fastify's `onRoute` hook
 * (installed when this is created, before Nest registers routes) or, at read time, Express's router
 * stack. Routes of nested Express routers are not listed.
 */
export class ServedRoutes {
  private readonly fastifyRoutes: ServedRoute[] = [];
  private readonly fastify: boolean;

  constructor(private readonly adapterHost: HttpAdapterHost) {
    const adapter = adapterHost.httpAdapter as
      { getType?(): string; getInstance?(): unknown } | undefined;
    this.fastify = adapter?.getType?.() === 'fastify';
    if (this.fastify) {
      const instance = adapter?.getInstance?.() as
        | {
            addHook(
              name: 'onRoute',
              hook: (route: {
                method: string | string[];
                url: string;
                prefixTrailingSlash?: string;
              }) => void,
            ): void;
          }
        | undefined;
      instance?.addHook('onRoute', (route) => {
        for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
          // Fastify adds a HEAD route right after a GET unless one was declared (exposeHeadRoutes):
          // not the app's own.
          const url = route.url;
          const auto =
            method === 'HEAD' &&
            this.fastifyRoutes.some((r) => r.method === 'GET' && r.path === url);
          if (!auto) this.fastifyRoutes.push({ method, path: url });
        }
      });
    }
  }

  /** The routes served now (call after the application has initialized). */
  list(): ServedRoute[] {
    if (this.fastify) return [...this.fastifyRoutes];
    return expressRoutes(
      (this.adapterHost.httpAdapter as { getInstance?(): unknown } | undefined)?.getInstance?.(),
    );
  }
}
