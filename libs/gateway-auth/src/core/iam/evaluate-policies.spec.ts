// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html (IAM-EV-01..05)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html (RP-03)
import {
  combineWithResourcePolicy,
  compilePolicy,
  evaluatePolicies,
  type Decision,
  type EvaluationRequest,
  type Principal,
} from '.';

const ACCT = '111122223333';
const API = `arn:aws:execute-api:us-east-1:${ACCT}:petstore`;
const alice: Principal = { arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT, type: 'User' };
const request = (over: Partial<EvaluationRequest> = {}): EvaluationRequest => ({
  principal: alice,
  action: 'execute-api:Invoke',
  resource: `${API}/prod/GET/pets`,
  context: {},
  ...over,
});

describe('combineWithResourcePolicy (RP-03)', () => {
  const D: Decision[] = ['allowed', 'implicitDeny', 'explicitDeny'];
  // Table A (same account): rows X = allowed / implicitDeny / explicitDeny; columns Y = Allow / Neither / Deny.
  const tableA: Decision[][] = [
    ['allowed', 'allowed', 'explicitDeny'],
    ['allowed', 'implicitDeny', 'explicitDeny'],
    ['explicitDeny', 'explicitDeny', 'explicitDeny'],
  ];
  const tableB: Decision[][] = [
    ['allowed', 'implicitDeny', 'explicitDeny'],
    ['implicitDeny', 'implicitDeny', 'explicitDeny'],
    ['explicitDeny', 'explicitDeny', 'explicitDeny'],
  ];
  it.each(D.flatMap((x, i) => D.map((y, j) => [x, y, tableA[i]![j]!, tableB[i]![j]!] as const)))(
    'X=%s Y=%s -> same account %s, cross account %s',
    (x, y, a, b) => {
      expect(combineWithResourcePolicy(x, y, true)).toBe(a);
      expect(combineWithResourcePolicy(x, y, false)).toBe(b);
    },
  );
  it('without a resource policy the caller decision stands', () => {
    for (const x of D) expect(combineWithResourcePolicy(x, undefined, false)).toBe(x);
  });
});

