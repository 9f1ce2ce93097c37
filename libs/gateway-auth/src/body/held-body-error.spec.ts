import { holdBodyError, takeHeldBodyError } from './held-body-error';

describe('held body errors', () => {
  it('keeps the first error of a request and gives it once', () => {
    const request = {};
    const first = new SyntaxError('Unexpected end of JSON input');
    holdBodyError(request, first);
    holdBodyError(request, new Error('second'));
    expect(takeHeldBodyError(request)).toBe(first);
    expect(takeHeldBodyError(request)).toBeUndefined();
  });

  it('has none for a request whose body parsed', () => {
    expect(takeHeldBodyError({})).toBeUndefined();
  });
});
