// Signing and sending the body cases (body-cases.ts) for the request-body suites on Nest and on
// plain Express, and the SIG-22 check of a body changed after signing.
import type { BotocoreRequest } from '../helpers/botocore';
import { sendRaw, type RawResponse } from '../helpers/raw-http';
import { BODY_CASES, MISMATCH_PREFIX, type BodyCase } from './body-cases';
import { ALICE, API } from './iam-test-app';
import { signWithAws4, signWithSmithy, type SignedRequest } from './sign-request';

/** Where a suite's app listens. */
export interface BodyTarget {
  host: string;
  url: string;
}

/** The case's Content-Type header, none when it has none. */
export const headersOf = (c: BodyCase): Record<string, string> =>
  c.contentType === undefined ? {} : { 'content-type': c.contentType };

/** A POST of the case's body (or `body`) to `path`, signed by @smithy/signature-v4 as ALICE. */
export function signBodyWithSmithy(
  target: BodyTarget,
  path: string,
  c: BodyCase,
  body = c.body,
): Promise<SignedRequest> {
  return signWithSmithy(
    { method: 'POST', host: target.host, path, headers: headersOf(c), body, date: new Date() },
    ALICE,
  );
}

/** The same, signed by aws4. */
export function signBodyWithAws4(
  target: BodyTarget,
  path: string,
  c: BodyCase,
  body = c.body,
): SignedRequest {
  return signWithAws4(
    { method: 'POST', host: target.host, path, headers: headersOf(c), body, date: new Date() },
    ALICE,
  );
}

/** Sends what was signed, or the same request with `body` in place of the signed one. */
export function sendSigned(
  target: BodyTarget,
  signed: SignedRequest,
  body?: Buffer,
): Promise<RawResponse> {
  return sendRaw(target.url, {
    method: signed.method,
    url: signed.url,
    headers: signed.headers,
    body: body ?? signed.body,
  });
}

/** SIG-22: a body changed after signing is a signature mismatch, whichever signer (docs/headers.md). */
export function expectSignatureRefusal(status: number, type: unknown, text: string): void {
  expect({ status, type }).toEqual({ status: 403, type: 'InvalidSignatureException' });
  const message = (JSON.parse(text) as { message: string }).message;
  expect(message.startsWith(MISMATCH_PREFIX)).toBe(true);
}

/** Every body case POSTed to `url` for botocore to sign, named `<case> intact` and `<case> changed`. */
export function botocoreBodyRequests(url: string): Array<[string, BotocoreRequest]> {
  const requests: Array<[string, BotocoreRequest]> = [];
  for (const c of BODY_CASES) {
    const base: BotocoreRequest = {
      method: 'POST',
      url,
      headers: headersOf(c),
      bodyBase64: c.body.toString('base64'),
      credentials: ALICE,
      region: API.region,
    };
    requests.push([`${c.name} intact`, base]);
    requests.push([
      `${c.name} changed`,
      { ...base, after: { bodyBase64: c.changed.toString('base64') } },
    ]);
  }
  return requests;
}
