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
          this.fastifyRoutes.push({ method, path: route.url });
        }
      });
    }
  }

  /** The routes served now (call after the application has initialized). */
  list(): ServedRoute[] {
    if (this.fastify) {
      // Fastify adds a HEAD route beside every GET (exposeHeadRoutes): not the app's own.
      const gets = new Set(this.fastifyRoutes.filter((r) => r.method === 'GET').map((r) => r.path));
      return this.fastifyRoutes.filter((r) => !(r.method === 'HEAD' && gets.has(r.path)));
    }
    return expressRoutes(
      (this.adapterHost.httpAdapter as { getInstance?(): unknown } | undefined)?.getInstance?.(),
    );
  }
}
