// A local STS stand-in for the always-run identity-proof tier. It verifies SigV4 for real (by
// re-signing what it received with @smithy/signature-v4 and a test key table), so a proof signed
// for another audience, host or body is refused as STS would refuse it; and it can misbehave on
// demand (redirects, HTML, DOCTYPE, two results, an answer nested in an error message — the
// CVE-2020-16250 shape —, oversized or slow answers, 5xx, throttling).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface StsKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  arn: string;
  userId: string;
  account: string;
}

export type StsBehaviour =
  | 'honest'
  | 'redirect'
  | 'html'
  | 'json'
  | 'doctype'
  | 'doctype-valid'
  | 'entity'
  | 'entity-in-metadata'
  | 'xml-as-html'
  | 'two-results'
  | 'nested-in-error'
  | 'oversize'
  | 'slow'
  | '500'
  | 'throttling'
  | 'expired-token'
  | 'account-mismatch'
  | 'other-partition';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HostileSts {
  url: string;
  behaviour: StsBehaviour;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

const XML = (arn: string, userId: string, account: string): string =>
  `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${arn}</Arn>
    <UserId>${userId}</UserId>
    <Account>${account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

const error = (status: number, code: string, message: string): [number, string, string] => [
  status,
  'text/xml',
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`,
];

/** Starts the stand-in on 127.0.0.1 (ephemeral port) with `keys` as the accounts it knows. */
export async function startHostileSts(keys: readonly StsKey[]): Promise<HostileSts> {
  const state: HostileSts = {
    url: '',
    behaviour: 'honest',
    received: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      state.received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      void answer(state.behaviour, req, body, keys).then(([status, type, text, extra]) => {
        if (state.behaviour === 'slow') return; // never answers: the caller's deadline must fire
        res.writeHead(status, { 'content-type': type, ...extra });
        res.end(text);
      });
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  state.url = `http://127.0.0.1:${port}`;
  const close = state.close;
  state.close = () => {
    server.closeAllConnections();
    return close();
  };
  return state;
}

async function answer(
  behaviour: StsBehaviour,
  req: IncomingMessage,
  body: string,
  keys: readonly StsKey[],
): Promise<[number, string, string, Record<string, string>?]> {
  if (behaviour === 'redirect') {
    return [302, 'text/html', '', { location: 'https://attacker.example/' }];
  }
  if (behaviour === '500') return error(500, 'InternalFailure', 'oops');
  if (behaviour === 'throttling') return error(400, 'Throttling', 'Rate exceeded');
  const verdict = await verify(req, body, keys);
  if (typeof verdict === 'string') return error(403, verdict, 'refused');
  const key = verdict;
  switch (behaviour) {
    case 'honest':
      return [200, 'text/xml', XML(key.arn, key.userId, key.account)];
    case 'expired-token':
      return error(400, 'ExpiredToken', 'The security token included in the request is expired');
    case 'html':
      return [
        200,
        'text/html',
        `<html><body>${XML(key.arn, key.userId, key.account)}</body></html>`,
      ];
    case 'json':
      return [
        200,
        'application/json',
        JSON.stringify({
          GetCallerIdentityResponse: {
            GetCallerIdentityResult: { Arn: key.arn, UserId: key.userId, Account: key.account },
          },
        }),
      ];
    case 'doctype':
      return [
        200,
        'text/xml',
        `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "arn:aws:iam::999999999999:user/admin">]>${XML('&a;', key.userId, '999999999999')}`,
      ];
    case 'doctype-valid':
      // A harmless DOCTYPE before a valid answer: still refused (no DTD is ever expected).
      return [
        200,
        'text/xml',
        `<!DOCTYPE GetCallerIdentityResponse>${XML(key.arn, key.userId, key.account)}`,
      ];
    case 'entity-in-metadata':
      return [
        200,
        'text/xml',
        XML(key.arn, key.userId, key.account).replace('<RequestId>', '<RequestId>a&amp;b'),
      ];
    case 'xml-as-html':
      return [200, 'text/html; charset=utf-8', XML(key.arn, key.userId, key.account)];
    case 'entity':
      return [200, 'text/xml', XML(key.arn.replace('::', '::&#x31;'), key.userId, key.account)];
    case 'two-results':
      return [
        200,
        'text/xml',
        XML(key.arn, key.userId, key.account).replace(
          '</GetCallerIdentityResult>',
          '</GetCallerIdentityResult><GetCallerIdentityResult><Arn>arn:aws:iam::999999999999:user/admin</Arn><UserId>AIDAADMIN</UserId><Account>999999999999</Account></GetCallerIdentityResult>',
        ),
      ];
    case 'nested-in-error':
      // CVE-2020-16250: another action reflected attacker text holding a forged answer.
      return [
        200,
        'text/xml',
        `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${XML('arn:aws:iam::999999999999:user/admin', 'AIDAADMIN', '999999999999')}</Message></Error></ErrorResponse>`,
      ];
    case 'oversize':
      return [200, 'text/xml', XML(key.arn, key.userId, key.account) + ' '.repeat(70_000)];
    case 'slow':
      return [200, 'text/xml', ''];
    case 'account-mismatch':
      return [200, 'text/xml', XML(key.arn, key.userId, '999999999999')];
    case 'other-partition':
      return [
        200,
        'text/xml',
        XML(key.arn.replace('arn:aws:', 'arn:aws-cn:'), key.userId, key.account),
      ];
  }
}

/** The key that signed the request, or STS's error code. */
async function verify(
  req: IncomingMessage,
  body: string,
  keys: readonly StsKey[],
): Promise<StsKey | string> {
  const authorization = req.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (match === null) return 'IncompleteSignature';
  const [, accessKeyId, , region, signedHeaders, signature] = match as unknown as string[];
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (key === undefined) return 'InvalidClientTokenId';
  const token = req.headers['x-amz-security-token'];
  // A test stand-in: plain comparisons are fine here.
  // eslint-disable-next-line security/detect-possible-timing-attacks
  if (token !== key.sessionToken) return 'InvalidClientTokenId';
  const names = (signedHeaders as string).split(';');
  const headers: Record<string, string> = {};
  for (const name of names) {
    if (name === 'x-amz-date' || name === 'x-amz-security-token' || name === 'x-amz-content-sha256')
      continue;
    const value = req.headers[name];
    headers[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  const date = String(req.headers['x-amz-date'] ?? '');
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: 'sts',
    region: region as string,
    credentials: key,
    sha256: Sha256,
    applyChecksum: names.includes('x-amz-content-sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: req.method ?? 'POST',
      hostname: headers.host,
      path: req.url ?? '/',
      headers,
      body,
    }),
    { signingDate },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return expected === signature ? key : 'SignatureDoesNotMatch';
}
