// Fuzzing the parser: random JSON (and policy-shaped JSON with random values) never crashes it —
// every document either validates or fails with ConfigIssues naming a JSON path.
import fc from 'fast-check';
import { ConfigError } from '../errors';
import { compilePolicy, evaluatePolicies, validatePolicy, type PolicyKind } from '.';

const kinds: PolicyKind[] = ['identity', 'resource', 'boundary'];

function checkDocument(document: unknown, kind: PolicyKind): void {
  const issues = validatePolicy(document, { kind });
  expect(Array.isArray(issues)).toBe(true);
  for (const issue of issues) {
    expect(issue.path.startsWith('$')).toBe(true);
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
  }
  let compiled;
  try {
    compiled = compilePolicy(document, 'fuzz', { kind });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(issues.length).toBeGreaterThan(0);
    return;
  }
  expect(issues).toEqual([]);
  // A document that compiles can be evaluated without throwing.
  const set =
    kind === 'resource'
      ? { identityPolicies: [], resourcePolicy: compiled }
      : kind === 'boundary'
        ? { identityPolicies: [], permissionsBoundary: [compiled] }
        : { identityPolicies: [compiled] };
  const result = evaluatePolicies(set, {
    action: 'execute-api:Invoke',
    resource: 'arn:aws:execute-api:us-east-1:111122223333:api/prod/GET/x',
    context: { 'aws:SourceIp': '10.0.0.1', k: ['a', 'b'] },
  });
  expect(['allowed', 'explicitDeny', 'implicitDeny']).toContain(result.decision);
}

const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '*',
    'Allow',
    'Deny',
    'execute-api:Invoke',
    'arn:aws:execute-api:*:*:*',
    '${aws:username}',
    '${',
    '10.0.0.0/8',
    '2012-10-17',
    'true',
    '',
    '__proto__',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string(), scalar, { maxKeys: 3 }),
);
const operator = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'StringEquals',
    'StringLike',
    'ForAnyValue:StringEquals',
    'NumericLessThan',
    'DateGreaterThan',
    'Bool',
    'IpAddress',
    'ArnLike',
    'Null',
    'BinaryEquals',
    'NullIfExists',
    'StringEqualsIfExists',
  ),
);
const statement = fc.record(
  {
    Sid: value,
    Effect: fc.oneof(value, fc.constantFrom('Allow', 'Deny')),
    Action: value,
    NotAction: value,
    Resource: value,
    NotResource: value,
    Principal: value,
    NotPrincipal: value,
    Condition: fc.oneof(
      value,
      fc.dictionary(operator, fc.dictionary(fc.string(), value, { maxKeys: 2 }), { maxKeys: 3 }),
    ),
  },
  { requiredKeys: [] },
);
const policyShaped = fc.record(
  {
    Version: fc.oneof(value, fc.constantFrom('2012-10-17', '2008-10-17')),
    Id: value,
    Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 }), value),
  },
  { requiredKeys: [] },
);

describe('policy parser fuzzing', () => {
  it('random JSON values never crash validation or compilation', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...kinds), (doc, kind) =>
        checkDocument(doc, kind),
      ),
      { numRuns: 1000 },
    );
  });

  it('policy-shaped documents with random element values never crash', () => {
    fc.assert(
      fc.property(policyShaped, fc.constantFrom(...kinds), (doc, kind) => checkDocument(doc, kind)),
      { numRuns: 1000 },
    );
  });

  it('random text (as JSON source) never crashes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => checkDocument(text, 'identity')),
      { numRuns: 500 },
    );
  });

  it('anything at all, including non-JSON values, never crashes', () => {
    fc.assert(
      fc.property(fc.anything(), (doc) => checkDocument(doc, 'resource')),
      { numRuns: 500 },
    );
  });
});

describe('evaluation fuzzing', () => {
  const policy = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['execute-api:*', 'sts:G?t*'],
          Resource: ['arn:aws:execute-api:*:*:api/*/GET/${aws:username}/*', 'arn:aws:*:us-*:*:x*'],
          Condition: {
            StringLikeIfExists: { k: ['*a?', '${aws:PrincipalTag/t}'] },
            'ForAllValues:IpAddress': { ips: ['10.0.0.0/8', '::/0'] },
            NumericLessThanIfExists: { n: '5' },
            DateGreaterThanIfExists: { d: '2020-01-01' },
            BinaryEquals: { b: 'AAEC' },
          },
        },
        { Effect: 'Deny', NotAction: 'execute-api:Invoke', NotResource: 'arn:aws:s3:::*' },
      ],
    },
    'fuzz',
  );
  const rp = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        NotPrincipal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:role/p/R'] },
        Action: '*',
        Resource: '*',
      },
    },
    'rp',
    { kind: 'resource' },
  );
  const text = fc.oneof(
    fc.string(),
    fc.constantFrom(
      '',
      ':',
      'arn:aws:execute-api:us-east-1:1:api/p/GET/',
      '::ffff:10.0.0.1',
      '10.1.1.1',
      '1e400',
      '2020-02-30',
    ),
  );
  const contextValue = fc.oneof(text, fc.array(text, { maxLength: 3 }));

  it('any request shape decides without throwing, on both paths', () => {
    fc.assert(
      fc.property(
        text,
        text,
        fc.dictionary(
          fc.constantFrom(
            'k',
            'K',
            'ips',
            'n',
            'd',
            'b',
            'aws:username',
            'aws:PrincipalTag/t',
            '__proto__',
          ),
          contextValue,
        ),
        fc.option(
          fc.record({
            arn: text,
            accountId: text,
            type: fc.constantFrom(
              'User',
              'AssumedRole',
              'Account',
              'FederatedUser',
              'Anonymous',
            ) as fc.Arbitrary<'User'>,
            roleArn: fc.option(text, { nil: undefined }),
          }),
          { nil: undefined },
        ),
        (action, resource, context, principal) => {
          const request = {
            action,
            resource,
            context,
            ...(principal === undefined
              ? {}
              : {
                  principal: {
                    ...principal,
                    ...(principal.roleArn === undefined ? { roleArn: undefined } : {}),
                  },
                }),
          };
          const set = {
            identityPolicies: [policy],
            resourcePolicy: rp,
            resourceAccountId: '111122223333',
          };
          const fast = evaluatePolicies(set, request);
          const slow = evaluatePolicies(set, request, { explain: true });
          expect(slow.decision).toBe(fast.decision);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
