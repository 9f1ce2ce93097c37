/**
 * A small benchmark harness: warm up, then run `fn` in timed batches for `seconds` and report
 * operations per second. Figures are reported as ratios to a baseline measured in the same run.
 */
export interface Measurement {
  name: string;
  opsPerSecond: number;
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
