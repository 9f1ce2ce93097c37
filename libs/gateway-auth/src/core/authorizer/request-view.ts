/**
 * What the authorizer model reads from one request, derived lazily and at most once: the method
 * ARN, the resource path, query parameters, `$context` variables.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ApiOptions } from '../api-options';
import { getHeader, getHeaderValues, type HttpRequest } from '../http-request';

/**
 * What the authorizer events and identity sources read from a request, derived once and lazily
 * (the cached path only needs the identity sources).
 */
export class RequestView {
  private queryPairs?: Array<[string, string]>;
  private id?: string;
  private arn?: string;

  constructor(
    readonly request: HttpRequest,
    readonly api: ApiOptions,
    /** Epoch milliseconds of arrival (injected clock). */
    readonly now: number,
    /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/`, computed once per API. */
    private readonly stagePrefix: string,
  ) {}

  /**
   * The method ARN of the request (ARN-01/02): what policies are evaluated against. Built on first
   * use: a cached decision remembered for this route does not need its text.
   */
  get methodArn(): string {
    if (this.arn === undefined) {
      const path = this.request.resourcePath ?? this.request.path;
      this.arn = `${this.stagePrefix}${this.request.method}/${path.startsWith('/') ? path.slice(1) : path}`;
    }
    return this.arn;
  }

  /** `$context.requestId`: the framework's id when it has one, else a fresh UUID. */
  get requestId(): string {
    this.id ??= this.request.requestId ?? randomUUID();
    return this.id;
  }

  /** The API Gateway resource path: the route template with `{param}` / `{proxy+}` segments. */
  get resourcePath(): string {
    return toResourcePath(this.request.routePath ?? this.request.path);
  }

  /** `$context.routeKey` of an HTTP API: `GET /pets/{id}`. */
  get routeKey(): string {
    return `${this.request.method} ${this.resourcePath}`;
  }

  /** Decoded query parameters in order, repeated names kept. */
  get query(): ReadonlyArray<[string, string]> {
    this.queryPairs ??= parseQuery(this.request.rawQuery);
    return this.queryPairs;
  }

  /** Every value of a query parameter (case-sensitive name). */
  queryValues(name: string): string[] {
    return this.query.filter(([key]) => key === name).map(([, value]) => value);
  }

  header(name: string): string | undefined {
    return getHeader(this.request, name);
  }

  headerValues(name: string): readonly string[] {
    return getHeaderValues(this.request, name);
  }

  get domainName(): string {
    return this.header('host')?.replace(/:\d+$/, '') ?? 'localhost';
  }

  /** A stable six-character id per resource path, standing in for API Gateway's resource id. */
  get resourceId(): string {
    return createHash('sha256').update(this.resourcePath).digest('hex').slice(0, 6);
  }

  /** `$context.<name>` for the variables identity sources may use; `undefined` when unknown. */
  contextVariable(name: string): string | undefined {
    switch (name) {
      case 'accountId':
        return this.api.accountId;
      case 'apiId':
        return this.api.apiId;
      case 'domainName':
        return this.domainName;
      case 'httpMethod':
        return this.request.method;
      case 'identity.sourceIp':
        return this.request.sourceIp;
      case 'identity.userAgent':
        return this.header('user-agent');
      case 'path':
        return this.request.path;
      case 'protocol':
        return this.request.protocol ?? 'HTTP/1.1';
      case 'requestId':
        return this.requestId;
      case 'resourcePath':
        return this.resourcePath;
      case 'routeKey':
        return this.routeKey;
      case 'stage':
        return this.api.stage;
      default:
        return undefined;
    }
  }
}

/** `/pets/:id` → `/pets/{id}`; `/files/*path`, `/files/*` → `/files/{path+}`, `/files/{proxy+}`. */
export function toResourcePath(routePath: string): string {
  return (
    routePath
      .replace(/\{\/\*([A-Za-z0-9_]+)\}/g, '/{$1+}')
      .replace(/:([A-Za-z0-9_]+)\??/g, '{$1}')
      .replace(/\*([A-Za-z0-9_]+)/g, '{$1+}')
      .replace(/\*$/, '{proxy+}') || '/'
  );
}

/** Splits and percent-decodes a raw query string; undecodable parts are kept as sent. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([decode(key), decode(value)]);
  }
  return pairs;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestTime` / `time` format: `12/Mar/2020:19:03:58 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}
