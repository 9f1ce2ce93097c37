// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
import { OPERATOR_NAMES, parseOperator } from './operators';

describe('condition operator names', () => {
  it('knows every documented operator', () => {
    expect(OPERATOR_NAMES).toHaveLength(27);
    for (const name of OPERATOR_NAMES)
      expect(parseOperator(name)).toMatchObject({ name, set: 'none', ifExists: false });
  });

  it('parses IfExists and the set prefixes', () => {
    expect(parseOperator('ForAllValues:StringLikeIfExists')).toMatchObject({
      spec: { name: 'StringLike', negated: false },
      set: 'all',
      ifExists: true,
    });
    expect(parseOperator('ForAnyValue:NotIpAddress')).toMatchObject({
      spec: { name: 'NotIpAddress', negated: true },
      set: 'any',
    });
  });

  it.each([
    ['StringEqualz', /unknown condition operator/],
    ['stringequals', /did you mean 'StringEquals'/],
    ['NullIfExists', /not a condition operator/],
    ['ForAnyValue:Null', /cannot qualify Null/],
    ['ForSomeValues:StringEquals', /unknown/],
    ['IfExists', /unknown/],
  ])('rejects %s', (name, message) => {
    const parsed = parseOperator(name);
    expect(typeof parsed).toBe('string');
    expect(parsed).toMatch(message);
  });
});
