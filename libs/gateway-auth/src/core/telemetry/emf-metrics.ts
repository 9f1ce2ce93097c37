import type { ApiOptions } from '../api-options';
import type { AuthModel, CacheLookup, DependencyCall } from './auth-telemetry';

/**
 * CloudWatch Embedded Metric Format output (`telemetry.emf`): metrics aggregated in process and
 * written as EMF JSON lines to stdout, where the awslogs driver ships them and CloudWatch Logs turns
 * them into metrics, with no agent (Fargate).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export interface EmfOptions {
  /** CloudWatch namespace. Default `GatewayAuth`. */
  namespace?: string;
  /** Seconds between flushes (each writes the interval's aggregates). Default 60, minimum 1. */
  flushIntervalSeconds?: number;
  /** Where lines go. Default: `process.stdout`, one line each. */
  write?: (line: string) => void;
  /** Source of the documents' `Timestamp`, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** EMF allows at most 100 values per metric in one document. */
const MAX_VALUES = 100;

/** One group of values sharing dimensions (model, authorizer), for one flush interval. */
interface Group {
  model: AuthModel;
  authorizer: string | undefined;
  count: number;
  errors4xx: number;
  errors5xx: number;
  latencyMs: number[];
  cacheHits: number;
  cacheMisses: number;
  authorizerLatencyMs: number[];
  authorizerErrors: number;
}

/**
 * Aggregates decisions per model and authorizer and writes, each interval, EMF documents named after
 * API Gateway's CloudWatch metrics where one matches (`Count`, `4XXError`, `5XXError`,
 * `CacheHitCount`, `CacheMissCount`), plus `AuthorizationLatency` and `AuthorizerLatency` (ms, every
 * value, split into documents of 100), `AuthorizerErrors`, `JwksFetchCount`, `JwksFetchErrors`
 * and `CacheErrors`. Dimensions: `ApiId`, `Stage`, then `Model`, then `Authorizer`; `Refusals` by
 * `ApiId`, `Stage`, `ResponseType` (the gateway response type, as `$context.error.responseType`).
 *
 * Written here rather than with `aws-embedded-metrics`: that library's logger is per invocation
 * (one document per flush of a request's logger, Lambda style), probes the environment over HTTP at
 * start, and on ECS writes to a CloudWatch agent unless told otherwise; a service needs interval
 * aggregates on stdout, which is one JSON document per group.
 */
export class EmfMetrics {
  private readonly groups = new Map<string, Group>();
  /** Refusals by gateway response type (`ResponseType` dimension). */
  private readonly refusals = new Map<string, number>();
  private jwksFetches = 0;
  private jwksErrors = 0;
  private cacheErrors = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly namespace: string;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(
    private readonly api: ApiOptions,
    options: EmfOptions = {},
  ) {
    this.namespace = options.namespace ?? 'GatewayAuth';
    this.write = options.write ?? ((line) => process.stdout.write(line + '\n'));
    this.now = options.now ?? Date.now;
    const seconds = Math.max(1, options.flushIntervalSeconds ?? 60);
    this.timer = setInterval(() => this.flush(), seconds * 1000);
    this.timer.unref();
  }

  recordDecision(
    model: AuthModel,
    authorizer: string | undefined,
    statusCode: number,
    latencyMs: number,
    responseType?: string,
  ): void {
    if (responseType !== undefined) {
      this.refusals.set(responseType, (this.refusals.get(responseType) ?? 0) + 1);
    }
    const group = this.group(model, authorizer);
    group.count += 1;
    if (statusCode >= 500) group.errors5xx += 1;
    else if (statusCode >= 400) group.errors4xx += 1;
    group.latencyMs.push(round(latencyMs));
  }

  recordCacheLookup(lookup: CacheLookup): void {
    const group = this.group('custom', lookup.authorizer);
    if (lookup.hit) group.cacheHits += 1;
    else group.cacheMisses += 1;
  }

  recordCall(call: DependencyCall, latencyMs: number, failed: boolean): void {
    if (call.kind === 'authorizer') {
      const group = this.group('custom', call.authorizer);
      group.authorizerLatencyMs.push(round(latencyMs));
      if (failed) group.authorizerErrors += 1;
    } else if (call.kind === 'jwks') {
      this.jwksFetches += 1;
      if (failed) this.jwksErrors += 1;
    } else if (call.kind === 'redis' && failed) {
      this.cacheErrors += 1;
    }
  }

