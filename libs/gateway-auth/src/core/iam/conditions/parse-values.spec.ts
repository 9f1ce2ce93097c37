// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html (OP-07, OP-08)
import { parseDate, parseNumeric } from './parse-values';

describe('Numeric and Date values', () => {
  it.each([
    ['10', 10],
    ['-2.5', -2.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['abc', undefined],
    ['', undefined],
    ['0x10', undefined],
    ['1,000', undefined],
  ])('number %s -> %s', (text, expected) => expect(parseNumeric(text)).toBe(expected));

  it.each([
    ['2020-01-01T00:00:00Z', Date.UTC(2020, 0, 1)],
    ['2020-01-01', Date.UTC(2020, 0, 1)],
    ['2020-01-01T10:00', Date.UTC(2020, 0, 1, 10)],
    ['2020-01-01T10:00:00.250Z', Date.UTC(2020, 0, 1, 10, 0, 0, 250)],
    ['2020-01-01T10:00:00+0100', Date.UTC(2020, 0, 1, 9)],
    ['2020-01-01T10:00:00-05:00', Date.UTC(2020, 0, 1, 15)],
    ['1577836800', Date.UTC(2020, 0, 1)],
    ['2020-13-01', undefined],
    ['tomorrow', undefined],
    ['2020-01-01Z', undefined],
  ])('date %s -> %s (no zone means UTC; epoch seconds accepted)', (text, expected) =>
    expect(parseDate(text)).toBe(expected),
  );
});
