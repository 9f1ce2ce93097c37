import { AnswerInterner } from './answer-interner';
import { parseAuthorizerResponse } from './authorizer-response';

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

describe('AnswerInterner', () => {
  it('answers the first equal answer for equal JSON, with its parts', () => {
    const interner = new AnswerInterner();
    const first = interner.intern(parse('user'));
    const again = interner.intern(parse('user'));
    expect(again).toBe(first);
    expect(again.result).toBe(first.result);
    expect(first.parts?.map((p) => p.value)).toEqual([
      first.result,
      first.result.kind === 'policy' ? first.result.policy : undefined,
    ]);
    expect(interner.intern(parse('other'))).not.toBe(first);
    expect(interner.get(first.payload)).toBe(first);
  });

  it('estimates a longer answer and a larger policy as larger parts', () => {
    const interner = new AnswerInterner();
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
    const interner = new AnswerInterner();
    const first = interner.intern(parse('first'));
    for (let i = 0; i < 20; i++) interner.intern(parse(`big-${i}`, { blob: 'x'.repeat(100_000) }));
    expect(interner.get(first.payload)).toBeUndefined();
    expect(first.result.kind === 'policy' && first.result.principalId).toBe('first');
  });
});
