import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { toHttpRequest } from './adapter-request';
import { createTrustedProxies } from './core/source-ip';

/**
 * The adapter reads real Node requests (Express and Fastify both wrap `IncomingMessage`): these
 * tests send raw HTTP/1.1 bytes to a real server so header repetition, casing and the socket peer
 * are Node's own, not a hand-built object's.
 */
describe('toHttpRequest over a real IncomingMessage', () => {
  let server: Server;
  let port: number;
  let received: Promise<IncomingMessage>;
  let receive: (req: IncomingMessage) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      receive(req);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
  });

  /**
   * Sends `head` (request line and headers, CRLF-separated) and resolves with Node's request; the
   * connection stays open until the test ends, as it is while a guard runs.
   */
  async function send(head: string): Promise<IncomingMessage> {
    received = new Promise((resolve) => (receive = resolve));
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.write(`${head}\r\n\r\n`);
    socket.on('data', () => undefined);
    return received;
  }

  const untrusted = createTrustedProxies(undefined);

  it('splits path and raw query, upper-cases nothing it should not', async () => {
    const req = await send('GET /pets/%7Bid%7D?a=1&b=%20 HTTP/1.1\r\nHost: api.example.com');
    const request = toHttpRequest(req, untrusted);
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/pets/%7Bid%7D');
    expect(request.rawQuery).toBe('a=1&b=%20');
    expect(request.protocol).toBe('HTTP/1.1');
  });

  it("uses Node's header object as is when no header name repeats", async () => {
    const req = await send('GET / HTTP/1.1\r\nHost: h\r\nX-Trace: 1\r\nAuthorization: allow');
    const request = toHttpRequest(req, untrusted);
    expect(request.headers).toBe(req.headers);
    expect(request.headers.authorization).toBe('allow');
  });

  it('keeps repeated headers as arrays in arrival order (not joined, not dropped)', async () => {
    const req = await send(
      'GET / HTTP/1.1\r\nHost: h\r\nX-Amz-Meta: a\r\nx-amz-meta: b\r\nAuthorization: one\r\nauthorization: two',
    );
    const request = toHttpRequest(req, untrusted);
    expect(request.headers['x-amz-meta']).toEqual(['a', 'b']);
    // Node's `headers` keeps only the first Authorization: the adapter must not.
    expect(req.headers.authorization).toBe('one');
    expect(request.headers.authorization).toEqual(['one', 'two']);
    expect(request.rawHeaders).toContain('x-amz-meta');
  });

  it('takes the source IP from the socket, and X-Forwarded-For only through a trusted proxy', async () => {
    const head =
      'GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: https';
    const direct = toHttpRequest(await send(head), untrusted);
    expect(direct.sourceIp).toBe('127.0.0.1');
    expect(direct.secure).toBe(false);
    const viaAlb = toHttpRequest(await send(head), createTrustedProxies(['127.0.0.0/8']));
    expect(viaAlb.sourceIp).toBe('198.51.100.7');
    expect(viaAlb.secure).toBe(true);
  });

  it('reads every X-Forwarded-For and X-Forwarded-Proto line behind a trusted proxy', async () => {
    const head =
      'GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.1.2.3\r\nX-Forwarded-Proto: https' +
      '\r\nx-forwarded-for: 8.8.8.8\r\nx-forwarded-proto: http';
    const viaAlb = toHttpRequest(await send(head), createTrustedProxies(['127.0.0.0/8']));
    // The client's own first lines do not hide what the proxy added after them.
    expect(viaAlb.sourceIp).toBe('8.8.8.8');
    expect(viaAlb.secure).toBe(false);
    // A repeated name with no other header repeated (Node's `headers` joins X-Forwarded-For).
    const single =
      'GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.1.2.3\r\nX-Forwarded-For: 8.8.8.8';
    expect(toHttpRequest(await send(single), createTrustedProxies(['127.0.0.0/8'])).sourceIp).toBe(
      '8.8.8.8',
    );
  });

  it('reads Express fields: originalUrl, the route relative to baseUrl, its methods', async () => {
    const req = await send('HEAD /api/pets/1?x=1 HTTP/1.1\r\nHost: h');
    Object.assign(req, {
      originalUrl: '/api/pets/1?x=1',
      url: '/pets/1?x=1',
      baseUrl: '/api',
      route: { path: '/pets/:id', methods: { get: true } },
      params: { id: '1' },
      rawBody: Buffer.from('body'),
    });
    const request = toHttpRequest(req, untrusted);
    expect(request.method).toBe('HEAD');
    expect(request.path).toBe('/api/pets/1');
    expect(request.routePath).toBe('/api/pets/:id');
    expect(request.routeMethods).toEqual(['GET']);
    expect(request.pathParameters).toEqual({ id: '1' });
    expect(request.body?.toString()).toBe('body');
    expect(request.requestId).toBeUndefined();
  });

  it("reads Fastify fields: raw, middie's originalUrl, routeOptions.url, id", async () => {
    const raw = await send('POST /pets?y=2 HTTP/1.1\r\nHost: h\r\nContent-Length: 0');
    Object.assign(raw, { originalUrl: '/v1/pets?y=2', url: '/pets?y=2' });
    const fastifyRequest = {
      raw,
      id: 'req-7',
      routeOptions: { url: '/v1/pets' },
      params: {},
      rawBody: Buffer.from('{}'),
    };
    const request = toHttpRequest(fastifyRequest, untrusted);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/pets');
    expect(request.rawQuery).toBe('y=2');
    expect(request.routePath).toBe('/v1/pets');
    expect(request.routeMethods).toBeUndefined();
    expect(request.requestId).toBe('req-7');
    expect(request.body?.toString()).toBe('{}');
  });

  it('keeps the source IP of a caller that hung up while the model was awaiting', async () => {
    const req = await send('GET / HTTP/1.1\r\nHost: h');
    const request = toHttpRequest(req, untrusted);
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolve) => req.socket.once('close', resolve));
    expect(request.sourceIp).toBe('127.0.0.1');
  });

  it('lets callers assign the lazy fields, like plain HttpRequest fields', async () => {
    const request = toHttpRequest(await send('GET / HTTP/1.1\r\nHost: h'), untrusted);
    request.headers = { host: 'other' };
    request.sourceIp = '203.0.113.1';
    request.requestId = 'given';
    expect(request.headers).toEqual({ host: 'other' });
    expect(request.sourceIp).toBe('203.0.113.1');
    expect(request.requestId).toBe('given');
  });
});
