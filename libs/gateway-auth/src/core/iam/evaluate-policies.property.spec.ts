// Property-based tests (fast-check) of invariants the IAM evaluation logic documents:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
import fc from 'fast-check';
import {
  combineWithResourcePolicy,
  compilePolicy,
  evaluatePolicies,
  type EvaluationRequest,
  type Principal,
  type PolicySet,
} from '.';

const ACCT = '111122223333';
const API = `arn:aws:execute-api:us-east-1:${ACCT}:petstore`;
type Json = Record<string, unknown>;

const principals: (Principal | undefined)[] = [
  { arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT, type: 'User' },
  {
    arn: `arn:aws:sts::${ACCT}:assumed-role/Ops/s1`,
    accountId: ACCT,
    type: 'AssumedRole',
    roleArn: `arn:aws:iam::${ACCT}:role/Ops`,
  },
  { arn: 'arn:aws:iam::444455556666:user/bob', accountId: '444455556666', type: 'User' },
  undefined,
];
const resources = [
  'prod/GET/pets',
  'prod/GET/pets/1',
  'prod/POST/pets',
  'test/GET/users/alice',
  'prod/GET/',
].map((p) => `${API}/${p}`);
const resourcePatterns = [
  `${API}/*`,
  `${API}/prod/*`,
  `${API}/*/GET/*`,
  `${API}/prod/GET/pets`,
  `${API}/prod/GET/pets/?`,
  'arn:aws:execute-api:*:*:*',
  'arn:aws:execute-api:us-east-1:*:petstore/prod/*',
  '*',
  `${API}/prod/POST/*`,
  `${API}/test/GET/users/\${aws:username}`,
  `${API}/prod/GET/`,
];
const actions = [
  'execute-api:Invoke',
  'execute-api:*',
  'execute-api:InvalidateCache',
  '*',
  'execute-api:Inv*',
];
const conditions: (Json | undefined)[] = [
  undefined,
  { StringEquals: { 'aws:PrincipalTag/team': 'pets' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': ['ops', 'admin'] } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } },
  { StringLikeIfExists: { 'aws:PrincipalTag/team': 'p*' } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'team'] } },
  { Null: { 'aws:PrincipalTag/team': 'false' } },
];
const principalElements = [
  '*',
  { AWS: ACCT },
  { AWS: `arn:aws:iam::${ACCT}:role/Ops` },
  { AWS: '444455556666' },
  { AWS: `arn:aws:iam::${ACCT}:user/alice` },
];

const list = <T>(arb: fc.Arbitrary<T>) =>
  fc.array(arb, { minLength: 1, maxLength: 3 }).map((a) => (a.length === 1 ? a[0] : a));

const statementArb = (resourcePolicy: boolean, positiveOnly = false): fc.Arbitrary<Json> =>
  fc
    .record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      not: fc.record({
        action: positiveOnly ? fc.constant(false) : fc.boolean(),
        resource: positiveOnly ? fc.constant(false) : fc.boolean(),
      }),
      action: list(fc.constantFrom(...actions)),
      resource: list(fc.constantFrom(...resourcePatterns)),
      condition: fc.constantFrom(...conditions),
      principal: fc.constantFrom(...principalElements),
    })
    .map((r) => {
      const s: Json = { Effect: r.Effect };
      s[r.not.action ? 'NotAction' : 'Action'] = r.action;
      s[r.not.resource ? 'NotResource' : 'Resource'] = r.resource;
      if (r.condition !== undefined) s.Condition = r.condition;
      if (resourcePolicy) s.Principal = r.principal;
      return s;
    });

const policyArb = (resourcePolicy = false, positiveOnly = false) =>
  fc.array(statementArb(resourcePolicy, positiveOnly), { minLength: 1, maxLength: 5 });

const requestArb: fc.Arbitrary<EvaluationRequest> = fc
  .record({
    principal: fc.constantFrom(...principals),
    action: fc.constantFrom(
      'execute-api:Invoke',
      'execute-api:InvalidateCache',
      'EXECUTE-API:invoke',
    ),
    resource: fc.constantFrom(...resources),
    team: fc.option(fc.constantFrom('pets', 'ops'), { nil: undefined }),
    ip: fc.option(fc.constantFrom('10.1.2.3', '192.0.2.1', '2001:db8::1'), { nil: undefined }),
    tagKeys: fc.option(fc.subarray(['env', 'team', 'cost']), { nil: undefined }),
    username: fc.option(fc.constant('alice'), { nil: undefined }),
  })
  .map((r) => {
    const context: Record<string, string | string[]> = {};
    if (r.team !== undefined) context['aws:PrincipalTag/team'] = r.team;
    if (r.ip !== undefined) context['aws:SourceIp'] = r.ip;
    if (r.tagKeys !== undefined) context['aws:TagKeys'] = r.tagKeys;
    if (r.username !== undefined) context['aws:username'] = r.username;
    const request: EvaluationRequest = { action: r.action, resource: r.resource, context };
    if (r.principal !== undefined) request.principal = r.principal;
    return request;
  });

