// What the authorizer cache keeps per entry (issue 11): equal answers shared by every entry,
// the byte bound evicting the oldest, and decisions unchanged by either (LC-02, LC-03).
import type { ApiOptions } from '../api-options';
import { MemoryDecisionCache } from '../cache/memory-decision-cache';
import { fixedClock } from '../clock';
import { AuthError } from '../errors';
import { renderGatewayResponse } from '../gateway-responses';
import type { HttpRequest } from '../http-request';
import { silentLogger } from '../logger';
import type { AuthorizerAnswer } from './authorizer-answers';
import { CustomAuthorizerAuthenticator } from './custom-authorizer-authenticator';

const api: ApiOptions = {
  region: 'us-east-1',
  accountId: '111122223333',
  apiId: 'petstore',
  stage: 'prod',
};
const ARN = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';
const NAMESPACE = 'petstore/prod/orders';
const MIB = 1024 * 1024;

function request(token: string, method = 'GET', path = '/pets'): HttpRequest {
  return {
    method,
    path,
    rawQuery: '',
    headers: { authorization: token },
    sourceIp: '203.0.113.7',
    secure: true,
  };
}

function answer(principalId: string, effect: 'Allow' | 'Deny', resource: string, context = {}) {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    context,
  };
}

/** The rendered refusal, or `allowed` (a cached decision is answered, or thrown, synchronously). */
async function outcome(decide: () => unknown): Promise<string> {
  try {
    await decide();
    return 'allowed';
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const rendered = renderGatewayResponse(error);
    return `${rendered.statusCode} ${rendered.body}`;
  }
}

