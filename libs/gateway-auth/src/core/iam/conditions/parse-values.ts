/**
 * Parsing of Numeric and Date condition values (policy side at compile time, request side per
 * evaluation). Dates are W3C ISO 8601 (a missing zone means UTC) or epoch seconds.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 */

const NUMBER_CHARS = /^[0-9eE.+-]+$/;
const EPOCH = /^[+-]?\d+$|^[+-]?\d+\.\d+$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}$|^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}$/;
const FRACTION = /:\d{2}\.\d+$/;
const ZONE = /(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/** A number written as an integer or decimal; `undefined` when it is not one. */
export function parseNumeric(text: string): number | undefined {
  if (text === '' || !NUMBER_CHARS.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Milliseconds since the epoch for an ISO 8601 date-time or epoch seconds; `undefined` if invalid. */
export function parseDate(text: string): number | undefined {
  if (EPOCH.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  if (text.length > 40) return undefined;
  const zone = ZONE.exec(text);
  const local = zone === null ? text : text.slice(0, zone.index);
  const dateOnly = DATE_ONLY.test(local);
  if (
    !dateOnly &&
    !DATE_TIME.test(FRACTION.test(local) ? local.slice(0, local.lastIndexOf('.')) : local)
  ) {
    return undefined;
  }
  const month = Number(local.slice(5, 7));
  const day = Number(local.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let offset = zone === null ? 'Z' : zone[0].toUpperCase();
  if (offset.length === 5) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  if (dateOnly && zone !== null) return undefined;
  const iso = dateOnly ? `${local}T00:00:00Z` : `${local.replace(' ', 'T')}${offset}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
