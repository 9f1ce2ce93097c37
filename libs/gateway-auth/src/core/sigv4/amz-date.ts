const BASIC_FORMAT = /^\d{8}T\d{6}Z$/;

/**
 * Parses a SigV4 timestamp in ISO 8601 basic format (`20150830T123600Z`, SIG-04) to epoch ms;
 * `undefined` when the text is not one or names an impossible date.
 */
export function parseAmzDate(text: string): number | undefined {
  if (text.length !== 16 || !BASIC_FORMAT.test(text)) return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 4, 6);
  const d = digits(text, 6, 8);
  const h = digits(text, 9, 11);
  const mi = digits(text, 11, 13);
  const s = digits(text, 13, 15);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000;
}

/** Formats epoch ms as a SigV4 timestamp, `YYYYMMDD'T'HHMMSS'Z'` (UTC, no milliseconds). */
export function formatAmzDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
