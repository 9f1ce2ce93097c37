// The AWS_IAM authenticator on the core request shape: requests signed by @smithy/signature-v4 and
// aws4, clock boundaries (SIG-10/23/24), options, payload rules, context keys seen by policies.
import {
  buildQuery,
  presignWithSmithy,
  signWithAws4,
  signWithSmithy,
  type RequestToSign,
  type SignedRequest,
  type TestCredentials,
} from '../../../../../test/sigv4/sign-request';
import type { SharedServices } from '../authenticator';
import { fixedClock } from '../clock';
import { AuthError, ConfigError } from '../errors';
import type { HttpRequest } from '../http-request';
import { compilePolicy } from '../iam';
import { silentLogger } from '../logger';
import type { CredentialDefinition } from './credential-provider';
import { IamAuthenticator, type IamAuthOptions } from './iam-authenticator';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const ALICE: TestCredentials = {
  accessKeyId: 'AKIAALICE00000000001',
  secretAccessKey: 'alice-secret-key-000000000',
};
const TEMP: TestCredentials = {
  accessKeyId: 'ASIATEMP000000000001',
  secretAccessKey: 'temp-secret-key-0000000000',
  sessionToken: 'token/with+chars==',
};

const definitions = (extra: Partial<CredentialDefinition> = {}): CredentialDefinition[] => [
  {
    ...ALICE,
    principal: { arn: 'arn:aws:iam::111122223333:user/alice', tags: { team: 'pets' } },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/*',
          },
          {
            Sid: 'OnlyPetsTeamOnTeamRoute',
            Effect: 'Deny',
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:*:*:*/GET/team',
            Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'ops' } },
          },
          {
            Sid: 'OnlyTls',
            Effect: 'Deny',
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:*:*:*/GET/tls',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'OnlyLocal',
            Effect: 'Deny',
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:*:*:*/GET/local',
            Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
          },
          {
            Sid: 'OnlyBob',
            Effect: 'Deny',
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:*:*:*/GET/bob',
            Condition: { StringNotEquals: { 'aws:username': 'bob' } },
          },
        ],
      },
    ],
    ...extra,
  },
  {
    ...(TEMP as Required<TestCredentials>),
    expiration: NOW + 60_000,
    issuedAt: '2026-03-01T09:00:00Z',
    principal: {
      arn: 'arn:aws:sts::111122223333:assumed-role/reader/s1',
      userId: 'AROAEXAMPLE:s1',
    },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:*', Resource: '*' },
          {
            Sid: 'FreshSessionsOnly',
            Effect: 'Deny',
            Action: 'execute-api:*',
            Resource: 'arn:aws:execute-api:*:*:*/GET/fresh',
            Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-03-01T09:30:00Z' } },
          },
        ],
      },
    ],
  },
];

function authenticator(
  options: Partial<IamAuthOptions> = {},
  clock = fixedClock(NOW),
): IamAuthenticator {
  const shared: SharedServices = { api: API, clock, logger: silentLogger };
  return new IamAuthenticator({ credentials: definitions(), ...options }, shared);
}

function toHttpRequest(signed: SignedRequest, extra: Partial<HttpRequest> = {}): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const q = signed.url.indexOf('?');
  return {
    method: signed.method,
    path: q === -1 ? signed.url : signed.url.slice(0, q),
    rawQuery: q === -1 ? '' : signed.url.slice(q + 1),
    headers,
    sourceIp: '127.0.0.1',
    secure: false,
    body: signed.body === undefined ? undefined : Buffer.from(signed.body),
    ...extra,
  };
}

const get = (over: Partial<RequestToSign> = {}): RequestToSign => ({
  method: 'GET',
  host: 'api.example.com',
  path: '/pets',
  date: new Date(NOW),
  ...over,
});

