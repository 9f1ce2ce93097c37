import { RouteDecisionMemo } from './route-decision-memo';

describe('RouteDecisionMemo', () => {
  it('keeps decisions per method and path', () => {
    const memo = new RouteDecisionMemo<string>();
    memo.set('GET', '/pets', 'allowed');
    expect(memo.get('GET', '/pets')).toBe('allowed');
    expect(memo.get('DELETE', '/pets')).toBeUndefined();
    expect(memo.get('GET', '/pets/1')).toBeUndefined();
  });

  it('bounds the paths remembered per method', () => {
    const memo = new RouteDecisionMemo<number>(2);
    memo.set('GET', '/a', 1);
    memo.set('GET', '/b', 2);
    memo.set('POST', '/a', 3);
    memo.set('GET', '/c', 4); // the GET memo was full: it starts again
    expect(memo.get('GET', '/a')).toBeUndefined();
    expect(memo.get('GET', '/c')).toBe(4);
    expect(memo.get('POST', '/a')).toBe(3);
  });
});
