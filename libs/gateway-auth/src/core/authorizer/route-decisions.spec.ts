import { MAX_REMEMBERED_PATH_LENGTH, RouteDecisions, decisionPair } from './route-decisions';

describe('RouteDecisions', () => {
  it('keeps decisions per method, path and answer', () => {
    const memo = new RouteDecisions<object>();
    const [alice, bob] = [{}, {}];
    memo.set('GET', '/pets', alice, decisionPair('allowed'));
    memo.set('GET', '/pets', bob, decisionPair('implicitDeny'));
    expect(memo.get('GET', '/pets', alice)).toEqual(['allowed']);
    expect(memo.get('GET', '/pets', bob)).toEqual(['implicitDeny']);
    expect(memo.get('POST', '/pets', alice)).toBeUndefined();
    expect(memo.get('GET', '/pets/1', alice)).toBeUndefined();
  });

  it('does not remember paths longer than its limit (callers choose them)', () => {
    const memo = new RouteDecisions<object>();
    const answer = {};
    const long = `/pets/${'x'.repeat(MAX_REMEMBERED_PATH_LENGTH)}`;
    memo.set('GET', long, answer, decisionPair('allowed'));
    expect(memo.get('GET', long, answer)).toBeUndefined();
  });

  it('starts again when full, whatever the number of answers', () => {
    const memo = new RouteDecisions<object>();
    const first = {};
    memo.set('GET', '/first', first, decisionPair('allowed'));
    let i = 0;
    while (memo.get('GET', '/first', first) !== undefined && i < 100_000) {
      memo.set('GET', `/p/${i % 100}`, {}, decisionPair('allowed'));
      i += 1;
    }
    expect(memo.get('GET', '/first', first)).toBeUndefined();
    expect(i).toBeLessThan(100_000);
  });

  it('shares one frozen pair per combination', () => {
    expect(decisionPair('allowed', 'explicitDeny')).toBe(decisionPair('allowed', 'explicitDeny'));
    expect(decisionPair('allowed', 'explicitDeny')).toEqual(['allowed', 'explicitDeny']);
    expect(Object.isFrozen(decisionPair('implicitDeny'))).toBe(true);
  });
});
