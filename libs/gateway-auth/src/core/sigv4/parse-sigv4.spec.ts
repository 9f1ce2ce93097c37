import { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';
import { formatAmzDate, parseAmzDate } from './amz-date';
import { parseSigV4 } from './parse-sigv4';

const OPTIONS = { echoAuthorizationHeader: true, maxExpiresSeconds: 604800 };
const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  'a'.repeat(64);

function request(headers: Record<string, string>, rawQuery = ''): HttpRequest {
  return { method: 'GET', path: '/', rawQuery, headers, sourceIp: '127.0.0.1', secure: false };
}

function messageOf(fn: () => unknown): string | null {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error.clientMessage;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseSigV4', () => {
  it('reads the SDK header form', () => {
    const claims = parseSigV4(
      request({ authorization: AUTH, 'x-amz-date': '20150830T123600Z' }),
      OPTIONS,
    );
    expect(claims).toMatchObject({
      form: 'header',
      accessKeyId: 'AKIDEXAMPLE',
      scopeDate: '20150830',
      scopeRegion: 'us-east-1',
      scopeService: 'execute-api',
      scopeTerminator: 'aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      amzDate: '20150830T123600Z',
      timestampMs: Date.parse('2015-08-30T12:36:00Z'),
    });
  });

  it('accepts unusual but valid spacing through the general parser', () => {
    const spaced = AUTH.replace(/, /g, ' ,  ');
    expect(
      parseSigV4(request({ authorization: spaced, 'x-amz-date': '20150830T123600Z' }), OPTIONS)
        .accessKeyId,
    ).toBe('AKIDEXAMPLE');
  });

  it('accepts an HTTP-date Date header when X-Amz-Date is absent (SIG-04)', () => {
    const claims = parseSigV4(
      request({ authorization: AUTH, date: 'Sun, 30 Aug 2015 12:36:00 GMT' }),
      OPTIONS,
    );
    expect(claims.amzDate).toBe('20150830T123600Z');
  });

  it('SIG-21: missing elements, with the raw value when echo is on', () => {
    expect(
      messageOf(() =>
        parseSigV4(request({ authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e' }), OPTIONS),
      ),
    ).toBe(
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a/b/c/d/e",
    );
    expect(messageOf(() => parseSigV4(request({ authorization: AUTH }), OPTIONS))).toMatch(
      /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4/,
    );
  });

  it('refuses garbage dates and impossible dates', () => {
    for (const date of [
      'yesterday',
      '20150230T000000Z',
      '20151301T000000Z',
      '20150830T246000Z',
      '20150830T123600',
    ]) {
      expect(
        messageOf(() => parseSigV4(request({ authorization: AUTH, 'x-amz-date': date }), OPTIONS)),
      ).toMatch(/^Date must be in ISO-8601 'basic format'/);
    }
  });

  it('presigned form: all five parameters are required', () => {
    expect(
      messageOf(() =>
        parseSigV4(
          request({}, 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z'),
          OPTIONS,
        ),
      ),
    ).toMatch(/^AWS query-string parameters must include/);
  });

  it('presigned form: X-Amz-Expires must be a number within the cap', () => {
    const base =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00';
    expect(messageOf(() => parseSigV4(request({}, `${base}&X-Amz-Expires=soon`), OPTIONS))).toBe(
      'X-Amz-Expires should be a number',
    );
    expect(
      messageOf(() => parseSigV4(request({}, `${base}&X-Amz-Expires=604801`), OPTIONS)),
    ).toMatch(/less than a week/);
    expect(parseSigV4(request({}, `${base}&X-Amz-Expires=60`), OPTIONS).expiresSeconds).toBe(60);
  });

  it('refuses both header and query authentication (SIG-03)', () => {
    expect(
      messageOf(() =>
        parseSigV4(
          request(
            { authorization: AUTH, 'x-amz-date': '20150830T123600Z' },
            'X-Amz-Algorithm=AWS4-HMAC-SHA256',
          ),
          OPTIONS,
        ),
      ),
    ).toMatch(/^Only one auth mechanism allowed/);
  });
});

describe('amz-date', () => {
  it.each([
    ['20240229T235959Z', '2024-02-29T23:59:59Z'],
    ['20000229T000000Z', '2000-02-29T00:00:00Z'],
    ['19700101T000000Z', '1970-01-01T00:00:00Z'],
    ['20991231T235959Z', '2099-12-31T23:59:59Z'],
  ])('parses %s', (text, iso) => {
    expect(parseAmzDate(text)).toBe(Date.parse(iso));
    expect(formatAmzDate(Date.parse(iso))).toBe(text);
  });
  it.each(['20230229T000000Z', '21000229T000000Z', '20240431T000000Z', '20240100T000000Z'])(
    'refuses %s',
    (text) => {
      expect(parseAmzDate(text)).toBeUndefined();
    },
  );
});
