// The access log reads repeated header lines as the models do (docs/headers.md): every
// X-Forwarded-For line is one list walked from the right through the trusted proxies, and the
// Host and User-Agent lines Node keeps only the first of are all logged, joined with `,`.
import { linesNamed, sendLines } from '../helpers/raw-header-lines';
import {
  nextLine,
  startObservedApp,
  type ObservedApp,
} from '../observability/observability-test-app';

const FORMAT =
  '{"requestId":"$context.requestId","sourceIp":"$context.identity.sourceIp","domainName":"$context.domainName","ua":"$context.identity.userAgent"}';

describe.each(['express', 'fastify'] as const)('access-log header lines on %s', (platform) => {
  let app: ObservedApp;
  beforeAll(async () => {
    app = await startObservedApp(platform, { trustedProxies: ['127.0.0.1/32', '::1/128'] }, [
      { format: FORMAT },
    ]);
  });
  afterAll(async () => {
    await app.close();
  });

  it('logs the right-most untrusted X-Forwarded-For hop of all lines, and every Host and User-Agent line', async () => {
    const lines = app.lines[0] as string[];
    const count = lines.length;
    const res = await sendLines(app.url, {
      method: 'GET',
      url: '/health',
      lines: [
        ['Host', 'api.example.com'],
        ['User-Agent', 'first-agent'],
        ['X-Forwarded-For', '10.1.2.3'],
        ['Host', 'other.example.com'],
        ['user-agent', 'second-agent'],
        ['X-Forwarded-For', '8.8.8.8'],
      ],
    });
    expect(res.status).toBe(200);
    expect(linesNamed(res.sentHead, 'x-forwarded-for')).toBe(2);
    expect(JSON.parse(await nextLine(lines, count))).toEqual({
      requestId: expect.any(String),
      sourceIp: '8.8.8.8',
      domainName: 'api.example.com,other.example.com',
      ua: 'first-agent,second-agent',
    });
  });

  it('a request without repeated lines logs each header as sent', async () => {
    const lines = app.lines[0] as string[];
    const count = lines.length;
    await sendLines(app.url, {
      method: 'GET',
      url: '/health',
      lines: [
        ['Host', 'api.example.com'],
        ['User-Agent', 'agent'],
        ['X-Forwarded-For', '10.1.2.3, 8.8.4.4'],
      ],
    });
    expect(JSON.parse(await nextLine(lines, count))).toEqual({
      requestId: expect.any(String),
      sourceIp: '8.8.4.4',
      domainName: 'api.example.com',
      ua: 'agent',
    });
  });
});
