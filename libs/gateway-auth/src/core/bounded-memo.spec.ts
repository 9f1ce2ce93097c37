import { BoundedMemo } from './bounded-memo';

describe('BoundedMemo', () => {
  it('remembers until full, then starts again', () => {
    const memo = new BoundedMemo<string, number>(2);
    memo.set('a', 1);
    memo.set('b', 2);
    expect([memo.get('a'), memo.get('b'), memo.size]).toEqual([1, 2, 2]);
    memo.set('c', 3);
    expect([memo.get('a'), memo.get('b'), memo.get('c'), memo.size]).toEqual([
      undefined,
      undefined,
      3,
      1,
    ]);
  });
  it('replacing a known key never clears', () => {
    const memo = new BoundedMemo<string, number>(2);
    memo.set('a', 1);
    memo.set('b', 2);
    memo.set('b', 3);
    expect([memo.get('a'), memo.get('b')]).toEqual([1, 3]);
  });
});
