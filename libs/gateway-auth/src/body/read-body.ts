// Reads a request body to its end into one Buffer, never past a limit.
import type { Readable } from 'node:stream';

/** How reading ended: the body, over the limit, or the stream failed (client gone, reset). */
export type BodyRead = { body: Buffer } | { tooLarge: true } | { failed: Error };

/**
 * Reads `stream` (a Node request, or the payload stream a framework hands over) to its end, counting
 * bytes as they arrive: past `limitBytes` it stops listening and answers `tooLarge` without keeping
 * more (the caller answers 413 and closes the connection). The caller checks the declared
 * `Content-Length` first, so an honest oversize body is refused before a byte is read.
 */
export function readBody(stream: Readable, limitBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (outcome: BodyRead): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limitBytes) {
        // Nothing more is read; an error the client causes later must not go unhandled.
        stream.pause();
        stream.on('error', ignore);
        finish({ tooLarge: true });
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => finish({ body: Buffer.concat(chunks, received) });
    const onError = (error: Error): void => finish({ failed: error });
    const onClose = (): void =>
      finish({ failed: new Error('request closed before its body ended') });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/**
 * A body could not be read to its end (the client went away, the connection reset): 400, as
 * body-parser reports an aborted request.
 */
export class BodyReadError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'request.aborted';

  constructor(cause: Error) {
    super('request aborted', { cause });
    this.name = 'BodyReadError';
  }
}

function ignore(): void {}
