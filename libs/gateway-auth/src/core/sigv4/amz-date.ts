const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Parses a SigV4 timestamp in ISO 8601 basic format (`20150830T123600Z`, SIG-04) to epoch ms;
 * `undefined` when the text is not one or names an impossible date.
 */
export function parseAmzDate(text: string): number | undefined {
  const match = BASIC_FORMAT.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, ...number[]];
  const ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  return formatAmzDate(ms) === text ? ms : undefined;
}

/** Formats epoch ms as a SigV4 timestamp, `YYYYMMDD'T'HHMMSS'Z'` (UTC, no milliseconds). */
export function formatAmzDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
