// Property over HTTP, both platforms: requests with random path segments (unicode, reserved and
// percent-encoded characters), repeated and empty query keys and spaced header values, signed by
// @smithy/signature-v4, are accepted by @IamAuth().
import fc from 'fast-check';
import { ALICE, NOW, startIamApp, type Platform, type RunningApp } from './iam-test-app';
import { send } from './send';
import { signWithSmithy } from './sign-request';

const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;
const wire = (text: string): string => {
  let out = '';
  for (const ch of text) out += PATH_SAFE.test(ch) ? ch : encodeURIComponent(ch);
  return out;
};
const segment = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map(wire),
    fc.constantFrom('%3D', 'a%2Fb', '%E2%82%AC', "!$&'()*+,;=:@", 'x y'.replace(' ', '%20')),
  )
  .filter((s) => s !== '.' && s !== '..' && s !== '');
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom('a', 'a', 'b', '', 'ü'),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    ),
    {
      maxLength: 5,
    },
  )
  .map((pairs) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of pairs) {
      const e = out[k];
      out[k] = e === undefined ? v : Array.isArray(e) ? [...e, v] : [e, v];
    }
    return out;
  });
const spaced = fc
  .array(fc.oneof(fc.stringMatching(/^[!-~]{1,5}$/), fc.constantFrom(' ', '   ')), {
    minLength: 1,
    maxLength: 5,
  })
  .map((p) => p.join('').trim())
  .filter((v) => v !== '');

describe.each<Platform>(['express', 'fastify'])('SigV4 property over HTTP on %s', (platform) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startIamApp(platform);
  });
  afterAll(async () => {
    await running.close();
  });

  it('random signed requests are accepted', async () => {
    await fc.assert(
      fc.asyncProperty(segment, query, spaced, async (id, q, value) => {
        const signed = await signWithSmithy(
          {
            method: 'GET',
            host: running.host,
            path: `/pets/${id}`,
            query: q,
            headers: { 'x-custom': `  ${value}  ` },
            date: NOW,
          },
          ALICE,
        );
        const res = await send(running.url, signed);
        expect(res.status).toBe(200);
      }),
      { numRuns: 40 },
    );
  });
});
