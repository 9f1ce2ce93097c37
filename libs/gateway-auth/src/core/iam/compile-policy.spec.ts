// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
import { ConfigError } from '../errors';
import { compilePolicy, evaluatePolicies, validatePolicy } from '.';

const API = 'arn:aws:execute-api:us-east-1:111122223333:petstore';
const allow = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/*` };

describe('compilePolicy / validatePolicy', () => {
  it('compiles a valid policy once with its id and kind', () => {
    const p = compilePolicy({ Version: '2012-10-17', Statement: [allow] }, 'mine');
    expect(p).toMatchObject({ policyId: 'mine', kind: 'identity', version: '2012-10-17' });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('accepts JSON text', () => {
    expect(validatePolicy(JSON.stringify({ Version: '2012-10-17', Statement: allow }))).toEqual([]);
    expect(validatePolicy('{not json')[0]).toMatchObject({
      path: '$',
      message: expect.stringMatching(/not valid JSON/),
    });
  });

  it('throws a ConfigError naming every problem with its JSON path', () => {
    let error: unknown;
    try {
      compilePolicy(
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Permit', Action: 'x', Resource: `${API}/*` }],
        },
        'bad',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual(['$.Statement[0].Effect', '$.Statement[0].Action']);
    expect((error as ConfigError).message).toMatch(/policy bad: 2 problems/);
    expect((error as ConfigError).message).toMatch(/\$\.Statement\[0\]\.Effect/);
  });

  it('reports paths of list items and keys with punctuation', () => {
    const issues = validatePolicy({
      Version: '2012-10-17',
      Statement: [
        {
          ...allow,
          Action: ['execute-api:Invoke', 'nope'],
          Condition: { 'ForAnyValue:IpAddress': { 'aws:SourceIp': ['10.0.0.0/8', 'x'] } },
        },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      '$.Statement[0].Action[1]',
      '$.Statement[0].Condition["ForAnyValue:IpAddress"]["aws:SourceIp"]',
    ]);
  });

  it('reports an unknown operator once, at the operator, whatever its keys', () => {
    const issues = validatePolicy({
      Version: '2012-10-17',
      Statement: {
        ...allow,
        Condition: {
          'StringEquals ': { a: 'x', 'b[0]': 'y' },
          NumericLessThan: { 'odd[key': 'z' },
        },
      },
    });
    expect(issues.map((i) => i.path)).toEqual([
      '$.Statement.Condition["StringEquals "]',
      '$.Statement.Condition.NumericLessThan["odd[key"]',
    ]);
  });

  it('rejects Principal outside resource policies and requires it inside (IAM-PRIN-01, RP-01)', () => {
    const withPrincipal = { Version: '2012-10-17', Statement: [{ ...allow, Principal: '*' }] };
    expect(validatePolicy(withPrincipal, { kind: 'boundary' })[0]?.message).toMatch(
      /only allowed in resource-based/,
    );
    expect(validatePolicy(withPrincipal, { kind: 'resource' })).toEqual([]);
    expect(
      validatePolicy({ Version: '2012-10-17', Statement: [allow] }, { kind: 'resource' })[0]
        ?.message,
    ).toMatch(/needs Principal or NotPrincipal/);
  });

  it("expands API Gateway's abbreviated resources when given the API ARN prefix (RP-01)", () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ ...allow, Principal: '*', Resource: 'execute-api:/prod/GET/*' }],
    };
    expect(validatePolicy(doc, { kind: 'resource' })[0]?.message).toMatch(/abbreviated/);
    const rp = compilePolicy(doc, 'rp', { kind: 'resource', apiArnPrefix: API });
    const decide = (resource: string) =>
      evaluatePolicies(
        { identityPolicies: [], resourcePolicy: rp },
        { action: 'execute-api:Invoke', resource, context: {} },
      ).decision;
    expect(decide(`${API}/prod/GET/pets`)).toBe('allowed');
    expect(decide(`${API}/prod/POST/pets`)).toBe('implicitDeny');
  });

  it('accepts an empty Statement array (it allows nothing)', () => {
    const p = compilePolicy({ Version: '2012-10-17', Statement: [] }, 'empty');
    expect(
      evaluatePolicies(
        { identityPolicies: [p] },
        { action: 'execute-api:Invoke', resource: `${API}/prod/GET/`, context: {} },
      ).decision,
    ).toBe('implicitDeny');
  });

  it('does not substitute variables outside Version 2012-10-17 (IAM-VER-01)', () => {
    expect(
      validatePolicy({
        Version: '2008-10-17',
        Statement: { ...allow, Resource: 'arn:aws:execute-api:${x}:1:a/*' },
      }),
    ).toEqual([]);
    expect(
      validatePolicy({
        Version: '2012-10-17',
        Statement: { ...allow, Resource: 'arn:aws:execute-api:${x}:1:a/*' },
      })[0]?.message,
    ).toMatch(/only in the resource part/);
  });

  it('ignores inherited properties and keys such as __proto__', () => {
    const doc = JSON.parse(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","__proto__":{"x":1}}}',
    ) as unknown;
    expect(validatePolicy(doc)[0]?.path).toBe('$.Statement.__proto__');
  });
});