describe('cached authorizer answers (issue 11)', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  const make = (
    handler: (event: { authorizationToken: string; methodArn: string }) => unknown,
    store: MemoryDecisionCache,
  ) => {
    const authenticator = new CustomAuthorizerAuthenticator(
      {
        orders: {
          type: 'TOKEN',
          handler: (event: { authorizationToken: string; methodArn: string }) =>
            Promise.resolve(handler(event)),
          ttlSeconds: 300,
        },
      },
      { api, clock: fixedClock(Date.parse('2026-01-01T00:00:00Z')), logger: silentLogger },
      { store },
    );
    open.push(authenticator, store);
    return authenticator;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  it('shares one answer between every token denied with it (LC-03), and refuses each the same', async () => {
    const store = new MemoryDecisionCache();
    const auth = make(() => answer('user', 'Deny', `${ARN}/*`, { reason: 'unknown token' }), store);
    const refusals = new Set<string>();
    for (let i = 0; i < 100; i++) {
      refusals.add(await outcome(() => auth.authorize(request(`token-${i}`), { name: 'orders' })));
    }
    expect([...refusals]).toEqual([
      '403 {"Message":"User is not authorized to access this resource with an explicit deny"}',
    ]);
    const first = store.get(NAMESPACE, 'token-0');
    for (let i = 1; i < 100; i++) {
      const entry = store.get(NAMESPACE, `token-${i}`);
      expect(entry?.decoded).toBe(first?.decoded);
      expect(entry?.payload).toBe(first?.payload);
      expect(entry?.parts).toBe(first?.parts);
    }
    // Counted once: 100 entries cost their keys and one answer.
    const oneAnswer = (first?.parts ?? []).reduce((sum, part) => sum + part.bytes, 0);
    const { bytes, entries } = store.usage(NAMESPACE);
    expect(entries).toBe(100);
    expect(bytes - oneAnswer).toBeLessThan(100 * 400);
  });

  it('keeps answers that differ in principal or context apart, sharing their compiled policy', async () => {
    const store = new MemoryDecisionCache();
    const auth = make(
      (event) => answer(`user-${event.authorizationToken}`, 'Allow', `${ARN}/*`),
      store,
    );
    const contexts = [];
    for (const token of ['alice', 'bob']) {
      contexts.push(await auth.authorize(request(token), { name: 'orders' }));
    }
    expect(contexts.map((c) => c.type === 'CUSTOM' && c.principalId)).toEqual([
      'user-alice',
      'user-bob',
    ]);
    // Entries hold the interned answer itself; its result holds the compiled policy.
    const compiled = (token: string) => {
      const { result } = store.get(NAMESPACE, token)?.decoded as AuthorizerAnswer;
      return { result, policy: result.kind === 'policy' ? result.policy : undefined };
    };
    const [alice, bob] = [compiled('alice'), compiled('bob')];
    expect(alice.result).not.toBe(bob.result);
    expect(alice.policy).toBeDefined();
    expect(alice.policy).toBe(bob.policy);
    // On a hit, each still gets its own principal (LO-09).
    const hit = await auth.authorize(request('bob'), { name: 'orders' });
    expect(hit.type === 'CUSTOM' && hit.principalId).toBe('user-bob');
  });

  it('decides each answer on each route, past the first route each answer holds (LC-02)', async () => {
    const store = new MemoryDecisionCache();
    // Each token may call one path only; both call both, on two methods, several times.
    const auth = make(
      (event) =>
        answer(event.authorizationToken, 'Allow', `${ARN}/GET/${event.authorizationToken}`),
      store,
    );
    const seen: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const token of ['pets', 'orders']) {
        for (const [method, path] of [
          ['GET', '/pets'],
          ['GET', '/orders'],
          ['DELETE', '/pets'],
        ] as const) {
          const result = await outcome(() =>
            auth.authorize(request(token, method, path), { name: 'orders' }),
          );
          seen.push(
            `${round} ${token} ${method} ${path}: ${result.startsWith('403') ? 403 : result}`,
          );
        }
      }
    }
    for (let round = 0; round < 3; round++) {
      expect(seen.slice(round * 6, round * 6 + 6)).toEqual([
        `${round} pets GET /pets: allowed`,
        `${round} pets GET /orders: 403`,
        `${round} pets DELETE /pets: 403`,
        `${round} orders GET /pets: 403`,
        `${round} orders GET /orders: allowed`,
        `${round} orders DELETE /pets: 403`,
      ]);
    }
  });

  it('evicts the oldest entries past cache.memory.maxBytes; an evicted token invokes again and is decided the same', async () => {
    const store = new MemoryDecisionCache({ maxBytes: MIB });
    const invoked: string[] = [];
    // Answers naming each caller with a 64 KB context: nothing shared, ~150 KB estimated each.
    const auth = make((event) => {
      invoked.push(event.authorizationToken);
      return answer(event.authorizationToken, 'Allow', `${ARN}/GET/pets`, {
        profile: event.authorizationToken.repeat((64 * 1024) / event.authorizationToken.length),
      });
    }, store);
    const tokens = Array.from({ length: 20 }, (_, i) => `caller-${String(i).padStart(2, '0')}`);
    for (const token of tokens) {
      await expect(outcome(() => auth.authorize(request(token), { name: 'orders' }))).resolves.toBe(
        'allowed',
      );
      expect(store.usage(NAMESPACE).bytes).toBeLessThanOrEqual(MIB);
    }
    const held = tokens.filter((t) => store.get(NAMESPACE, t) !== undefined);
    expect(held.length).toBeGreaterThan(1);
    expect(held.length).toBeLessThan(tokens.length);
    expect(held).toEqual(tokens.slice(tokens.length - held.length)); // the newest
    invoked.length = 0;
    await expect(
      outcome(() => auth.authorize(request(tokens[19] as string), { name: 'orders' })),
    ).resolves.toBe('allowed');
    expect(invoked).toEqual([]); // held: a hit
    await expect(
      outcome(() => auth.authorize(request('caller-00'), { name: 'orders' })),
    ).resolves.toBe('allowed');
    await expect(
      outcome(() => auth.authorize(request('caller-00', 'DELETE'), { name: 'orders' })),
    ).resolves.toMatch(/^403 /);
    expect(invoked).toEqual(['caller-00']); // evicted: invoked once again, then a hit
  });
});
