// Sends a request whose header lines are exactly the given ones, in order, repeated names kept as
// separate lines (supertest and fetch merge or refuse repeats), and records the bytes written so a
// test can check what went on the wire.
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

export interface LinesRequest {
  method: string;
  /** Path and query as they go on the wire. */
  url: string;
  /** `[name, value]` per header line, in order; a name given twice is sent on two lines. */
  lines: ReadonlyArray<readonly [string, string]>;
  body?: string;
}

export interface LinesResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The JSON body, or `undefined` when the body is not JSON. */
  body: unknown;
  /** The request head as written on the socket (request line and header lines). */
  sentHead: string;
}

/** Sends `request` to `baseUrl` (`http://127.0.0.1:<port>`) over a fresh connection. */
export function sendLines(baseUrl: string, request: LinesRequest): Promise<LinesResponse> {
  const { hostname, port } = new URL(baseUrl);
  const written: Buffer[] = [];
  const flat: string[] = [];
  for (const [name, value] of request.lines) flat.push(name, value);
  if (request.body !== undefined)
    flat.push('Content-Length', String(Buffer.byteLength(request.body)));
  flat.push('Connection', 'close');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: hostname,
      port: Number(port),
      method: request.method,
      path: request.url,
      // Node's raw form: names as written, repeats kept, nothing added but what the client needs.
      headers: flat,
      // No agent: a connection of its own, made by `createConnection` (which records the bytes).
      createConnection: () => {
        const socket = net.createConnection({ host: hostname, port: Number(port) });
        const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
        socket.write = (chunk: unknown, ...rest: unknown[]) => {
          if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
            written.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'latin1'));
          }
          return write(chunk, ...rest);
        };
        return socket;
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const all = Buffer.concat(written).toString('latin1');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body,
          sentHead: all.slice(0, all.indexOf('\r\n\r\n') + 2),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/** How many header lines of `sentHead` have this name (any case). */
export function linesNamed(sentHead: string, name: string): number {
  const lower = name.toLowerCase();
  return sentHead
    .split('\r\n')
    .slice(1)
    .filter((line) => line.slice(0, line.indexOf(':')).toLowerCase() === lower).length;
}
