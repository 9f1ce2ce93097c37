import { PassThrough } from 'node:stream';
import { readBody } from './read-body';

describe('readBody', () => {
  it('reads a body to its end, chunk by chunk', async () => {
    const stream = new PassThrough();
    const read = readBody(stream, 10);
    stream.write(Buffer.from([0, 1, 2]));
    stream.write('abc');
    stream.end(Buffer.from([255, 254]));
    await expect(read).resolves.toEqual({ body: Buffer.from([0, 1, 2, 97, 98, 99, 255, 254]) });
  });

  it('accepts exactly the limit', async () => {
    const stream = new PassThrough();
    const read = readBody(stream, 4);
    stream.end(Buffer.from('abcd'));
    await expect(read).resolves.toEqual({ body: Buffer.from('abcd') });
  });

  it('stops past the limit without keeping more, and ignores what follows', async () => {
    const stream = new PassThrough();
    const read = readBody(stream, 4);
    stream.write(Buffer.from('abc'));
    stream.write(Buffer.from('de'));
    await expect(read).resolves.toEqual({ tooLarge: true });
    expect(stream.listenerCount('data')).toBe(0);
    // A failure after the answer (the client resets the upload) is not an unhandled error.
    stream.destroy(new Error('reset'));
  });

  it('reports a stream that fails or closes before its end', async () => {
    const failing = new PassThrough();
    const failed = readBody(failing, 100);
    failing.destroy(new Error('ECONNRESET'));
    await expect(failed).resolves.toEqual({ failed: new Error('ECONNRESET') });
    const closing = new PassThrough();
    const closed = readBody(closing, 100);
    closing.write('ab');
    closing.destroy();
    await expect(closed).resolves.toMatchObject({ failed: expect.any(Error) });
  });
});
