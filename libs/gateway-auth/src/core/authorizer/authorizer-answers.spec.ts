import { AuthorizerAnswers } from './authorizer-answers';
import { CompiledPolicyMemo, parseAuthorizerResponse } from './authorizer-response';

const policyDocument = (resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: resource }],
});

function parse(principalId: string, context: object = {}) {
  return parseAuthorizerResponse(
    {
      principalId,
      policyDocument: policyDocument('arn:aws:execute-api:us-east-1:1:api/prod/*'),
      context,
    },
    'rest',
    'test',
  );
}

const answers = () =>
  new AuthorizerAnswers({
    format: 'rest',
    policyId: 'test',
    compiledPolicies: new CompiledPolicyMemo(),
    scope: { resourcePolicy: undefined, accountId: '1' },
  });

describe('AuthorizerAnswers', () => {
  it('answers the first equal answer for equal JSON, with its parts', () => {
    const interner = answers();
    const first = interner.intern(parse('user'));
    const again = interner.intern(parse('user'));
    expect(again).toBe(first);
    expect(again.result).toBe(first.result);
    expect(first.parts?.map((p) => p.value)).toEqual([
      first.result,
      first.result.kind === 'policy' ? first.result.policy : undefined,
    ]);
    expect(interner.intern(parse('other'))).not.toBe(first);
    expect(interner.fromPayload(first.payload)).toBe(first);
  });

  it('estimates a longer answer and a larger policy as larger parts', () => {
    const interner = answers();
    const small = interner.intern(parse('user'));
    const large = interner.intern(parse('user', { profile: 'x'.repeat(10_000) }));
    const [smallOwn, smallPolicy] = small.parts ?? [];
    const [largeOwn] = large.parts ?? [];
    expect((largeOwn?.bytes ?? 0) - (smallOwn?.bytes ?? 0)).toBeGreaterThanOrEqual(20_000);
    const manyStatements = {
      Version: '2012-10-17',
      Statement: Array.from({ length: 10 }, (_, i) => ({
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: `arn:aws:execute-api:us-east-1:1:api/prod/GET/r${i}/*`,
      })),
    };
    const big = interner.intern(
      parseAuthorizerResponse({ principalId: 'u', policyDocument: manyStatements }, 'rest', 't'),
    );
    expect(big.parts?.[1]?.bytes).toBeGreaterThan(5 * (smallPolicy?.bytes ?? 0));
  });

  it('forgets everything past a megabyte of answers (answers already handed out stay whole)', () => {
    const interner = answers();
    const first = interner.intern(parse('first'));
    for (let i = 0; i < 20; i++) interner.intern(parse(`big-${i}`, { blob: 'x'.repeat(100_000) }));
    const again = interner.fromPayload(first.payload);
    expect(again).not.toBe(first);
    expect(again?.payload).toBe(first.payload);
    expect(first.result.kind === 'policy' && first.result.principalId).toBe('first');
  });

  it('gives an interned policy answer what deciding it needs, derived once', () => {
    const interner = answers();
    const first = interner.intern(parse('user'));
    expect(first.derived?.set.identityPolicies).toEqual([
      first.result.kind === 'policy' ? first.result.policy : undefined,
    ]);
    expect(first.derived?.memoized).toBe(true);
    expect(interner.intern(parse('user')).derived).toBe(first.derived);
  });

  it('decodes a stored text once per distinct answer; an unreadable text is a miss', () => {
    const interner = answers();
    const { payload } = parse('user');
    const decoded = interner.fromPayload(payload);
    expect(decoded?.result).toMatchObject({ kind: 'policy', principalId: 'user' });
    expect(interner.fromPayload(payload)).toBe(decoded);
    expect(interner.fromPayload('{"principalId":')).toBeUndefined();
    expect(interner.fromPayload('{"principalId":"u"}')).toBeUndefined();
  });
});
