// @IamAuth() against botocore, the SigV4 signer of the AWS CLI and boto3 (Python): a third signer
// we did not write, after @smithy/signature-v4 and aws4 (iam-auth.e2e-spec.ts). botocore signs and
// sends each request with its own HTTP session, as a Python client calling API Gateway would.
// Header form, presigned form (SigV4QueryAuth), session tokens, bodies, encoded paths and queries
// are accepted; tampering after signing and a wrong secret are refused with API Gateway's responses.
import { systemClock } from 'api-gateway-auth';
import {
  describeWithBotocore,
  sendWithBotocore,
  type BotocoreRequest,
  type BotocoreResult,
} from '../helpers/botocore';
import { ALICE, BOB, DAVE, startIamApp, type Platform, type RunningApp } from './iam-test-app';
import { sha256Hex, sig22Parts } from './sig22';

const MISMATCH_PREFIX =
  'The request signature we calculated does not match the signature you provided.';
const REGION = 'us-east-1';

describeWithBotocore('@IamAuth() with requests signed and sent by botocore', () => {
  describe.each<Platform>(['express', 'fastify'])('on %s', (platform) => {
    let running: RunningApp;
    const results = new Map<string, BotocoreResult>();
    const json = (name: string): Record<string, unknown> =>
      JSON.parse(result(name).body) as Record<string, unknown>;
    const result = (name: string): BotocoreResult => {
      const found = results.get(name);
      if (!found) throw new Error(`no result for ${name}`);
      return found;
    };

    beforeAll(async () => {
      // botocore signs with the current time, so this app checks against the real clock.
      running = await startIamApp(platform, { clock: systemClock });
      const url = running.url;
      const post = JSON.stringify({ name: 'Rex', kind: 'dog' });
      const postRequest: BotocoreRequest = {
        method: 'POST',
        url: `${url}/pets`,
        headers: { 'content-type': 'application/json' },
        body: post,
        credentials: ALICE,
        region: REGION,
      };
      const cases: Record<string, BotocoreRequest> = {
        get: {
          method: 'GET',
          url: `${url}/pets?limit=5&sort=asc`,
          credentials: ALICE,
          region: REGION,
        },
        post: postRequest,
        encodedPath: {
          method: 'GET',
          url: `${url}/pets/caf%C3%A9%20%40home%3D`,
          credentials: ALICE,
          region: REGION,
        },
        encodedQuery: {
          method: 'GET',
          url: `${url}/pets?q=hello%20world&empty=&slash=a%2Fb&tilde=~x&b=2&a=1`,
          credentials: ALICE,
          region: REGION,
        },
        sessionToken: { method: 'GET', url: `${url}/pets`, credentials: BOB, region: REGION },
        presigned: {
          method: 'GET',
          url: `${url}/pets?limit=5`,
          credentials: ALICE,
          region: REGION,
          presign: 300,
        },
        presignedSession: {
          method: 'GET',
          url: `${url}/pets`,
          credentials: BOB,
          region: REGION,
          presign: 60,
        },
        tamperedBody: {
          ...postRequest,
          after: { body: JSON.stringify({ name: 'Rex', kind: 'cat' }) },
        },
        // The caller sets X-Amz-Content-SHA256 itself: botocore signs it as an ordinary header
        // and still hashes the body into the canonical request.
        tamperedBodyWithHashHeader: {
          ...postRequest,
          headers: {
            'content-type': 'application/json',
            'X-Amz-Content-SHA256': sha256Hex(post),
          },
          after: { body: JSON.stringify({ name: 'Rex', kind: 'cat' }) },
        },
        tamperedPath: {
          method: 'GET',
          url: `${url}/pets/1`,
          credentials: ALICE,
          region: REGION,
          after: { url: `${url}/pets/2` },
        },
        wrongSecret: {
          method: 'GET',
          url: `${url}/pets`,
          credentials: { ...ALICE, secretAccessKey: `${ALICE.secretAccessKey}x` },
          region: REGION,
        },
        wrongRegion: { method: 'GET', url: `${url}/pets`, credentials: ALICE, region: 'eu-west-1' },
        noPolicy: { method: 'GET', url: `${url}/pets`, credentials: DAVE, region: REGION },
      };
      const names = Object.keys(cases);
      const out = await sendWithBotocore(names.map((name) => cases[name] as BotocoreRequest));
      names.forEach((name, i) => results.set(name, out[i] as BotocoreResult));
      // A presigned URL needs no signer to be used: any client fetches it. Change one signed
      // query parameter of botocore's URL and fetch it.
      const presignedUrl = result('presigned').url;
      const tamperedUrl = presignedUrl.replace('limit=5', 'limit=6');
      if (tamperedUrl === presignedUrl) throw new Error(`no limit=5 in ${presignedUrl}`);
      const tampered = await fetch(tamperedUrl);
      results.set('tamperedPresignedQuery', {
        status: tampered.status,
        headers: Object.fromEntries(tampered.headers),
        body: await tampered.text(),
        url: tamperedUrl,
      });
    }, 60_000);
    afterAll(async () => {
      await running.close();
    });

    it('header form, GET with a query: accepted, $context.identity is the caller', () => {
      expect(result('get').status).toBe(200);
      expect((json('get').auth as { identity: unknown }).identity).toMatchObject({
        userArn: 'arn:aws:iam::111122223333:user/alice',
        accessKey: ALICE.accessKeyId,
        accountId: '111122223333',
      });
    });

    it('POST with a JSON body (botocore hashes the body into the signature; so does the server)', () => {
      expect(result('post').status).toBe(201);
      expect(json('post').created).toEqual({ name: 'Rex', kind: 'dog' });
    });

    it('percent-encoded path segments, double-encoded by the signer (SIG-06)', () => {
      expect(result('encodedPath').status).toBe(200);
      expect(json('encodedPath').id).toBe('café @home=');
    });

    it('encoded, empty, unsorted query parameters (SIG-05)', () => {
      expect(result('encodedQuery').status).toBe(200);
    });

    it('temporary credentials: the session token header (SIG-09)', () => {
      expect(result('sessionToken').status).toBe(200);
      expect((json('sessionToken').auth as { identity: unknown }).identity).toMatchObject({
        userArn: 'arn:aws:sts::111122223333:assumed-role/reader/bob-session',
      });
    });

    it('presigned URL from SigV4QueryAuth, with and without a session token (SIG-03)', () => {
      expect(result('presigned').url).toContain('X-Amz-Signature=');
      expect(result('presigned').status).toBe(200);
      expect(result('presignedSession').url).toContain('X-Amz-Security-Token=');
      expect(result('presignedSession').status).toBe(200);
    });

    it.each(['tamperedBody', 'tamperedBodyWithHashHeader'])(
      '%s: the canonical request ends with the hash of the body received (SIG-07, SIG-22)',
      (name) => {
        const { canonicalRequest } = sig22Parts(json(name).message as string);
        expect(canonicalRequest.split('\n').at(-1)).toBe(
          sha256Hex(JSON.stringify({ name: 'Rex', kind: 'cat' })),
        );
        if (name === 'tamperedBodyWithHashHeader') {
          const signedHash = sha256Hex(JSON.stringify({ name: 'Rex', kind: 'dog' }));
          expect(canonicalRequest).toContain(`\nx-amz-content-sha256:${signedHash}\n`);
        }
      },
    );

    it.each([
      'tamperedBody',
      'tamperedBodyWithHashHeader',
      'tamperedPath',
      'tamperedPresignedQuery',
      'wrongSecret',
    ])('%s: 403 InvalidSignatureException with the mismatch message (SIG-22)', (name) => {
      const res = result(name);
      expect({ status: res.status, type: res.headers['x-amzn-errortype'] }).toEqual({
        status: 403,
        type: 'InvalidSignatureException',
      });
      expect((json(name).message as string).startsWith(MISMATCH_PREFIX)).toBe(true);
    });

    it('a credential scoped to another region: 403 InvalidSignatureException naming it', () => {
      const res = result('wrongRegion');
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect(json('wrongRegion').message).toContain("'eu-west-1'");
    });

    it('a valid signature from a caller without a policy: 403 AccessDeniedException (SIG-28)', () => {
      const res = result('noPolicy');
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(json('noPolicy').Message).toContain('arn:aws:iam::111122223333:user/dave');
    });
  });
});
