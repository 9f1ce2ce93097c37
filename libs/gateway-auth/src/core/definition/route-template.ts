/**
 * API Gateway path templates (`/pets/{petId}`, `/files/{proxy+}`) and the framework route paths
 * they correspond to (`/pets/:petId`, `/files/*`): both reduced to one comparable shape.
 */

/** One segment of a template: a literal, a `{param}`, or a greedy `{param+}` (last only). */
export type TemplateSegment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

/**
 * Parses an API Gateway resource path. API Gateway accepts whole-segment parameters only, a greedy
 * parameter only as the last segment, and no empty segments.
 * @returns the segments (`[]` for `/`), or why the path is not one API Gateway accepts.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 */
export function parseApiGatewayPath(path: string): TemplateSegment[] | string {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (path === '/') return [];
  const parts = path.slice(1).split('/');
  const segments: TemplateSegment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '') return 'has an empty segment ("//" or a trailing "/")';
    const param = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(part);
    if (param) {
      if (param[2] === '+') {
        if (i !== parts.length - 1)
          return `the greedy parameter {${param[1]}+} must be the last segment`;
        segments.push({ kind: 'greedy', name: param[1] as string });
      } else segments.push({ kind: 'param', name: param[1] as string });
    } else if (/[{}]/.test(part)) {
      return `segment ${JSON.stringify(part)} mixes text and a parameter; API Gateway takes whole-segment parameters only`;
    } else segments.push({ kind: 'literal', value: part });
  }
  return segments;
}

/**
 * The shape of a template for comparison: literals as written, `{}` for a parameter, `{+}` for a
 * greedy tail (`/pets/{}`, `/files/{+}`).
 */
export function templateShape(segments: readonly TemplateSegment[]): string {
  if (segments.length === 0) return '/';
  return segments
    .map((s) => (s.kind === 'literal' ? `/${s.value}` : s.kind === 'param' ? '/{}' : '/{+}'))
    .join('');
}

/**
 * The shape of an Express or Fastify route path: `:name` is a parameter, a trailing `*`, `*name` or
 * `{*name}` a greedy tail. `undefined` for syntax with no API Gateway equivalent (optional groups,
 * inline regexes, mid-path wildcards).
 */
export function frameworkRouteShape(route: string): string | undefined {
  if (!route.startsWith('/')) route = `/${route}`;
  if (route.length > 1 && route.endsWith('/')) return undefined;
  if (route === '/') return '/';
  const parts = route.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    if (/^:[A-Za-z0-9_]+$/.test(part)) out.push('/{}');
    else if (last && /^(\*[A-Za-z0-9_]*|\{\*[A-Za-z0-9_]+\})$/.test(part)) out.push('/{+}');
    else if (part !== '' && !/[:*?(){}+]/.test(part)) out.push(`/${part}`);
    else return undefined;
  }
  return out.join('');
}

/** An API Gateway path template as an Express/Fastify route path (`/pets/:petId`, `/files/*`). */
export function toFrameworkRoute(segments: readonly TemplateSegment[]): string {
  if (segments.length === 0) return '/';
  return segments
    .map((s) =>
      s.kind === 'literal'
        ? `/${s.value}`
        : s.kind === 'param'
          ? `/:${s.name.replace(/[^A-Za-z0-9_]/g, '_')}`
          : '/*',
    )
    .join('');
}
