// CloudWatch Embedded Metric Format documents: structure per the EMF specification (every metric
// and dimension named in `_aws` is a root member; at most 100 values per metric), aggregation per
// model and authorizer, and the names of API Gateway's CloudWatch metrics where one matches.
import { EmfMetrics } from './emf-metrics';

const api = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [member: string]: unknown;
}

function collect(): { lines: EmfDocument[]; emf: EmfMetrics } {
  const lines: EmfDocument[] = [];
  const emf = new EmfMetrics(api, {
    namespace: 'Test',
    write: (line) => lines.push(JSON.parse(line) as EmfDocument),
    now: () => 1_700_000_000_000,
  });
  return { lines, emf };
}

/** EMF spec: every dimension and metric the directive names is a root member of the right type. */
function expectValidEmf(document: EmfDocument): void {
  const [directive] = document._aws.CloudWatchMetrics;
  expect(directive).toBeDefined();
  for (const set of directive?.Dimensions ?? []) {
    for (const name of set) expect(typeof document[name]).toBe('string');
  }
  for (const metric of directive?.Metrics ?? []) {
    const value = document[metric.Name];
    if (Array.isArray(value)) {
      expect(value.length).toBeLessThanOrEqual(100);
      for (const v of value) expect(typeof v).toBe('number');
    } else {
      expect(typeof value).toBe('number');
    }
  }
}

describe('EmfMetrics', () => {
  it('writes nothing for an empty interval', () => {
    const { lines, emf } = collect();
    emf.flush();
    emf.close();
    expect(lines).toEqual([]);
  });

  it('aggregates decisions as Count / 4XXError / 5XXError with every latency, 100 per document', () => {
    const { lines, emf } = collect();
    for (let i = 0; i < 150; i++) emf.recordDecision('custom', 'orders', 200, 0.25);
    emf.recordDecision('custom', 'orders', 403, 1, 'ACCESS_DENIED');
    emf.recordDecision('custom', 'orders', 500, 2, 'AUTHORIZER_FAILURE');
    emf.recordCacheLookup({ authorizer: 'orders', store: 'memory', hit: true });
    emf.recordCacheLookup({ authorizer: 'orders', store: 'memory', hit: false });
    emf.recordCall({ kind: 'authorizer', authorizer: 'orders', target: 'in-process' }, 3.5, false);
    emf.recordDecision('iam', undefined, 200, 0.01);
    emf.recordCall({ kind: 'jwks', url: 'https://example.com/jwks' }, 20, true);
    emf.close();
    for (const line of lines) expectValidEmf(line);

    const orders = lines.filter((l) => l.Authorizer === 'orders');
    expect(orders).toHaveLength(2);
    const [first, second] = orders as [EmfDocument, EmfDocument];
    expect(first).toMatchObject({
      ApiId: 'petstore',
      Stage: 'prod',
      Model: 'custom',
      Count: 152,
      '4XXError': 1,
      '5XXError': 1,
      CacheHitCount: 1,
      CacheMissCount: 1,
      AuthorizerLatency: [3.5],
      AuthorizerErrors: 0,
    });
    expect(first._aws).toMatchObject({
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'Test',
          Dimensions: [
            ['ApiId', 'Stage'],
            ['ApiId', 'Stage', 'Model'],
            ['ApiId', 'Stage', 'Model', 'Authorizer'],
          ],
        },
      ],
    });
    expect((first.AuthorizationLatency as number[]).length).toBe(100);
    expect((second.AuthorizationLatency as number[]).length).toBe(52);
    expect(second.Count).toBeUndefined();
    const iam = lines.find((l) => l.Model === 'iam');
    expect(iam).toMatchObject({ Count: 1, '4XXError': 0, AuthorizationLatency: [0.01] });
    expect(iam?.Authorizer).toBeUndefined();
    expect(lines.filter((l) => l.Refusals !== undefined)).toEqual([
      expect.objectContaining({ ResponseType: 'ACCESS_DENIED', Refusals: 1 }),
      expect.objectContaining({ ResponseType: 'AUTHORIZER_FAILURE', Refusals: 1 }),
    ]);
    expect(lines.find((l) => l.JwksFetchCount !== undefined)).toMatchObject({
      JwksFetchCount: 1,
      JwksFetchErrors: 1,
    });
  });

  it('starts a new interval after each flush', () => {
    const { lines, emf } = collect();
    emf.recordDecision('cognito', undefined, 401, 1);
    emf.flush();
    emf.recordDecision('cognito', undefined, 200, 1);
    emf.close();
    expect(lines.map((l) => [l.Count, l['4XXError']])).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });
});