/** The refusal of an authorization, thrown synchronously or rejected. */
async function refusal(authorize: Promise<unknown> | (() => unknown)): Promise<AuthError> {
  try {
    await (typeof authorize === 'function' ? authorize() : authorize);
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('IamAuthenticator', () => {
  it('accepts smithy and aws4 signatures and returns $context.identity', async () => {
    const auth = authenticator();
    for (const signed of [await signWithSmithy(get(), ALICE), signWithAws4(get(), ALICE)]) {
      const context = await auth.authorize(toHttpRequest(signed), {});
      expect(context).toMatchObject({
        type: 'AWS_IAM',
        identity: {
          userArn: 'arn:aws:iam::111122223333:user/alice',
          user: 'alice',
          accessKey: ALICE.accessKeyId,
          accountId: '111122223333',
        },
      });
    }
  });

  describe('clock skew boundaries (SIG-10)', () => {
    it.each([
      ['exactly 5 min old', -300_000, undefined],
      ['5 min + 1 s old', -301_000, 'SIGV4_EXPIRED'],
      ['exactly 5 min ahead', 300_000, undefined],
      ['5 min + 1 s ahead', 301_000, 'SIGV4_NOT_YET_CURRENT'],
    ])('%s', async (_name, offset, code) => {
      const signed = await signWithSmithy(get({ date: new Date(NOW + offset) }), ALICE);
      const result = async () => authenticator().authorize(toHttpRequest(signed), {});
      if (code === undefined) await expect(result).resolves.toMatchObject({ type: 'AWS_IAM' });
      else expect((await refusal(result)).code).toBe(code);
    });
    it('clockSkewSeconds widens the window and names it in the message', async () => {
      const signed = await signWithSmithy(get({ date: new Date(NOW - 11 * 60_000) }), ALICE);
      const error = await refusal(() =>
        authenticator({ clockSkewSeconds: 600 }).authorize(toHttpRequest(signed), {}),
      );
      expect(error.clientMessage).toBe(
        'Signature expired: 20260301T094900Z is now earlier than 20260301T095000Z (20260301T100000Z - 10 min.)',
      );
    });
  });

  it('presigned expiry: valid until X-Amz-Date + X-Amz-Expires, refused 1 s later', async () => {
    const clock = fixedClock(NOW);
    const auth = authenticator({}, clock);
    const signed = await presignWithSmithy(get(), ALICE, 900);
    clock.set(NOW + 900_000);
    await expect(async () => auth.authorize(toHttpRequest(signed), {})).resolves.toBeDefined();
    clock.set(NOW + 901_000);
    const error = await refusal(() => auth.authorize(toHttpRequest(signed), {}));
    expect(error.clientMessage).toBe(
      'Signature expired: 20260301T100000Z is now earlier than 20260301T100001Z (20260301T101501Z - 900 sec.)',
    );
  });

  it('presigned X-Amz-Expires above maxPresignExpiresSeconds is refused', async () => {
    const signed = await presignWithSmithy(get(), ALICE, 3600);
    const error = await refusal(() =>
      authenticator({ maxPresignExpiresSeconds: 600 }).authorize(toHttpRequest(signed), {}),
    );
    expect(error.errorType).toBe('IncompleteSignatureException');
  });

  it('SIG-22 echoes the canonical request and string to sign, or not (echoCanonicalRequest: false)', async () => {
    const signed = await signWithSmithy(get(), {
      ...ALICE,
      secretAccessKey: 'not-the-secret-0000000',
    });
    const on = await refusal(() => authenticator().authorize(toHttpRequest(signed), {}));
    expect(on.clientMessage).toContain(
      "The Canonical String for this request should have been\n'GET\n/pets\n\nhost:api.example.com\n",
    );
    expect(on.clientMessage).toContain(
      "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260301T100000Z\n20260301/us-east-1/execute-api/aws4_request\n",
    );
    expect(on.clientMessage).not.toContain(ALICE.secretAccessKey);
    const off = await refusal(() =>
      authenticator({ echoCanonicalRequest: false }).authorize(toHttpRequest(signed), {}),
    );
    expect(off.clientMessage).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });

  it('SIG-21 echoes the raw header only with echoAuthorizationHeader: true (SIG-30)', async () => {
    const request = toHttpRequest({
      method: 'GET',
      url: '/pets',
      headers: { authorization: 'Bearer abc.def' },
    });
    const error = await refusal(() =>
      authenticator({ echoAuthorizationHeader: true }).authorize(request, {}),
    );
    expect(error.clientMessage).toBe(
      "'abc.def' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def'.",
    );
  });

  describe('payload hash', () => {
    const post = (): RequestToSign =>
      get({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    it('a body that was not captured and no x-amz-content-sha256: fail closed with a 500 (logged reason)', async () => {
      const signed = signWithAws4(post(), ALICE);
      const error = await refusal(() =>
        authenticator().authorize(toHttpRequest(signed, { body: undefined }), {}),
      );
      expect(error).toMatchObject({
        code: 'SIGV4_BODY_NOT_CAPTURED',
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
        category: 'infrastructure',
      });
      expect(error.reason).toMatch(/rawBody/);
    });
    it('not captured but a signed x-amz-content-sha256: refused unless trustUncapturedPayloadHash', async () => {
      const signed = await signWithSmithy(post(), ALICE);
      const request = toHttpRequest(signed, { body: undefined });
      request.headers = { ...request.headers, 'content-length': '7' };
      expect((await refusal(() => authenticator().authorize(request, {}))).code).toBe(
        'SIGV4_BODY_NOT_CAPTURED',
      );
      await expect(async () =>
        authenticator({ trustUncapturedPayloadHash: true }).authorize(request, {}),
      ).resolves.toBeDefined();
    });
    it('UNSIGNED-PAYLOAD: the body is hashed by default (a signature mismatch), taken as signed with allowUnsignedPayload (Q-SIG-2)', async () => {
      const signed = await signWithSmithy(post(), ALICE);
      // Re-sign with the header set so the signer signs UNSIGNED-PAYLOAD.
      const unsigned = await signWithSmithy(
        {
          ...post(),
          headers: {
            'content-type': 'application/json',
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          },
        },
        ALICE,
      );
      expect(signed.headers['x-amz-content-sha256']).not.toBe('UNSIGNED-PAYLOAD');
      const refused = await refusal(() => authenticator().authorize(toHttpRequest(unsigned), {}));
      expect(refused.code).toBe('SIGV4_SIGNATURE_MISMATCH');
      expect(refused.reason).toMatch(
        /UNSIGNED-PAYLOAD, which allowUnsignedPayload does not accept/,
      );
      await expect(async () =>
        authenticator({ allowUnsignedPayload: true }).authorize(toHttpRequest(unsigned), {}),
      ).resolves.toBeDefined();
    });
    it('not captured and signed as UNSIGNED-PAYLOAD: never trusted as a hash unless allowUnsignedPayload', async () => {
      const unsigned = await signWithSmithy(
        {
          ...post(),
          headers: {
            'content-type': 'application/json',
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          },
        },
        ALICE,
      );
      const request = toHttpRequest(unsigned, { body: undefined });
      request.headers = { ...request.headers, 'content-length': '7' };
      expect(
        (
          await refusal(() =>
            authenticator({ trustUncapturedPayloadHash: true }).authorize(request, {}),
          )
        ).code,
      ).toBe('SIGV4_BODY_NOT_CAPTURED');
    });
    it('a body changed after signing is a signature mismatch (SIG-22), the log saying why', async () => {
      const signed = await signWithSmithy(post(), ALICE);
      const refused = await refusal(() =>
        authenticator().authorize(toHttpRequest({ ...signed, body: '{"a":2}' }), {}),
      );
      expect(refused.code).toBe('SIGV4_SIGNATURE_MISMATCH');
      expect(refused.clientMessage).toMatch(/^The request signature we calculated does not match/);
      expect(refused.reason).toMatch(/x-amz-content-sha256 is not the received body's SHA-256/);
    });
    it('GET without a captured body hashes the empty payload', async () => {
      const signed = signWithAws4(get(), ALICE);
      await expect(async () =>
        authenticator().authorize(toHttpRequest(signed, { body: undefined }), {}),
      ).resolves.toBeDefined();
    });
  });

  describe('signed headers', () => {
    it('host must be signed', async () => {
      const signed = await signWithSmithy(get(), ALICE);
      const authz = signed.headers.authorization!.replace('host;', '');
      const error = await refusal(() =>
        authenticator().authorize(
          toHttpRequest({ ...signed, headers: { ...signed.headers, authorization: authz } }),
          {},
        ),
      );
      expect(error.code).toBe('SIGV4_HOST_NOT_SIGNED');
    });
    it('x-amz-* headers must be signed (requireSignedAmzHeaders)', async () => {
      const signed = await signWithSmithy(get(), ALICE);
      const request = toHttpRequest({
        ...signed,
        headers: { ...signed.headers, 'x-amz-target': 'x' },
      });
      expect((await refusal(() => authenticator().authorize(request, {}))).clientMessage).toBe(
        'There were headers present in the request which were not signed: x-amz-target',
      );
      await expect(async () =>
        authenticator({ requireSignedAmzHeaders: false }).authorize(request, {}),
      ).resolves.toBeDefined();
    });
  });

  describe('temporary credentials', () => {
    it('a token added after signing is refused unless allowUnsignedSessionToken (Q-SIG-5)', async () => {
      const { sessionToken, ...longTerm } = TEMP;
      const signed = await signWithSmithy(get(), longTerm);
      const request = toHttpRequest({
        ...signed,
        headers: { ...signed.headers, 'x-amz-security-token': sessionToken! },
      });
      expect((await refusal(() => authenticator().authorize(request, {}))).code).toBe(
        'SIGV4_UNSIGNED_HEADERS',
      );
      await expect(async () =>
        authenticator({ allowUnsignedSessionToken: true }).authorize(request, {}),
      ).resolves.toBeDefined();
    });
    it('presigned with X-Amz-Security-Token', async () => {
      const signed = await presignWithSmithy(get(), TEMP);
      expect(signed.url).toContain('X-Amz-Security-Token=');
      await expect(async () =>
        authenticator().authorize(toHttpRequest(signed), {}),
      ).resolves.toMatchObject({
        identity: { caller: 'AROAEXAMPLE:s1' },
      });
    });
    it('aws:TokenIssueTime comes from issuedAt', async () => {
      const signed = await signWithSmithy(get({ path: '/fresh' }), TEMP);
      expect((await refusal(() => authenticator().authorize(toHttpRequest(signed), {}))).code).toBe(
        'IAM_EXPLICIT_DENY',
      );
      const other = await signWithSmithy(get({ path: '/stale' }), TEMP);
      await expect(async () =>
        authenticator().authorize(toHttpRequest(other), {}),
      ).resolves.toBeDefined();
    });
    it('an expired session answers EXPIRED_TOKEN (SIG-26)', async () => {
      const clock = fixedClock(NOW + 60_000);
      const signed = await signWithSmithy(get({ date: new Date(NOW + 60_000) }), TEMP);
      const error = await refusal(() =>
        authenticator({}, clock).authorize(toHttpRequest(signed), {}),
      );
      expect(error).toMatchObject({
        responseType: 'EXPIRED_TOKEN',
        clientMessage: 'The security token included in the request is expired',
      });
    });
  });

  describe('condition keys seen by policies (RP-08)', () => {
    const call = async (path: string, extra: Partial<HttpRequest> = {}) =>
      authenticator().authorize(
        toHttpRequest(await signWithSmithy(get({ path }), ALICE), extra),
        {},
      );
    it('aws:PrincipalTag/team', async () => {
      expect((await refusal(call('/team'))).code).toBe('IAM_EXPLICIT_DENY');
    });
    it('aws:SecureTransport', async () => {
      expect((await refusal(call('/tls'))).clientMessage).toMatch(
        /with an explicit deny in an identity-based policy$/,
      );
      await expect(call('/tls', { secure: true })).resolves.toBeDefined();
    });
    it('aws:SourceIp', async () => {
      expect((await refusal(call('/local'))).code).toBe('IAM_EXPLICIT_DENY');
      await expect(call('/local', { sourceIp: '10.1.2.3' })).resolves.toBeDefined();
    });
    it('aws:username', async () => {
      expect((await refusal(call('/bob'))).code).toBe('IAM_EXPLICIT_DENY');
    });
  });

  it('resource policy combination: cross-account needs both (RP-06 Table B), same account either (Table A)', async () => {
    const resourcePolicy = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:user/nobody-policy' },
            Action: 'execute-api:Invoke',
            Resource: '*',
          },
        ],
      },
      'rp',
      { kind: 'resource' },
    );
    const shared: SharedServices = {
      api: API,
      clock: fixedClock(NOW),
      logger: silentLogger,
      resourcePolicy,
    };
    const defs: CredentialDefinition[] = [
      {
        accessKeyId: 'AKIANOBODY0000000001',
        secretAccessKey: 'nobody-secret-00000000',
        principal: { arn: 'arn:aws:iam::111122223333:user/nobody-policy' },
      },
    ];
    const auth = new IamAuthenticator({ credentials: defs }, shared);
    const signed = await signWithSmithy(get(), {
      accessKeyId: 'AKIANOBODY0000000001',
      secretAccessKey: 'nobody-secret-00000000',
    });
    await expect(async () => auth.authorize(toHttpRequest(signed), {})).resolves.toBeDefined();
  });

  it('validates options, naming the field', () => {
    const shared: SharedServices = { api: API, clock: fixedClock(NOW), logger: silentLogger };
    expect(
      () => new IamAuthenticator({ credentials: {} as never, clockSkewSeconds: -1 }, shared),
    ).toThrow(ConfigError);
    try {
      new IamAuthenticator(
        { credentials: {} as never, clockSkewSeconds: -1, echoCanonicalRequest: 'yes' as never },
        shared,
      );
    } catch (error) {
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
        'iam.credentials',
        'iam.clockSkewSeconds',
        'iam.echoCanonicalRequest',
      ]);
    }
  });

  it('a rotated secret never verifies with a cached key', async () => {
    const { MemoryCredentialProvider } = await import('./memory-credential-provider');
    const provider = new MemoryCredentialProvider(definitions());
    const auth = authenticator({ credentials: provider });
    const signed = await signWithSmithy(get(), ALICE);
    await expect(async () => auth.authorize(toHttpRequest(signed), {})).resolves.toBeDefined();
    provider.replace(definitions({ secretAccessKey: 'rotated-secret-0000000000' }));
    expect((await refusal(() => auth.authorize(toHttpRequest(signed), {}))).code).toBe(
      'SIGV4_SIGNATURE_MISMATCH',
    );
  });

  it('a custom asynchronous provider (e.g. DynamoDB) works; a failing store fails closed', async () => {
    const { compileCredentials } = await import('./compile-credentials');
    const records = compileCredentials(definitions(), 'store');
    const asyncAuth = authenticator({
      credentials: { getCredential: (id: string) => Promise.resolve(records.get(id)) },
    });
    const signed = await signWithSmithy(get(), ALICE);
    await expect(async () => asyncAuth.authorize(toHttpRequest(signed), {})).resolves.toBeDefined();
    const broken = authenticator({
      credentials: { getCredential: () => Promise.reject(new Error('store down')) },
    });
    const { toAuthError } = await import('../errors');
    const error = await Promise.resolve(broken.authorize(toHttpRequest(signed), {})).then(
      () => undefined,
      (e: unknown) => toAuthError(e, 'iam'),
    );
    expect(error).toMatchObject({
      category: 'infrastructure',
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    });
  });

  describe('authorize(): the synchronous hot path', () => {
    /** What a refusal says to the client and to the logs. */
    const shape = (error: unknown) => {
      expect(error).toBeInstanceOf(AuthError);
      const e = error as AuthError;
      return [e.code, e.responseType, e.clientMessage, e.errorType, e.reason, e.category];
    };
    const thrownBy = (call: () => unknown): unknown => {
      try {
        call();
      } catch (error) {
        return error;
      }
      throw new Error('expected a synchronous refusal');
    };

    it('answers a memory-provider request without a promise, with the same context', async () => {
      const auth = authenticator();
      const request = toHttpRequest(await signWithSmithy(get(), ALICE));
      const context = auth.authorize(request, {});
      expect(context).not.toBeInstanceOf(Promise);
      expect(context).toEqual(await auth.authorize(request, {}));
    });

    it('refuses synchronously with exactly what the asynchronous path rejects with', async () => {
      const { compileCredentials } = await import('./compile-credentials');
      const records = compileCredentials(definitions(), 'store');
      const slow = { getCredential: (id: string) => Promise.resolve(records.get(id)) };
      const auth = authenticator();
      const asyncAuth = authenticator({ credentials: slow });
      const clock = fixedClock(NOW + 301_000);
      const late = authenticator({}, clock);
      const asyncLate = authenticator({ credentials: slow }, clock);
      const unknown = { accessKeyId: 'AKIAUNKNOWN000000001', secretAccessKey: 'x'.repeat(20) };
      const signed = await signWithSmithy(get(), ALICE);
      const cases: Array<[IamAuthenticator, IamAuthenticator, HttpRequest]> = [
        [auth, asyncAuth, toHttpRequest(signed, { headers: {} })],
        [auth, asyncAuth, toHttpRequest(signed, { method: 'POST' })],
        [auth, asyncAuth, toHttpRequest(await signWithSmithy(get(), unknown))],
        [
          auth,
          asyncAuth,
          toHttpRequest(await signWithSmithy(get(), { ...ALICE, secretAccessKey: 'no' })),
        ],
        [auth, asyncAuth, toHttpRequest(await signWithSmithy(get({ path: '/team' }), ALICE))],
        [auth, asyncAuth, toHttpRequest(await signWithSmithy(get({ path: '/local' }), ALICE))],
        [late, asyncLate, toHttpRequest(signed)],
      ];
      for (const [model, asyncModel, request] of cases) {
        const sync = thrownBy(() => model.authorize(request, {}));
        const async = await refusal(() => asyncModel.authorize(request, {}));
        expect(shape(sync)).toEqual(shape(async));
      }
    });

    it('with an asynchronous provider: a promise that resolves, or rejects with the same refusal', async () => {
      const { compileCredentials } = await import('./compile-credentials');
      const records = compileCredentials(definitions(), 'store');
      const auth = authenticator({
        credentials: { getCredential: (id: string) => Promise.resolve(records.get(id)) },
      });
      const allowed = auth.authorize(toHttpRequest(await signWithSmithy(get(), ALICE)), {});
      expect(allowed).toBeInstanceOf(Promise);
      await expect(allowed).resolves.toMatchObject({ identity: { accessKey: ALICE.accessKeyId } });
      const denied = toHttpRequest(await signWithSmithy(get({ path: '/team' }), ALICE));
      const syncAuth = authenticator();
      expect(shape(await refusal(() => auth.authorize(denied, {}) as Promise<unknown>))).toEqual(
        shape(thrownBy(() => syncAuth.authorize(denied, {}))),
      );
    });
  });

  describe('decisions of policies that read no condition key', () => {
    const plain = (resource: string, deny?: string): CredentialDefinition[] => [
      {
        ...ALICE,
        principal: { arn: 'arn:aws:iam::111122223333:user/alice' },
        policies: [
          {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource },
              ...(deny ? [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: deny }] : []),
            ],
          },
        ],
      },
    ];
    const arn = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';

    it('are decided per method and path, repeated or not', async () => {
      const auth = authenticator({ credentials: plain(`${arn}/GET/*`, `${arn}/GET/admin`) });
      const call = async (over: Partial<RequestToSign>) =>
        auth.authorize(toHttpRequest(await signWithSmithy(get(over), ALICE)), {});
      for (let i = 0; i < 2; i++) {
        await expect(call({})).resolves.toBeDefined();
        expect((await refusal(call({ path: '/admin' }))).code).toBe('IAM_EXPLICIT_DENY');
        expect((await refusal(call({ method: 'DELETE' }))).code).toBe('IAM_IMPLICIT_DENY');
      }
    });

    it('follow a replaced credential (new policies apply at once)', async () => {
      const { MemoryCredentialProvider } = await import('./memory-credential-provider');
      const provider = new MemoryCredentialProvider(plain(`${arn}/GET/*`));
      const auth = authenticator({ credentials: provider });
      const request = toHttpRequest(await signWithSmithy(get(), ALICE));
      expect(auth.authorize(request, {})).toBeDefined();
      provider.replace(plain(`${arn}/POST/*`));
      expect((await refusal(() => auth.authorize(request, {}))).code).toBe('IAM_IMPLICIT_DENY');
    });

    it('a policy with a condition is still evaluated against each request', async () => {
      const auth = authenticator();
      const signed = await signWithSmithy(get({ path: '/local' }), ALICE);
      expect((await refusal(() => auth.authorize(toHttpRequest(signed), {}))).code).toBe(
        'IAM_EXPLICIT_DENY',
      );
      const inside = toHttpRequest(signed, { sourceIp: '10.1.2.3' });
      await expect(async () => auth.authorize(inside, {})).resolves.toBeDefined();
      expect((await refusal(() => auth.authorize(toHttpRequest(signed), {}))).code).toBe(
        'IAM_EXPLICIT_DENY',
      );
    });
  });

  it('query helper round-trips repeated keys', () => {
    expect(buildQuery({ a: ['1', '2'], 'b c': 'd e' })).toBe('a=1&a=2&b%20c=d%20e');
  });
});
