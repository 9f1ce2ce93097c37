import type { ServedRoute } from '../core/definition/drift-report';

interface ExpressLayer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
}

/**
 * The routes an Express app serves, from its own router's stack (Express 5 `router`, 4 `_router`);
 * routes of nested routers are not listed. `app.all()` routes are method `ALL`.
 */
export function expressRoutes(app: unknown): ServedRoute[] {
  const holder = app as
    { router?: { stack?: ExpressLayer[] }; _router?: { stack?: ExpressLayer[] } } | undefined;
  const stack = holder?.router?.stack ?? holder?._router?.stack ?? [];
  const out: ServedRoute[] = [];
  for (const layer of stack) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string') continue;
    for (const [method, on] of Object.entries(route.methods ?? {})) {
      if (on)
        out.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: route.path });
    }
  }
  return out;
}