const doc = (statements: Json[]): Json => ({ Version: '2012-10-17', Statement: statements });
const identity = (policies: Json[][]): PolicySet => ({
  identityPolicies: policies.map((s, i) => compilePolicy(doc(s), `identity[${i}]`)),
});
const decide = (set: PolicySet, request: EvaluationRequest) =>
  evaluatePolicies(set, request).decision;

const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

const RUNS = { numRuns: 300 };

describe('IAM evaluation invariants (fast-check)', () => {
  it('statement and policy order never changes a decision (IAM-EV-04)', () => {
    fc.assert(
      fc.property(
        fc.array(policyArb(), { minLength: 1, maxLength: 3 }),
        requestArb,
        fc.nat(),
        (policies, request, seed) => {
          const reordered = shuffled(policies, seed).map((p) => shuffled(p, seed + 7));
          expect(decide(identity(reordered), request)).toBe(decide(identity(policies), request));
        },
      ),
      RUNS,
    );
  });

  it('adding a Deny never turns a deny into an allow, and keeps an explicit deny (IAM-EV-01)', () => {
    fc.assert(
      fc.property(policyArb(), statementArb(false), requestArb, (policy, extra, request) => {
        const before = decide(identity([policy]), request);
        const after = decide(identity([[...policy, { ...extra, Effect: 'Deny' }]]), request);
        if (before !== 'allowed') expect(after).not.toBe('allowed');
        if (before === 'explicitDeny') expect(after).toBe('explicitDeny');
      }),
      RUNS,
    );
  });

  it('adding an Allow never turns an allow into a deny (IAM-EV-01)', () => {
    fc.assert(
      fc.property(policyArb(), statementArb(false), requestArb, (policy, extra, request) => {
        const before = decide(identity([policy]), request);
        const after = decide(identity([[...policy, { ...extra, Effect: 'Allow' }]]), request);
        if (before === 'allowed') expect(after).toBe('allowed');
        if (before === 'explicitDeny') expect(after).toBe('explicitDeny');
      }),
      RUNS,
    );
  });

  it('splitting Action/Resource lists into one statement per pair gives the same decision', () => {
    fc.assert(
      fc.property(policyArb(false, true), requestArb, (policy, request) => {
        const split = policy.flatMap((s) => {
          const as = ([] as unknown[]).concat(s.Action);
          const rs = ([] as unknown[]).concat(s.Resource);
          return as.flatMap((a) => rs.map((r) => ({ ...s, Action: a, Resource: r })));
        });
        expect(decide(identity([split]), request)).toBe(decide(identity([policy]), request));
      }),
      RUNS,
    );
  });

  it('identity + resource policy follow the same-account / cross-account tables (RP-03)', () => {
    fc.assert(
      fc.property(policyArb(), policyArb(true), requestArb, (idPolicy, rp, request) => {
        fc.pre(request.principal !== undefined);
        const set: PolicySet = {
          ...identity([idPolicy]),
          resourcePolicy: compilePolicy(doc(rp), 'resource', { kind: 'resource' }),
          resourceAccountId: ACCT,
        };
        const result = evaluatePolicies(set, request);
        const same = request.principal?.accountId === ACCT;
        expect(result.decision).toBe(
          combineWithResourcePolicy(result.identityDecision, result.resourceDecision, same),
        );
      }),
      RUNS,
    );
  });

  it('the indexed hot path and the exhaustive explain path agree', () => {
    fc.assert(
      fc.property(
        fc.array(policyArb(), { minLength: 1, maxLength: 3 }),
        requestArb,
        (policies, request) => {
          const set = identity(policies);
          const fast = evaluatePolicies(set, request);
          const slow = evaluatePolicies(set, request, { explain: true });
          expect(slow.decision).toBe(fast.decision);
          expect(slow.matchedStatements).toEqual(fast.matchedStatements);
          expect(slow.explanations.length).toBe(policies.reduce((n, p) => n + p.length, 0));
          const denyApplies = slow.explanations.some((e) => e.matched && e.effect === 'Deny');
          expect(fast.decision === 'explicitDeny').toBe(denyApplies);
        },
      ),
      RUNS,
    );
  });
});
