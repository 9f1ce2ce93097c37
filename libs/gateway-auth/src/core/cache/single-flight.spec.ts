import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('runs once per key while running, again after it settles (errors not remembered)', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const work = async (): Promise<number> => {
      runs += 1;
      await gate;
      return runs;
    };
    const all = Promise.all(Array.from({ length: 100 }, () => flights.run('k', work)));
    expect(flights.current('k')).toBeDefined();
    release();
    expect(await all).toEqual(Array(100).fill(1));
    expect(flights.current('k')).toBeUndefined();
    await expect(flights.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(flights.run('k', work)).resolves.toBe(2);
  });
});
