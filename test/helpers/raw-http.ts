// Sends one HTTP/1.1 request exactly as given — the headers and no others (no default
// Content-Type, as supertest adds), a binary body, or a chunked body — and reads the answer even
// when the server answers and closes before the body is sent (a 413).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query as they go on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked` (no Content-Length), in chunks of this size. */
  chunkSize?: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON (throws when it is not). */
  json(): Record<string, unknown>;
}

/** Sends `req` to `baseUrl` (`http://127.0.0.1:<port>`). */
export function sendRaw(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const target = new URL(baseUrl);
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() !== 'content-length') headers[name] = value;
  }
  if (body !== undefined && req.chunkSize === undefined) {
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      agent: false,
    });
    let answered = false;
    outgoing.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const all = Buffer.concat(chunks);
        const text = all.toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: all,
          text,
          json: () => JSON.parse(text) as Record<string, unknown>,
        });
      });
    });
    // A server that answers before reading the whole body (413) may reset the upload.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body === undefined) {
      outgoing.end();
    } else if (req.chunkSize === undefined) {
      outgoing.end(body);
    } else {
      for (let at = 0; at < body.length; at += req.chunkSize) {
        outgoing.write(body.subarray(at, at + req.chunkSize));
      }
      outgoing.end();
    }
  });
}
