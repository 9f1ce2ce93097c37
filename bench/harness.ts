/**
 * A small benchmark harness: warm up, then run `fn` in timed batches for `seconds` and report
 * operations per second. Figures are reported as ratios to a baseline measured in the same run.
 */
export interface Measurement {
  name: string;
  opsPerSecond: number;
  /** {@link paired}: the first and third quartiles of the per-batch ratios to the baseline. */
  quartiles?: readonly [number, number];
}

export function measure(
  name: string,
  fn: () => void,
  seconds = Number(process.env.BENCH_SECONDS ?? 2),
): Measurement {
  for (let i = 0; i < 1000; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 100; i++) fn();
    ops += 100;
    now = process.hrtime.bigint();
  }
  const elapsed = Number(now - start) / 1e9;
  return { name, opsPerSecond: ops / elapsed };
}

export async function measureAsync(
  name: string,
  fn: () => Promise<void>,
  seconds = Number(process.env.BENCH_SECONDS ?? 2),
): Promise<Measurement> {
  for (let i = 0; i < 200; i++) await fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) await fn();
    ops += 50;
    now = process.hrtime.bigint();
  }
  return { name, opsPerSecond: ops / (Number(now - start) / 1e9) };
}

/** Prints each measurement with its ratio to `baseline`. */
export function report(measurements: readonly Measurement[], baseline: Measurement): void {
  for (const m of measurements) {
    const ratio = m.opsPerSecond / baseline.opsPerSecond;
    console.log(
      `${m.name.padEnd(60)} ${Math.round(m.opsPerSecond).toLocaleString('en-US').padStart(12)} ops/s  ${ratio.toFixed(3)}x ${baseline.name}`,
    );
  }
}

/**
 * Measures `a` and `b` in alternating batches of 200 for `seconds` in total (after a warm-up), in CPU
 * time of this process (user + system, `process.cpuUsage`) rather than wall time: the machine's two
 * cores are shared with other work, and time spent preempted would otherwise land on whichever side
 * happened to be running. Each `b` batch is compared with the mean of the `a` batches either side of
 * it, and the ratio reported is the median of those comparisons: a burst of load on the shared cores
 * (cache and core contention slow the process down too) then spoils a few pairs, not the figure.
 * `a` is reported at its overall rate, `b` at that rate times the median ratio. Promises are awaited.
 */
export async function paired(
  aName: string,
  a: () => unknown,
  bName: string,
  b: () => unknown,
  seconds: number,
): Promise<[Measurement, Measurement]> {
  const run = async (fn: () => unknown, n: number): Promise<number> => {
    const start = process.cpuUsage();
    for (let k = 0; k < n; k++) {
      const out = fn();
      if (out instanceof Promise) await out;
    }
    const used = process.cpuUsage(start);
    return used.user + used.system;
  };
  await run(a, 500);
  await run(b, 500);
  let ta = 0;
  let ops = 0;
  const ratios: number[] = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let before = await run(a, 200);
  ta += before;
  ops += 200;
  while (process.hrtime.bigint() < deadline) {
    const tb = await run(b, 200);
    const after = await run(a, 200);
    ta += after;
    ops += 200;
    ratios.push((before + after) / 2 / Math.max(tb, 1));
    before = after;
  }
  ratios.sort((x, y) => x - y);
  const at = (q: number): number => ratios[Math.floor(q * (ratios.length - 1))] ?? Number.NaN;
  const aRate = ops / (ta / 1e6);
  return [
    { name: aName, opsPerSecond: aRate },
    { name: bName, opsPerSecond: aRate * at(0.5), quartiles: [at(0.25), at(0.75)] },
  ];
}
