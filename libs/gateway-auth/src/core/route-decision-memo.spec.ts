import { RouteDecisionMemo } from './route-decision-memo';

describe('RouteDecisionMemo', () => {
  it('keeps decisions per method and path', () => {
    const memo = new RouteDecisionMemo<string>();
    memo.set('GET', '/pets', 'allowed');
    expect(memo.get('GET', '/pets')).toBe('allowed');
    expect(memo.get('DELETE', '/pets')).toBeUndefined();
    expect(memo.get('GET', '/pets/1')).toBeUndefined();
  });

  it('bounds the paths remembered per method beyond the first route', () => {
    const memo = new RouteDecisionMemo<number>(2);
    memo.set('GET', '/first', 0);
    memo.set('GET', '/a', 1);
    memo.set('GET', '/b', 2);
    memo.set('POST', '/a', 3);
    memo.set('GET', '/c', 4); // the GET memo was full: it starts again
    expect(memo.get('GET', '/a')).toBeUndefined();
    expect(memo.get('GET', '/c')).toBe(4);
    expect(memo.get('POST', '/a')).toBe(3);
    // The first route is held apart and kept.
    expect(memo.get('GET', '/first')).toBe(0);
    expect(memo.get('POST', '/first')).toBeUndefined();
  });

  it('replaces the first route in place when it is set again', () => {
    const memo = new RouteDecisionMemo<number>();
    memo.set('GET', '/pets', 1);
    memo.set('GET', '/pets', 2);
    expect(memo.get('GET', '/pets')).toBe(2);
  });
});
