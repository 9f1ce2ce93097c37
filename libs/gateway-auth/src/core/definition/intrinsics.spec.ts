import { Unresolved } from './api-definition';
import { IntrinsicResolver } from './intrinsics';
import { parseDocumentText } from './parse-document';

/** A template read from YAML (short forms included) and a resolver over it. */
function resolver(
  yaml: string,
  parameters: Record<string, string> = {},
): { r: IntrinsicResolver; t: Record<string, unknown> } {
  const { value, issues } = parseDocumentText(yaml);
  expect(issues).toEqual([]);
  const t = value as Record<string, unknown>;
  return { r: new IntrinsicResolver(t, { parameters }), t };
}

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: prod }
  Pools: { Type: CommaDelimitedList, Default: "a,b" }
  Env: { Type: String }
Mappings:
  Regions: { us-east-1: { Pool: us-east-1_Mapped } }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  NeedsEnv: !Equals [!Ref Env, live]
Resources:
  Fn: { Type: AWS::Serverless::Function, Properties: { FunctionName: auth-fn } }
  Anon: { Type: AWS::Lambda::Function }
  Pool: { Type: AWS::Cognito::UserPool }
Values:
  sub: !Sub "arn:aws:apigateway:\${AWS::Region}:lambda:path/\${Fn.Arn}/\${!Literal}"
  subVars: !Sub ["\${Greeting}-\${Stage}", { Greeting: hi }]
  join: !Join [":", [a, !Ref Stage, !Select [1, !Ref Pools]]]
  split: !Split [",", "x,y"]
  if: !If [IsProd, yes-prod, no]
  ifDev: !If [IsDev, dev, !Ref AWS::NoValue]
  map: !FindInMap [Regions, !Ref AWS::Region, Pool]
  anonArn: !GetAtt Anon.Arn
  poolArn: !GetAtt Pool.Arn
  import: !ImportValue shared-pool
  needsEnv: !If [NeedsEnv, a, b]
  list: [one, !Ref AWS::NoValue, two]
`;

describe('IntrinsicResolver', () => {
  const { r, t } = resolver(TEMPLATE, {
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '111122223333',
  });
  const values = r.resolve(t.Values, '$.Values') as Record<string, unknown>;

  it('applies Sub (with variables and ${!literal}), Join, Select, Split, If, FindInMap', () => {
    expect(values.sub).toBe(
      'arn:aws:apigateway:us-east-1:lambda:path/arn:aws:lambda:us-east-1:111122223333:function:auth-fn/${Literal}',
    );
    expect(values.subVars).toBe('hi-prod');
    expect(values.join).toBe('a:prod:b');
    expect(values.split).toEqual(['x', 'y']);
    expect(values.if).toBe('yes-prod');
    expect(values.map).toBe('us-east-1_Mapped');
  });

  it('drops AWS::NoValue properties and list items', () => {
    expect(Object.hasOwn(values, 'ifDev')).toBe(false);
    expect(values.list).toEqual(['one', 'two']);
  });

  it('names what only a deployment knows', () => {
    expect(values.anonArn).toEqual(new Unresolved(['Anon.Arn'], '${Anon.Arn}'));
    expect(values.poolArn).toEqual(new Unresolved(['Pool.Arn'], '${Pool.Arn}'));
    expect(values.import).toEqual(
      new Unresolved(['Fn::ImportValue:shared-pool'], '${Fn::ImportValue:shared-pool}'),
    );
    expect(values.needsEnv).toBeInstanceOf(Unresolved);
    expect((values.needsEnv as Unresolved).names).toEqual(['Env']);
    expect(r.issues).toEqual([]);
  });

  it('takes what the user supplies: parameters, resource ids and attributes', () => {
    const given = resolver(TEMPLATE, {
      'AWS::Region': 'eu-west-1',
      'AWS::AccountId': '111122223333',
      Env: 'live',
      Pool: 'eu-west-1_Given',
      'Anon.Arn': 'arn:x',
    });
    const v = given.r.resolve(given.t.Values, '$.Values') as Record<string, unknown>;
    expect(v.poolArn).toBe('arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Given');
    expect(v.anonArn).toBe('arn:x');
    expect(v.needsEnv).toBe('a');
  });

  it('reports malformed intrinsics and condition cycles with their paths', () => {
    const bad = resolver(`
Conditions:
  A: !Condition B
  B: !Condition A
Values:
  select: !Select [5, [a]]
  fn: { "Fn::Nope": 1 }
  cycle: !If [A, x, y]
`);
    bad.r.resolve(bad.t.Values, '$.Values');
    expect(bad.r.issues.map((i) => i.path)).toEqual([
      '$.Values.select["Fn::Select"]',
      '$.Values.fn["Fn::Nope"]',
      '$.Conditions.B.Condition',
    ]);
  });
});