describe('evaluatePolicies', () => {
  const policy = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Read',
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `${API}/prod/GET/*`,
        },
        { Sid: 'NoDelete', Effect: 'Deny', Action: 'execute-api:*', Resource: `${API}/*/DELETE/*` },
        {
          Sid: 'Office',
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `${API}/prod/POST/*`,
          Condition: {
            IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
            StringEquals: { 'aws:PrincipalTag/team': 'pets' },
          },
        },
      ],
    },
    'team-policy',
  );
  const set = { identityPolicies: [policy] };

  it('reports the statements that decided, with Sid and effect', () => {
    expect(evaluatePolicies(set, request())).toMatchObject({
      decision: 'allowed',
      identityDecision: 'allowed',
      matchedStatements: [{ policyId: 'team-policy', index: 0, sid: 'Read', effect: 'Allow' }],
      explanations: [],
    });
    expect(
      evaluatePolicies(set, request({ resource: `${API}/prod/DELETE/pets` })).matchedStatements,
    ).toEqual([{ policyId: 'team-policy', index: 1, sid: 'NoDelete', effect: 'Deny' }]);
  });

  it('lists condition keys that were needed but absent', () => {
    const result = evaluatePolicies(set, request({ resource: `${API}/prod/POST/pets` }));
    expect(result.decision).toBe('implicitDeny');
    expect(result.missingContextKeys).toEqual(['aws:SourceIp']);
  });

  it('lists every absent key of a relevant statement with explain: true', () => {
    const result = evaluatePolicies(set, request({ resource: `${API}/prod/POST/pets` }), {
      explain: true,
    });
    expect(result.missingContextKeys).toEqual(['aws:SourceIp', 'aws:PrincipalTag/team']);
  });

  it('explains, per statement, which element failed and why (explain: true)', () => {
    const result = evaluatePolicies(
      set,
      request({
        resource: `${API}/prod/POST/pets`,
        context: { 'aws:SourceIp': '10.0.0.1', 'aws:PrincipalTag/team': 'ops' },
      }),
      { explain: true },
    );
    expect(result.explanations).toEqual([
      expect.objectContaining({ sid: 'Read', matched: false, failedElement: 'Resource' }),
      expect.objectContaining({ sid: 'NoDelete', matched: false, failedElement: 'Resource' }),
      expect.objectContaining({
        sid: 'Office',
        matched: false,
        failedElement: 'Condition',
        detail:
          'Condition StringEquals aws:PrincipalTag/team: request value "ops" does not satisfy ["pets"]',
      }),
    ]);
  });

  describe('summary (explain: true) says what to change', () => {
    const explain = (r: EvaluationRequest, extra = {}) =>
      evaluatePolicies({ identityPolicies: [policy], ...extra }, r, { explain: true }).summary;

    it('names the failed condition of the nearest Allow', () => {
      expect(
        explain(
          request({ resource: `${API}/prod/POST/pets`, context: { 'aws:SourceIp': '192.0.2.1' } }),
        ),
      ).toBe(
        `Implicitly denied: no statement allows execute-api:Invoke on ${API}/prod/POST/pets. Nearest: team-policy statement 2 (Office): Condition IpAddress aws:SourceIp: request value "192.0.2.1" does not satisfy ["10.0.0.0/8"].`,
      );
    });
    it('names the denying statement', () => {
      expect(explain(request({ resource: `${API}/prod/DELETE/pets` }))).toBe(
        `Explicitly denied: team-policy statement 1 (NoDelete) denies execute-api:Invoke on ${API}/prod/DELETE/pets.`,
      );
    });
    it('says when only the permissions boundary is missing', () => {
      const boundary = compilePolicy(
        {
          Version: '2012-10-17',
          Statement: { Effect: 'Allow', Action: '*', Resource: `${API}/test/*` },
        },
        'pb',
        {
          kind: 'boundary',
        },
      );
      expect(explain(request(), { permissionsBoundary: [boundary] })).toMatch(
        /no permissions boundary statement does/,
      );
    });
    it('says when a cross-account caller lacks the resource-policy half', () => {
      const bob: Principal = {
        arn: 'arn:aws:iam::444455556666:user/bob',
        accountId: '444455556666',
        type: 'User',
      };
      expect(explain(request({ principal: bob }), { resourceAccountId: ACCT })).toMatch(
        /another account needs an Allow in both .*there is none/,
      );
    });
    it('is absent on the hot path', () => {
      expect(evaluatePolicies({ identityPolicies: [policy] }, request()).summary).toBeUndefined();
    });
  });

  it('derives aws:username, aws:PrincipalArn, aws:PrincipalAccount and aws:PrincipalType from the principal (RP-10)', () => {
    const p = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `${API}/prod/GET/users/\${aws:username}`,
          Condition: {
            StringEquals: {
              'aws:PrincipalType': 'User',
              'aws:PrincipalAccount': ACCT,
              'aws:PrincipalArn': alice.arn,
            },
          },
        },
      },
      'self',
    );
    expect(
      evaluatePolicies(
        { identityPolicies: [p] },
        request({ resource: `${API}/prod/GET/users/alice` }),
      ).decision,
    ).toBe('allowed');
    expect(
      evaluatePolicies(
        { identityPolicies: [p] },
        request({ resource: `${API}/prod/GET/users/bob` }),
      ).decision,
    ).toBe('implicitDeny');
    // For a role session aws:PrincipalArn is the role ARN and there is no aws:username.
    const session: Principal = {
      arn: `arn:aws:sts::${ACCT}:assumed-role/Ops/s1`,
      accountId: ACCT,
      type: 'AssumedRole',
      roleArn: `arn:aws:iam::${ACCT}:role/Ops`,
    };
    const rp = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalArn': session.roleArn } },
        },
      },
      'role',
    );
    expect(
      evaluatePolicies({ identityPolicies: [rp] }, request({ principal: session })).decision,
    ).toBe('allowed');
  });

  it('context values given by the caller win over derived ones', () => {
    const p = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:username': 'override' } },
        },
      },
      'x',
    );
    expect(
      evaluatePolicies(
        { identityPolicies: [p] },
        request({ context: { 'AWS:USERNAME': 'override' } }),
      ).decision,
    ).toBe('allowed');
  });

  it('reports each policy type decision before combination', () => {
    const rp = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: { Effect: 'Deny', Principal: '*', Action: '*', Resource: `${API}/test/*` },
      },
      'rp',
      { kind: 'resource' },
    );
    const boundary = compilePolicy(
      { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } },
      'pb',
      {
        kind: 'boundary',
      },
    );
    expect(
      evaluatePolicies(
        {
          identityPolicies: [policy],
          resourcePolicy: rp,
          permissionsBoundary: [boundary],
          resourceAccountId: ACCT,
        },
        request(),
      ),
    ).toMatchObject({
      decision: 'allowed',
      identityDecision: 'allowed',
      resourceDecision: 'implicitDeny',
      boundaryDecision: 'allowed',
      matchedStatements: [
        { policyId: 'team-policy', index: 0 },
        { policyId: 'pb', index: 0 },
      ],
    });
  });

  it('finds statements under several resource prefixes once, in policy order', () => {
    const p = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: [`${API}/prod/GET/pets/*`, `${API}/prod/*`, `${API}/prod/GET/*`],
          },
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Allow', Action: '*', Resource: `${API}/prod/GET/pets/1` },
        ],
      },
      'multi',
    );
    const result = evaluatePolicies(
      { identityPolicies: [p] },
      request({ resource: `${API}/prod/GET/pets/1` }),
    );
    expect(result.matchedStatements.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('a Lambda-authorizer policy (no principal) is judged on the method ARN (LO-03)', () => {
    const authorizer = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/prod/GET/*` },
        ],
      },
      'authorizer',
    );
    expect(
      evaluatePolicies({ identityPolicies: [authorizer] }, request({ principal: undefined }))
        .decision,
    ).toBe('allowed');
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
describe('request values an operator cannot parse never grant access (fail closed)', () => {
  const allowAll = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' };
  const denyOutside = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        allowAll,
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        },
      ],
    },
    'deny-outside',
  );
  const allowInside = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [{ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }],
    },
    'allow-inside',
  );
  const denyBigNumbers = compilePolicy(
    {
      Version: '2012-10-17',
      Statement: [
        allowAll,
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { NumericGreaterThan: { 'custom:size': '10' } },
        },
      ],
    },
    'deny-big',
  );
  const decide = (policy: typeof denyOutside, context: Record<string, string>): Decision =>
    evaluatePolicies({ identityPolicies: [policy] }, request({ context })).decision;

  it('a Deny with a negated operator still applies to an unreadable IP (found in review)', () => {
    expect(decide(denyOutside, { 'aws:SourceIp': '10.1.2.3' })).toBe('allowed');
    expect(decide(denyOutside, { 'aws:SourceIp': '8.8.8.8' })).toBe('explicitDeny');
    expect(decide(denyOutside, { 'aws:SourceIp': 'fe80::1%eth0' })).toBe('explicitDeny');
    expect(decide(denyOutside, { 'aws:SourceIp': '' })).toBe('explicitDeny');
    expect(decide(denyOutside, { 'aws:SourceIp': 'not-an-ip' })).toBe('explicitDeny');
  });
  it('an Allow with an unreadable value does not apply', () => {
    expect(decide(allowInside, { 'aws:SourceIp': '10.1.2.3' })).toBe('allowed');
    expect(decide(allowInside, { 'aws:SourceIp': 'garbage' })).toBe('implicitDeny');
  });
  it('a Deny with a positive operator applies to an unreadable number', () => {
    expect(decide(denyBigNumbers, { 'custom:size': '5' })).toBe('allowed');
    expect(decide(denyBigNumbers, { 'custom:size': '50' })).toBe('explicitDeny');
    expect(decide(denyBigNumbers, { 'custom:size': 'lots' })).toBe('explicitDeny');
  });
});
