// @IamAuth() over Nest on Express and Fastify: requests signed by @smithy/signature-v4 and aws4 are
// accepted; each signed component tampered with is refused with API Gateway's exact response
// (SIG-20..SIG-31); authorization follows identity and resource policies (RP-06 Tables A and B).
import {
  ALICE,
  BOB,
  CAROL,
  DAVE,
  NOW,
  startIamApp,
  type Platform,
  type RunningApp,
} from './iam-test-app';
import { send } from './send';
import { sha256Hex, sig22Parts } from './sig22';
import {
  presignWithSmithy,
  signWithAws4,
  signWithSmithy,
  type RequestToSign,
  type SignedRequest,
  type TestCredentials,
} from './sign-request';

const MISMATCH_PREFIX =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MASKED = 'arn:aws:execute-api:us-east-1:********3333:petstore/prod';

function expectError(
  res: { status: number; headers: Record<string, string>; body: unknown },
  status: number,
  errorType: string,
): void {
  expect({ status: res.status, errorType: res.headers['x-amzn-errortype'] }).toEqual({
    status,
    errorType,
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

describe.each<Platform>(['express', 'fastify'])('@IamAuth() on %s', (platform) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startIamApp(platform);
  });
  afterAll(async () => {
    await running.close();
  });

  const base = (over: Partial<RequestToSign> = {}): RequestToSign => ({
    method: 'GET',
    host: running.host,
    path: '/pets',
    query: { limit: '5', sort: 'asc' },
    headers: { 'x-custom': 'kept  as   sent' },
    date: NOW,
    ...over,
  });
  const post = (over: Partial<RequestToSign> = {}): RequestToSign =>
    base({
      method: 'POST',
      query: undefined,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Rex', kind: 'dog' }),
      ...over,
    });

  describe('accepts real signers', () => {
    it('@smithy/signature-v4, header form, GET with query; handler reads $context.identity', async () => {
      const res = await send(running.url, await signWithSmithy(base(), ALICE));
      expect(res.status).toBe(200);
      expect(res.body.authorizationHeaderSeen).toBe(false); // PIPE-09
      expect(res.body.auth).toEqual({
        type: 'AWS_IAM',
        identity: {
          accountId: '111122223333',
          caller: 'AIDAALICEEXAMPLE',
          user: 'AIDAALICEEXAMPLE',
          userArn: 'arn:aws:iam::111122223333:user/alice',
          accessKey: ALICE.accessKeyId,
          principalOrgId: null,
          sourceIp: '127.0.0.1',
          userAgent: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
        },
      });
    });

    it('@smithy/signature-v4, POST with a JSON body (x-amz-content-sha256 signed)', async () => {
      const res = await send(running.url, await signWithSmithy(post(), ALICE));
      expect(res.status).toBe(201);
      expect(res.body.created).toEqual({ name: 'Rex', kind: 'dog' });
    });

    it('aws4, GET with query', async () => {
      const res = await send(running.url, signWithAws4(base(), ALICE));
      expect(res.status).toBe(200);
    });

    it('aws4, POST with a JSON body (the body is hashed by the server)', async () => {
      const res = await send(running.url, signWithAws4(post(), ALICE));
      expect(res.status).toBe(201);
      expect(res.body.created).toEqual({ name: 'Rex', kind: 'dog' });
    });

    it('presigned URL (query form, SIG-03)', async () => {
      const res = await send(running.url, await presignWithSmithy(base({ headers: {} }), ALICE));
      expect(res.status).toBe(200);
    });

    it('temporary credentials: role session with a signed session token (SIG-09)', async () => {
      const res = await send(running.url, await signWithSmithy(base(), BOB));
      expect(res.status).toBe(200);
      expect(res.body.auth.identity).toMatchObject({
        userArn: 'arn:aws:sts::111122223333:assumed-role/reader/bob-session',
        caller: 'reader:bob-session',
      });
      const viaAws4 = await send(running.url, signWithAws4(base(), BOB));
      expect(viaAws4.status).toBe(200);
    });

    it('encoded path segments are double-encoded like the SDKs (SIG-06)', async () => {
      const res = await send(
        running.url,
        await signWithSmithy(base({ path: '/pets/a%3Db%40c', query: undefined }), ALICE),
      );
      expect(res.status).toBe(200);
      expect(res.body.id).toBe('a=b@c');
    });

    it('a raw + in the query is a space, as API Gateway canonicalizes it; a literal plus is %2B', async () => {
      // Signed for the value "a b" (canonical q=a%20b), sent form-encoded as q=a+b.
      const spaced = await signWithSmithy(base({ query: { q: 'a b' } }), ALICE);
      expect(spaced.url).toContain('q=a%20b');
      const asPlus = await send(running.url, {
        ...spaced,
        url: spaced.url.replace('q=a%20b', 'q=a+b'),
      });
      expect(asPlus.status).toBe(200);
      // Signed for a literal plus (canonical q=a%2Bb): accepted as %2B, refused as a raw +.
      const plus = await signWithSmithy(base({ query: { q: 'a+b' } }), ALICE);
      expect(plus.url).toContain('q=a%2Bb');
      expect((await send(running.url, plus)).status).toBe(200);
      const raw = await send(running.url, { ...plus, url: plus.url.replace('q=a%2Bb', 'q=a+b') });
      expect(raw.status).toBe(403);
      expect(raw.body.message).toContain('\n/pets\nq=a%20b\n');
    });
  });

  describe('refuses a tampered component (one at a time)', () => {
    const tamper = async (
      sign: () => Promise<SignedRequest>,
      change: (s: SignedRequest) => SignedRequest,
    ) => send(running.url, change(await sign()));
    const mismatch = (res: {
      status: number;
      headers: Record<string, string>;
      body: { message: string };
    }) => {
      expectError(res, 403, 'InvalidSignatureException');
      expect(res.body.message.startsWith(MISMATCH_PREFIX)).toBe(true);
      expect(res.body.message).toContain('The Canonical String for this request should have been');
    };
    const smithyGet = () => signWithSmithy(base(), ALICE);
    const smithyPost = () => signWithSmithy(post(), ALICE);

    it('method', async () => {
      mismatch(await tamper(smithyGet, (s) => ({ ...s, method: 'POST', url: '/pets' })));
    });
    it('path', async () => {
      const signed = await signWithSmithy(base({ path: '/pets/1', query: undefined }), ALICE);
      mismatch(await send(running.url, { ...signed, url: '/pets/2' }));
    });
    it.each([
      ['a query value', '/pets?limit=6&sort=asc'],
      ['a dropped query parameter', '/pets?limit=5'],
      ['an added query parameter', '/pets?limit=5&sort=asc&admin=true'],
      ['a query name', '/pets?Limit=5&sort=asc'],
      // Header form: an appended signature-named parameter is ordinary and unsigned (review).
      ['an added X-Amz-Signature parameter', '/pets?limit=5&sort=asc&X-Amz-Signature=0'],
      ['an added x-amz-signature parameter', '/pets?limit=5&sort=asc&x-amz-signature=0'],
    ])('%s', async (_name, url) => {
      mismatch(await tamper(smithyGet, (s) => ({ ...s, url })));
    });
    it.each(['x-custom', 'x-amz-date', 'content-type'])('signed header %s', async (name) => {
      const sign = name === 'content-type' ? smithyPost : smithyGet;
      const res = await tamper(sign, (s) => ({
        ...s,
        headers: {
          ...s.headers,
          [name]:
            name === 'x-amz-date'
              ? '20260301T100001Z'
              : name === 'content-type'
                ? 'application/json; charset=utf-8'
                : 'changed',
        },
      }));
      mismatch(res);
    });
    it('host header', async () => {
      mismatch(
        await tamper(smithyGet, (s) => ({
          ...s,
          headers: { ...s.headers, host: 'evil.example.com' },
        })),
      );
    });
    // execute-api computes the payload hash from the body it received (SIG-07); x-amz-content-sha256
    // is an ordinary signed header there, so a changed body is a signature mismatch (SIG-22), not
    // S3's "The provided 'x-amz-content-sha256' header does not match what was computed.".
    it('body changed after signing: SIG-22, the canonical request ends with the received body’s hash', async () => {
      const signed = await smithyPost();
      const body = '{"name":"Rex","kind":"cat"}';
      const res = await send(running.url, { ...signed, body });
      mismatch(res);
      const sent = signed.headers['x-amz-content-sha256'] as string;
      expect(sent).toBe(sha256Hex(signed.body as string));
      const { canonicalRequest, stringToSign } = sig22Parts(res.body.message);
      expect(canonicalRequest).toBe(
        [
          'POST',
          '/pets',
          '',
          'content-type:application/json',
          `host:${running.host}`,
          `x-amz-content-sha256:${sent}`,
          'x-amz-date:20260301T100000Z',
          '',
          'content-type;host;x-amz-content-sha256;x-amz-date',
          sha256Hex(body),
        ].join('\n'),
      );
      expect(stringToSign).toBe(
        `AWS4-HMAC-SHA256\n20260301T100000Z\n20260301/us-east-1/execute-api/aws4_request\n${sha256Hex(canonicalRequest)}`,
      );
    });
    it('signed header x-amz-content-sha256 changed (body unchanged): SIG-22 showing the header sent', async () => {
      const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
      const signed = await smithyPost();
      const res = await send(running.url, {
        ...signed,
        headers: { ...signed.headers, 'x-amz-content-sha256': empty },
      });
      mismatch(res);
      const { canonicalRequest } = sig22Parts(res.body.message);
      expect(canonicalRequest).toContain(`\nx-amz-content-sha256:${empty}\n`);
      expect(canonicalRequest.split('\n').at(-1)).toBe(sha256Hex(signed.body as string));
    });
    it('signed with UNSIGNED-PAYLOAD: the body is hashed all the same, SIG-22 (Q-SIG-2)', async () => {
      const signed = await signWithSmithy(
        post({
          headers: {
            'content-type': 'application/json',
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          },
        }),
        ALICE,
      );
      const res = await send(running.url, signed);
      mismatch(res);
      expect(sig22Parts(res.body.message).canonicalRequest.split('\n').at(-1)).toBe(
        sha256Hex(signed.body as string),
      );
    });
    it('body signed by aws4 (hashed by the server)', async () => {
      const signed = signWithAws4(post(), ALICE);
      const body = '{"name":"Rex","kind":"cow"}'; // same length, so Content-Length still matches
      const res = await send(running.url, { ...signed, body });
      mismatch(res);
      expect(sig22Parts(res.body.message).canonicalRequest.split('\n').at(-1)).toBe(
        sha256Hex(body),
      );
    });
    it('body signed by aws4 with its own X-Amz-Content-Sha256, then changed: SIG-22', async () => {
      const original = JSON.stringify({ name: 'Rex', kind: 'dog' });
      const signed = signWithAws4(
        post({
          headers: {
            'content-type': 'application/json',
            'x-amz-content-sha256': sha256Hex(original),
          },
        }),
        ALICE,
      );
      // aws4 signs the header and takes its value as the payload hash.
      expect((await send(running.url, signed)).status).toBe(201);
      const body = '{"name":"Rex","kind":"cow"}';
      const res = await send(running.url, { ...signed, body });
      mismatch(res);
      const { canonicalRequest } = sig22Parts(res.body.message);
      expect(canonicalRequest).toContain(`\nx-amz-content-sha256:${sha256Hex(original)}\n`);
      expect(canonicalRequest.split('\n').at(-1)).toBe(sha256Hex(body));
    });
    it('date outside the 5-minute window (SIG-23)', async () => {
      const res = await send(
        running.url,
        await signWithSmithy(base({ date: new Date(NOW.getTime() - 5 * 60_000 - 1000) }), ALICE),
      );
      expectError(res, 403, 'InvalidSignatureException');
      expect(res.body).toEqual({
        message:
          'Signature expired: 20260301T095459Z is now earlier than 20260301T095500Z (20260301T100000Z - 5 min.)',
      });
    });
    it('date in the future (SIG-24)', async () => {
      const res = await send(
        running.url,
        await signWithSmithy(base({ date: new Date(NOW.getTime() + 5 * 60_000 + 1000) }), ALICE),
      );
      expectError(res, 403, 'InvalidSignatureException');
      expect(res.body).toEqual({
        message:
          'Signature not yet current: 20260301T100501Z is still later than 20260301T100500Z (20260301T100000Z + 5 min.)',
      });
    });
    it('region (SIG-27)', async () => {
      const res = await send(
        running.url,
        await signWithSmithy(base({ region: 'eu-west-1' }), ALICE),
      );
      expectError(res, 403, 'InvalidSignatureException');
      expect(res.body).toEqual({
        message: "Credential should be scoped to a valid Region, not 'eu-west-1'. ",
      });
    });
    it('service (SIG-27)', async () => {
      const res = await send(running.url, await signWithSmithy(base({ service: 'lambda' }), ALICE));
      expectError(res, 403, 'InvalidSignatureException');
      expect(res.body).toEqual({
        message: "Credential should be scoped to correct service: 'execute-api'. ",
      });
    });
    it('access key (SIG-25)', async () => {
      const res = await send(
        running.url,
        await signWithSmithy(base(), { ...ALICE, accessKeyId: 'AKIAUNKNOWN000000001' }),
      );
      expectError(res, 403, 'AccessDeniedException');
      expect(res.body).toEqual({
        message: 'The security token included in the request is invalid.',
      });
    });
    it('secret (SIG-22)', async () => {
      mismatch(
        await send(
          running.url,
          await signWithSmithy(base(), { ...ALICE, secretAccessKey: 'wrong-secret-0000000' }),
        ),
      );
    });
    it('session token: wrong, missing, or sent with a long-term key (SIG-25)', async () => {
      for (const creds of [
        { ...BOB, sessionToken: 'FwoGZXIvYXdzEBob/other+token==' },
        { accessKeyId: BOB.accessKeyId, secretAccessKey: BOB.secretAccessKey },
        { ...ALICE, sessionToken: 'unexpected' },
      ] as TestCredentials[]) {
        const res = await send(running.url, await signWithSmithy(base(), creds));
        expectError(res, 403, 'AccessDeniedException');
        expect(res.body).toEqual({
          message: 'The security token included in the request is invalid.',
        });
      }
    });
    it('session token swapped after signing', async () => {
      const res = await tamper(
        () => signWithSmithy(base(), BOB),
        (s) => ({ ...s, headers: { ...s.headers, 'x-amz-security-token': 'swapped' } }),
      );
      expectError(res, 403, 'AccessDeniedException');
    });
    it('signature itself', async () => {
      mismatch(
        await tamper(smithyGet, (s) => ({
          ...s,
          headers: {
            ...s.headers,
            authorization: s.headers.authorization!.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
          },
        })),
      );
    });
    it('presigned query parameter', async () => {
      const signed = await presignWithSmithy(base({ headers: {} }), ALICE);
      mismatch(
        await send(running.url, { ...signed, url: signed.url.replace('limit=5', 'limit=50') }),
      );
    });
    it('presigned URL past X-Amz-Expires', async () => {
      const signed = await presignWithSmithy(
        base({ headers: {}, date: new Date(NOW.getTime() - 120_000) }),
        ALICE,
        60,
      );
      const res = await send(running.url, signed);
      expectError(res, 403, 'InvalidSignatureException');
      expect(res.body.message).toMatch(/^Signature expired: 20260301T095800Z is now earlier than/);
    });
  });

  describe('errors exactly as API Gateway', () => {
    it('no signature: 403 Missing Authentication Token (SIG-20)', async () => {
      const res = await send(running.url, { method: 'GET', url: '/pets', headers: {} });
      expectError(res, 403, 'MissingAuthenticationTokenException');
      expect(res.text).toBe('{"message":"Missing Authentication Token"}');
    });
    it('a bearer token: IncompleteSignatureException, raw value redacted by default (SIG-21)', async () => {
      const res = await send(running.url, {
        method: 'GET',
        url: '/pets',
        headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc' },
      });
      expectError(res, 403, 'IncompleteSignatureException');
      expect(res.body).toEqual({
        message:
          "'[redacted]' not a valid key=value pair (missing equal-sign) in Authorization header: '[redacted]'.",
      });
    });
    it('a bare token: the SIG-21 list of missing elements', async () => {
      const res = await send(running.url, {
        method: 'GET',
        url: '/pets',
        headers: { authorization: 'eyJhbGciOiJIUzI1NiJ9' },
      });
      expectError(res, 403, 'IncompleteSignatureException');
      expect(res.body).toEqual({
        message:
          "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=[redacted]",
      });
    });
    it('no identity policy allows: SIG-28 with the masked account and capital Message', async () => {
      const res = await send(running.url, await signWithSmithy(base(), DAVE));
      expectError(res, 403, 'AccessDeniedException');
      expect(res.text).toBe(
        JSON.stringify({
          Message: `User: arn:aws:iam::111122223333:user/dave is not authorized to perform: execute-api:Invoke on resource: ${MASKED}/GET/pets because no identity-based policy allows the execute-api:Invoke action`,
        }),
      );
    });
    it('explicit deny in the resource policy: SIG-29', async () => {
      const res = await send(
        running.url,
        await signWithSmithy(base({ path: '/forbidden', query: undefined }), ALICE),
      );
      expectError(res, 403, 'AccessDeniedException');
      expect(res.body).toEqual({
        Message: `User: arn:aws:iam::111122223333:user/alice is not authorized to perform: execute-api:Invoke on resource: ${MASKED}/GET/forbidden with an explicit deny in a resource-based policy`,
      });
    });
    it('role session limited to GET is refused on POST (identity policy)', async () => {
      const res = await send(running.url, await signWithSmithy(post(), BOB));
      expectError(res, 403, 'AccessDeniedException');
      expect(res.body.Message).toBe(
        `User: arn:aws:sts::111122223333:assumed-role/reader/bob-session is not authorized to perform: execute-api:Invoke on resource: ${MASKED}/POST/pets because no identity-based policy allows the execute-api:Invoke action`,
      );
    });
    it('cross-account caller: allowed only where the resource policy also allows (RP-06 Table B)', async () => {
      expect((await send(running.url, await signWithSmithy(base(), CAROL))).status).toBe(200);
      const res = await send(running.url, await signWithSmithy(post(), CAROL));
      expectError(res, 403, 'AccessDeniedException');
      expect(res.body.Message).toBe(
        `User: arn:aws:iam::444455556666:user/carol is not authorized to perform: execute-api:Invoke on resource: ${MASKED}/POST/pets because no resource-based policy allows the execute-api:Invoke action`,
      );
    });
  });

  describe('hostile input: refused quickly with 403, server stays up', () => {
    const hostile: Array<[string, Record<string, string>]> = [
      [
        'an oversized Authorization header',
        { authorization: `AWS4-HMAC-SHA256 Credential=${'A'.repeat(12_000)}` },
      ],
      [
        'many signed headers',
        {
          authorization: `AWS4-HMAC-SHA256 Credential=${ALICE.accessKeyId}/20260301/us-east-1/execute-api/aws4_request, SignedHeaders=${Array.from({ length: 1500 }, (_, i) => `h${i}`).join(';')};host, Signature=${'0'.repeat(64)}`,
          'x-amz-date': '20260301T100000Z',
        },
      ],
      [
        'a garbage date',
        {
          authorization: `AWS4-HMAC-SHA256 Credential=${ALICE.accessKeyId}/20260301/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
          'x-amz-date': '2026-03-01 lunchtime',
        },
      ],
      [
        'an impossible date',
        {
          authorization: `AWS4-HMAC-SHA256 Credential=${ALICE.accessKeyId}/20261399/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
          'x-amz-date': '20261399T256199Z',
        },
      ],
      [
        'a malformed credential',
        {
          authorization: 'AWS4-HMAC-SHA256 Credential=/, SignedHeaders=, Signature=',
          'x-amz-date': '20260301T100000Z',
        },
      ],
      ['commas and equals only', { authorization: 'AWS4-HMAC-SHA256 ,,,,=,=,==,' }],
      [
        'SigV4a',
        {
          authorization: `AWS4-ECDSA-P256-SHA256 Credential=${ALICE.accessKeyId}/20260301/execute-api/aws4_request, SignedHeaders=host, Signature=00`,
          'x-amz-date': '20260301T100000Z',
        },
      ],
      [
        'a non-hex signature',
        {
          authorization: `AWS4-HMAC-SHA256 Credential=${ALICE.accessKeyId}/20260301/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'z'.repeat(64)}`,
          'x-amz-date': '20260301T100000Z',
        },
      ],
    ];
    it.each(hostile)('%s', async (_name, headers) => {
      const res = await send(running.url, { method: 'GET', url: '/pets', headers });
      expect([403, 431]).toContain(res.status);
      if (res.status === 403) expect(res.headers['x-amzn-errortype']).toMatch(/Exception$/);
      expect(res.text).not.toMatch(/secret-key|stack|Error:|\bat /);
      const health = await send(running.url, { method: 'GET', url: '/health', headers: {} });
      expect(health.status).toBe(200);
    });
    it('a presigned URL with garbage parameters', async () => {
      const res = await send(running.url, {
        method: 'GET',
        url: '/pets?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%E0%A4%A&X-Amz-Date=x&X-Amz-SignedHeaders=host&X-Amz-Signature=1',
        headers: {},
      });
      expectError(res, 403, 'IncompleteSignatureException');
    });
    it('both header and query authentication', async () => {
      const signed = await signWithSmithy(base(), ALICE);
      const res = await send(running.url, {
        ...signed,
        url: `${signed.url}&X-Amz-Algorithm=AWS4-HMAC-SHA256`,
      });
      expectError(res, 403, 'IncompleteSignatureException');
    });
  });
});
