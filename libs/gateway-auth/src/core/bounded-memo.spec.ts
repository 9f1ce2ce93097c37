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

describe('BoundedMemo with a weight limit', () => {
  it('starts again when the keys would weigh more than the limit', () => {
    const memo = new BoundedMemo<string, number>(100, {
      maxWeight: 10,
      weigh: (key) => key.length,
    });
    memo.set('aaaa', 1);
    memo.set('bbbb', 2);
    memo.set('bbbb', 3); // a known key adds no weight
    expect([memo.get('aaaa'), memo.get('bbbb'), memo.size]).toEqual([1, 3, 2]);
    memo.set('ccc', 4); // 4 + 4 + 3 > 10
    expect([memo.get('aaaa'), memo.get('bbbb'), memo.get('ccc'), memo.size]).toEqual([
      undefined,
      undefined,
      4,
      1,
    ]);
  });

  it('still starts again at maxEntries', () => {
    const memo = new BoundedMemo<string, number>(2, { maxWeight: 1000, weigh: (k) => k.length });
    memo.set('a', 1);
    memo.set('b', 2);
    memo.set('c', 3);
    expect([memo.get('a'), memo.get('c'), memo.size]).toEqual([undefined, 3, 1]);
  });
});
