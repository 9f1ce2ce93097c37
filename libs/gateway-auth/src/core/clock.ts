/**
 * The source of "now" for every time-dependent check (SigV4 skew and presign expiry, JWT `exp`/`nbf`,
 * cache TTLs). Verification code never calls `Date.now()` directly, so boundaries are testable and
 * the AWS test suite (signed in 2015) can run.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that stands still at `epochMs` until moved; for tests.
 * @example const clock = fixedClock(Date.parse('2015-08-30T12:36:00Z'));
 */
export function fixedClock(
  epochMs: number,
): Clock & { set(epochMs: number): void; advance(ms: number): void } {
  let current = epochMs;
  return {
    now: () => current,
    set: (ms: number) => {
      current = ms;
    },
    advance: (ms: number) => {
      current += ms;
    },
  };
}
