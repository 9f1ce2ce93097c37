import { BadRequestException, HttpException } from '@nestjs/common';
import { asNestException, deferBodyError } from './deferred-body-error';

describe('deferBodyError', () => {
  it('makes reading the body throw, at every read, until the body is assigned', () => {
    const request: { body?: unknown } = { body: undefined };
    deferBodyError(
      request,
      Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400 }),
    );
    expect(() => request.body).toThrow(BadRequestException);
    expect(() => (request.body as Record<string, unknown>).name).toThrow(
      'Unexpected end of JSON input',
    );
    expect('body' in request).toBe(true);
    request.body = { name: 'Rex' };
    expect(request.body).toEqual({ name: 'Rex' });
  });
});

describe('asNestException', () => {
  it("turns body-parser's JSON SyntaxError (status 400) into Nest's BadRequestException", () => {
    const error = Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400 });
    const mapped = asNestException(error);
    expect(mapped).toBeInstanceOf(BadRequestException);
    expect((mapped as BadRequestException).getResponse()).toEqual({
      statusCode: 400,
      message: 'Unexpected end of JSON input',
      error: 'Bad Request',
    });
  });

  it('turns a Fastify parser error into an HttpException with its status', () => {
    const error = Object.assign(
      new Error("Body is not valid JSON but content-type is set to 'application/json'"),
      { name: 'FastifyError', statusCode: 400 },
    );
    const mapped = asNestException(error) as HttpException;
    expect(mapped).toBeInstanceOf(HttpException);
    expect(mapped.getStatus()).toBe(400);
  });

  it('leaves anything else as it is', () => {
    const other = Object.assign(new Error('request aborted'), { status: 400 });
    expect(asNestException(other)).toBe(other);
    const noStatus = new SyntaxError('from server code');
    expect(asNestException(noStatus)).toBe(noStatus);
  });
});
