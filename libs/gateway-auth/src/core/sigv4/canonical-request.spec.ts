// Canonical headers (SIG-05): values trimmed, inner whitespace runs collapsed, repeats joined.
import type { HttpRequest } from '../http-request';
import { canonicalHeaders } from './canonical-request';

/**
 * The previous, regex-based implementation, as the oracle of the scanning fast path: values whose
 * ends are not ASCII whitespace and that hold no ASCII whitespace run are kept as sent (non-ASCII
 * spaces such as U+00A0 included); anything else is trimmed and collapsed.
 */
const oracle = (value: string): string => {
  const last = value.length - 1;
  if (
    last >= 0 &&
    value.charCodeAt(0) > 32 &&
    value.charCodeAt(last) > 32 &&
    value.indexOf('  ') === -1 &&
    !/[\t\n\r\f\v]/.test(value)
  ) {
    return value;
  }
  return value.trim().replace(/\s+/g, ' ');
};

const request = (headers: HttpRequest['headers']): HttpRequest => ({
  method: 'GET',
  path: '/',
  rawQuery: '',
  headers,
  sourceIp: '127.0.0.1',
  secure: false,
});

describe('canonicalHeaders', () => {
  it.each([
    'plain',
    'a b c',
    '',
    ' ',
    '  ',
    ' leading',
    'trailing ',
    'double  space',
    'tab\there',
    '\tleading tab',
    'new\nline',
    'cr\r\nlf',
    'vertical\vtab',
    'form\ffeed',
    'control\u0001char',
    'nbsp\u00a0inside',
    '\u00a0nbsp edge\u00a0',
    'line\u2028separator',
    'x  \t  y',
    ' \u00a0 ',
    'a \u00a0',
  ])('normalizes %j as before', (value) => {
    expect(canonicalHeaders(request({ 'x-test': value }), ['x-test'])).toBe(
      `x-test:${oracle(value)}\n`,
    );
  });

  it('joins repeated headers with commas and leaves a missing one empty', () => {
    expect(canonicalHeaders(request({ 'x-a': [' 1 ', '2  3'] }), ['missing', 'x-a'])).toBe(
      'missing:\nx-a:1,2 3\n',
    );
  });
});
