import { compilePolicy } from './compile-policy';
import { estimateCompiledPolicyBytes } from './compiled-policy-size';

const A = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';
const estimate = (statements: unknown[]) =>
  estimateCompiledPolicyBytes(
    compilePolicy({ Version: '2012-10-17', Statement: statements }, 'test', { kind: 'identity' }),
  );
const statement = (resource: string | string[], extra: object = {}) => ({
  Effect: 'Allow',
  Action: 'execute-api:Invoke',
  Resource: resource,
  ...extra,
});

describe('estimateCompiledPolicyBytes', () => {
  it('grows with statements, entries, conditions and text', () => {
    const one = estimate([statement(`${A}/*`)]);
    expect(estimate([statement(`${A}/*`), statement(`${A}/GET/x`)])).toBeGreaterThan(one + 1000);
    expect(estimate([statement([`${A}/*`, `${A}/GET/y`])])).toBeGreaterThan(one + 500);
    expect(
      estimate([
        statement(`${A}/*`, { Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } }),
      ]),
    ).toBeGreaterThan(one + 1500);
    expect(estimate([statement(`${A}/GET/${'p'.repeat(1000)}`)])).toBeGreaterThan(one + 2000);
  });
});
