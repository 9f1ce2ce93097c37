import { ConfigError } from '../errors';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  bodyTooLargeResponse,
  declaredLength,
  resolveBodyLimit,
} from './body-limit';

describe('resolveBodyLimit', () => {
  it("defaults to API Gateway's 10 MB payload limit, in bytes", () => {
    expect(resolveBodyLimit(undefined)).toBe(10 * 1024 * 1024);
    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(10485760);
  });

  it('keeps a whole number of bytes', () => {
    expect(resolveBodyLimit(1)).toBe(1);
    expect(resolveBodyLimit(64 * 1024)).toBe(65536);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, '10mb', '1024', null, 2 ** 53])(
    'refuses %p, naming the field',
    (value) => {
      let thrown: unknown;
      try {
        resolveBodyLimit(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).issues).toEqual([
        { path: 'bodyLimitBytes', message: expect.stringContaining('whole number of bytes') },
      ]);
    },
  );
});

describe('bodyTooLargeResponse', () => {
  it("is API Gateway's plain-text 413 naming the limit", () => {
    expect(bodyTooLargeResponse(10485760)).toEqual({
      statusCode: 413,
      headers: { 'content-type': 'text; charset=utf-8' },
      body: 'HTTP content length exceeded 10485760 bytes.',
    });
    expect(bodyTooLargeResponse(1024).body).toBe('HTTP content length exceeded 1024 bytes.');
  });
});

describe('declaredLength', () => {
  it('reads a decimal Content-Length', () => {
    expect(declaredLength('0')).toBe(0);
    expect(declaredLength('10485761')).toBe(10485761);
    expect(declaredLength(['12', '12'])).toBe(12);
  });

  it('has none when absent or not a plain decimal', () => {
    expect(declaredLength(undefined)).toBeUndefined();
    expect(declaredLength('')).toBeUndefined();
    expect(declaredLength('1e3')).toBeUndefined();
    expect(declaredLength('-1')).toBeUndefined();
    expect(declaredLength(' 12')).toBeUndefined();
  });
});
