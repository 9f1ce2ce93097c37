// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html (IAM-RES-02)
import { ONE, STAR, compileWildcard, wildcardMatchRange } from './wildcard';

describe('wildcard matching (IAM-RES-02, OP-05)', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything/at:all', true],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['ab*', 'abcd', true],
    ['ab*', 'a', false],
    ['*cd', 'abcd', true],
    ['*cd', 'abce', false],
    ['a*d', 'abcd', true],
    ['a*d', 'ad', true],
    ['a*d', 'a', false],
    ['*bc*', 'abcd', true],
    ['*bc*', 'acbd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a*b*c', 'a-b-b-c', true],
    ['a*b*c', 'a-c-b', false],
    ['*a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['??', 'ab', true],
    ['??', 'abc', false],
    ['a**', 'a', true],
  ])('%s vs %s -> %s', (pattern, subject, expected) => {
    expect(compileWildcard(pattern)(subject)).toBe(expected);
  });

  it('a mask makes * and ? literal where policy variables or escapes produced them (IAM-V-03)', () => {
    const text = 'a*?';
    expect(wildcardMatchRange(text, new Uint8Array([0, 0, 0]), 0, 3, 'a*?', 0, 3)).toBe(true);
    expect(wildcardMatchRange(text, new Uint8Array([0, 0, 0]), 0, 3, 'abc', 0, 3)).toBe(false);
    expect(wildcardMatchRange(text, new Uint8Array([0, STAR, ONE]), 0, 3, 'abcdef', 0, 6)).toBe(
      true,
    );
  });
});