  recordDependencyError(): void {
    this.cacheErrors += 1;
  }

  /** Writes the interval's aggregates (nothing when nothing happened) and starts a new interval. */
  flush(): void {
    const timestamp = this.now();
    const base = { ApiId: this.api.apiId, Stage: this.api.stage };
    for (const group of this.groups.values()) {
      const dimensions = { ...base, Model: group.model };
      const sets = [
        ['ApiId', 'Stage'],
        ['ApiId', 'Stage', 'Model'],
      ];
      if (group.authorizer !== undefined) sets.push(['ApiId', 'Stage', 'Model', 'Authorizer']);
      const values: Record<string, number | number[]> = {};
      if (group.count > 0) {
        values.Count = group.count;
        values['4XXError'] = group.errors4xx;
        values['5XXError'] = group.errors5xx;
      }
      if (group.cacheHits + group.cacheMisses > 0) {
        values.CacheHitCount = group.cacheHits;
        values.CacheMissCount = group.cacheMisses;
      }
      if (group.authorizerLatencyMs.length > 0) values.AuthorizerErrors = group.authorizerErrors;
      const lists: Record<string, number[]> = {
        AuthorizationLatency: group.latencyMs,
        AuthorizerLatency: group.authorizerLatencyMs,
      };
      // The counters go with the first document; every value list is split into chunks of 100.
      const chunks = Math.max(
        1,
        ...Object.values(lists).map((list) => Math.ceil(list.length / MAX_VALUES)),
      );
      for (let i = 0; i < chunks; i++) {
        const document: Record<string, number | number[]> = i === 0 ? { ...values } : {};
        for (const [name, list] of Object.entries(lists)) {
          const chunk = list.slice(i * MAX_VALUES, (i + 1) * MAX_VALUES);
          if (chunk.length > 0) document[name] = chunk;
        }
        if (Object.keys(document).length === 0) continue;
        this.emit(
          timestamp,
          sets,
          {
            ...dimensions,
            ...(group.authorizer === undefined ? {} : { Authorizer: group.authorizer }),
          },
          document,
        );
      }
    }
    this.groups.clear();
    for (const [responseType, count] of this.refusals) {
      this.emit(
        timestamp,
        [['ApiId', 'Stage', 'ResponseType']],
        { ...base, ResponseType: responseType },
        {
          Refusals: count,
        },
      );
    }
    this.refusals.clear();
    if (this.jwksFetches + this.cacheErrors > 0) {
      const document: Record<string, number> = {};
      if (this.jwksFetches > 0) {
        document.JwksFetchCount = this.jwksFetches;
        document.JwksFetchErrors = this.jwksErrors;
      }
      if (this.cacheErrors > 0) document.CacheErrors = this.cacheErrors;
      this.emit(timestamp, [['ApiId', 'Stage']], base, document);
    }
    this.jwksFetches = 0;
    this.jwksErrors = 0;
    this.cacheErrors = 0;
  }

  /** Writes what is left and stops the timer. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private emit(
    timestamp: number,
    dimensionSets: string[][],
    dimensions: Record<string, string>,
    values: Record<string, number | number[]>,
  ): void {
    const metricsList = Object.keys(values).map((name) => ({
      Name: name,
      Unit: UNITS[name] ?? 'Count',
    }));
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [
            { Namespace: this.namespace, Dimensions: dimensionSets, Metrics: metricsList },
          ],
        },
        ...dimensions,
        ...values,
      }),
    );
  }

  private group(model: AuthModel, authorizer: string | undefined): Group {
    const key = authorizer === undefined ? model : `${model}\u0000${authorizer}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = {
        model,
        authorizer,
        count: 0,
        errors4xx: 0,
        errors5xx: 0,
        latencyMs: [],
        cacheHits: 0,
        cacheMisses: 0,
        authorizerLatencyMs: [],
        authorizerErrors: 0,
      };
      this.groups.set(key, group);
    }
    return group;
  }
}

const UNITS: Readonly<Record<string, string>> = {
  AuthorizationLatency: 'Milliseconds',
  AuthorizerLatency: 'Milliseconds',
};

/** Milliseconds to three decimals (microseconds): enough for a cached decision, short lines. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
