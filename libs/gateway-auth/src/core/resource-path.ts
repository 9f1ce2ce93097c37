/**
 * The path a request is authorized against, made to agree with the path the framework routes on.
 *
 * API Gateway authorizes the path of the resource it will invoke. In a container the framework picks
 * the handler, and it reads paths more loosely than a policy does: Express matches routes without
 * regard to case or a trailing slash, Fastify decodes percent-escapes before matching. Without care,
 * `GET /ADMIN` or `GET /%61dmin` reaches the `/admin` handler while a Deny on `.../GET/admin` does not
 * match its ARN. Two rules close that gap (fail closed):
 * - the ARN uses the path with escapes of unreserved characters decoded (RFC 3986 §6.2.2.2: `%61`
 *   and `a` are the same path), so every equivalent spelling gets the same ARN;
 * - when the framework reports the route template it matched, the request path must match that
 *   template exactly (case-sensitive, no extra trailing slash), or the request is refused as an
 *   unknown route (PIPE-02), as API Gateway would answer for a path it has no resource for.
 */

import { BoundedMemo } from './bounded-memo';

const UNRESERVED_ESCAPE =
  /%(?:4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]|3[0-9]|2[DEde]|5[Ff]|7[Ee])/g;

/** The path with percent-escapes of unreserved characters (`A-Z a-z 0-9 - . _ ~`) decoded. */
export function canonicalResourcePath(rawPath: string): string {
  if (rawPath.indexOf('%') === -1) return rawPath;
  return rawPath.replace(UNRESERVED_ESCAPE, (escape) =>
    String.fromCharCode(parseInt(escape.slice(1), 16)),
  );
}

/** A route template split once: `undefined` when it uses syntax this check does not model. */
type CompiledTemplate = readonly string[] | undefined;

function compileTemplate(template: string): CompiledTemplate {
  if (/[{}()?+]/.test(template)) return undefined;
  const segments = template.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (segment.startsWith('*') && i === segments.length - 1) continue;
    if (segment.startsWith(':')) continue;
    if (segment.includes('*') || segment.includes(':')) return undefined;
  }
  return segments;
}

/**
 * Checks request paths against the route templates the framework matched, each template split once
 * (one per `GatewayAuth`; a template is the application's own text, never the request's).
 */
export class RouteTemplates {
  /** Bounded anyway: a few dozen templates in practice. */
  private readonly compiled = new BoundedMemo<string, CompiledTemplate>(1024);

  /**
   * Whether `path` is exactly what `template` (an Express or Fastify route path such as `/pets/:id`)
   * matches, comparing literal segments case-sensitively after percent-decoding. `undefined` when
   * the template uses syntax this check does not model (optional groups, inline regexes, `?`): the
   * caller then relies on the framework's own routing.
   */
  matches(path: string, template: string): boolean | undefined {
    let want = this.compiled.get(template);
    if (want === undefined) {
      if (this.compiled.has(template)) return undefined;
      want = compileTemplate(template);
      this.compiled.set(template, want);
      if (want === undefined) return undefined;
    }
    // A static route reached by its own spelling: the common case, one comparison.
    if (path === template) return true;
    const got = path.split('/');
    for (let i = 0; i < want.length; i++) {
      const segment = want[i] as string;
      if (segment.startsWith('*') && i === want.length - 1) return got.length >= want.length - 1;
      const actual = got[i];
      if (actual === undefined) return false;
      if (segment.startsWith(':')) {
        if (actual.length === 0) return false;
        continue;
      }
      if (decodeSegment(actual) !== segment) return false;
    }
    return got.length === want.length;
  }
}

/** A path segment percent-decoded; `undefined` when its escapes are malformed. */
export function decodeSegment(segment: string): string | undefined {
  if (segment.indexOf('%') === -1) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
