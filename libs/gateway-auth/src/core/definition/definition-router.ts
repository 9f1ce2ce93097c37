import { canonicalResourcePath, decodeSegment } from '../resource-path';
import type { ApiKind, DefinitionRoute } from './api-definition';
import { parseApiGatewayPath } from './route-template';

interface TrieNode<T> {
  literals: Map<string, TrieNode<T>>;
  param?: TrieNode<T>;
  /** Routes of a greedy `{proxy+}` child, by method. */
  greedy?: Map<string, Matched<T>>;
  /** Routes of this exact path, by method (`ANY` included). */
  methods: Map<string, Matched<T>>;
  /** A resource exists here (REST: every prefix of a declared path is one). */
  resource: boolean;
}

/** A definition route and what the caller attached to it. */
export interface Matched<T> {
  route: DefinitionRoute;
  value: T;
}

/**
 * Finds the definition route a request reaches, as API Gateway does. Paths compare segment by
 * segment, case-sensitively after percent-decoding, a literal segment before a `{param}` before a
 * greedy `{proxy+}`. REST APIs pick the resource first and then its method (or `ANY`): a resource
 * without the method answers "unknown route", never a less specific resource's method. HTTP APIs
 * pick the most specific route that has the method (or `ANY`), then `$default`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */
export class DefinitionRouter<T> {
  private readonly root: TrieNode<T> = newNode();
  private defaultRoute: Matched<T> | undefined;

  constructor(
    private readonly kind: ApiKind,
    entries: ReadonlyArray<Matched<T>>,
  ) {
    for (const entry of entries) this.add(entry);
  }

  /** The route for `method` and the raw request `path`, or `undefined` (PIPE-02). */
  match(method: string, path: string): Matched<T> | undefined {
    const segments = canonicalResourcePath(path).split('/');
    // A leading "/" gives an empty first segment; "/" alone is the root (no segment).
    const start = segments.length === 2 && segments[1] === '' ? 2 : 1;
    return this.search(this.root, segments, start, method) ?? this.defaultRoute;
  }

  private add(entry: Matched<T>): void {
    const { route } = entry;
    if (route.path === '$default') {
      this.defaultRoute = entry;
      return;
    }
    const segments = parseApiGatewayPath(route.path);
    if (typeof segments === 'string') return; // the reader already refused it
    let node = this.root;
    node.resource = true;
    for (const segment of segments) {
      if (segment.kind === 'greedy') {
        node.greedy ??= new Map();
        node.greedy.set(route.method, entry);
        return;
      }
      let next: TrieNode<T> | undefined;
      if (segment.kind === 'literal') {
        next = node.literals.get(segment.value);
        if (!next) node.literals.set(segment.value, (next = newNode()));
      } else next = node.param ??= newNode();
      node = next;
      node.resource = true;
    }
    node.methods.set(route.method, entry);
  }

  /**
   * Depth first, most specific first (literal, then `{param}`, then greedy). The first resource
   * matching the whole path decides: its method or `ANY`; a REST resource without either ends the
   * search (`null`: an unknown route), an HTTP API one lets less specific routes try. `undefined`:
   * nothing on this branch. A plain recursion: a generator here cost more than the rest of a cached
   * decision (bench/definition.bench.ts).
   */
  private search(
    node: TrieNode<T>,
    segments: readonly string[],
    index: number,
    method: string,
  ): Matched<T> | null | undefined {
    if (index === segments.length)
      return node.resource ? this.pick(node.methods, method) : undefined;
    const segment = segments[index] as string;
    if (segment !== '') {
      const literal = decodeSegment(segment);
      const child = literal === undefined ? undefined : node.literals.get(literal);
      if (child) {
        const found = this.search(child, segments, index + 1, method);
        if (found !== undefined) return found;
      }
      if (node.param) {
        const found = this.search(node.param, segments, index + 1, method);
        if (found !== undefined) return found;
      }
    }
    // `{proxy+}` takes one or more segments, not an empty remainder.
    if (node.greedy && (segments.length - index > 1 || segment !== '')) {
      return this.pick(node.greedy, method);
    }
    return undefined;
  }

  private pick(
    routes: ReadonlyMap<string, Matched<T>>,
    method: string,
  ): Matched<T> | null | undefined {
    const hit = routes.get(method) ?? routes.get('ANY');
    if (hit) return hit;
    return this.kind === 'REST' ? null : undefined;
  }
}

function newNode<T>(): TrieNode<T> {
  return { literals: new Map(), methods: new Map(), resource: false };
}
