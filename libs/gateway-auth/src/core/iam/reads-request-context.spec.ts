import {
  compilePolicy,
  evaluatePolicies,
  policySetReadsRequestContext,
  readsRequestContext,
  type PolicyDocument,
} from '.';

const API = 'arn:aws:execute-api:us-east-1:111122223333:petstore';
const policy = (statement: Record<string, unknown>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', ...statement }],
});

describe('readsRequestContext', () => {
  it('is false for statements without conditions or policy variables', () => {
    expect(readsRequestContext(compilePolicy(policy({ Resource: `${API}/*` }), 'p'))).toBe(false);
    expect(
      readsRequestContext(compilePolicy(policy({ NotResource: `${API}/prod/DELETE/*` }), 'p')),
    ).toBe(false);
  });

  it('is true when a statement has a Condition', () => {
    const compiled = compilePolicy(
      policy({ Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      'p',
    );
    expect(readsRequestContext(compiled)).toBe(true);
  });

  it('is true when a Resource or NotResource holds a policy variable', () => {
    expect(
      readsRequestContext(
        compilePolicy(policy({ Resource: `${API}/prod/GET/\${aws:username}` }), 'p'),
      ),
    ).toBe(true);
    expect(
      readsRequestContext(
        compilePolicy(policy({ NotResource: `${API}/prod/*/\${aws:PrincipalTag/team}` }), 'p'),
      ),
    ).toBe(true);
  });

  it('a policy that reads no context decides the same whatever the context holds', () => {
    const compiled = compilePolicy(policy({ Resource: `${API}/prod/GET/*` }), 'p');
    const ask = (context: Record<string, string>): string =>
      evaluatePolicies(
        { identityPolicies: [compiled] },
        { action: 'execute-api:Invoke', resource: `${API}/prod/GET/pets`, context },
      ).decision;
    expect(ask({})).toBe('allowed');
    expect(ask({ 'aws:SourceIp': '192.0.2.1', 'aws:username': 'mallory' })).toBe('allowed');
  });
});

describe('policySetReadsRequestContext', () => {
  const plain = compilePolicy(policy({ Resource: `${API}/*` }), 'plain');
  const reading = compilePolicy(
    policy({ Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    'reading',
  );
  it('looks at identity policies, the permissions boundary and the resource policy', () => {
    expect(policySetReadsRequestContext({ identityPolicies: [plain] })).toBe(false);
    expect(policySetReadsRequestContext({ identityPolicies: [plain, reading] })).toBe(true);
    expect(
      policySetReadsRequestContext({ identityPolicies: [plain], permissionsBoundary: [reading] }),
    ).toBe(true);
    expect(
      policySetReadsRequestContext({ identityPolicies: [plain], resourcePolicy: reading }),
    ).toBe(true);
  });
});
