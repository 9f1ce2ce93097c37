// Identity proofs for tests, signed with @smithy/signature-v4 (the AWS SDK's signer): the
// contract's request by default, or a variant of it (another host, body, service, audience,
// extra or missing signed headers) to check each is refused.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface ProofCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ProofVariant {
  audience: string;
  credentials: ProofCredentials;
  date: Date;
  region?: string;
  /** Signed for this host instead of `sts.<region>.amazonaws.com`. */
  host?: string;
  body?: string;
  service?: string;
  /** Leave the audience header out of the signed request. */
  omitAudience?: boolean;
  /** More headers signed. */
  extraHeaders?: Record<string, string>;
  /** Let the signer add x-amz-content-sha256 (smithy's default). */
  applyChecksum?: boolean;
}

export interface ProofJson {
  v: number;
  region: string;
  date: string;
  authorization: string;
  token?: string;
  [extra: string]: unknown;
}

/** The proof's JSON fields (before base64url). */
export async function proofFields(variant: ProofVariant): Promise<ProofJson> {
  const region = variant.region ?? 'us-east-1';
  const host = variant.host ?? `sts.${region}.amazonaws.com`;
  const headers: Record<string, string> = {
    host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    ...(variant.omitAudience ? {} : { 'x-gateway-auth-audience': variant.audience }),
    ...variant.extraHeaders,
  };
  const signer = new SignatureV4({
    service: variant.service ?? 'sts',
    region,
    credentials: variant.credentials,
    sha256: Sha256,
    applyChecksum: variant.applyChecksum ?? false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: host,
      path: '/',
      headers,
      body: variant.body ?? 'Action=GetCallerIdentity&Version=2011-06-15',
    }),
    { signingDate: variant.date },
  );
  return {
    v: 1,
    region,
    date: String(signed.headers['x-amz-date']),
    authorization: String(signed.headers.authorization),
    ...(variant.credentials.sessionToken === undefined
      ? {}
      : { token: variant.credentials.sessionToken }),
  };
}

/** base64url (no padding) of the JSON: the header's value. */
export function encodeProof(fields: unknown): string {
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

/** A proof header value for `variant`. */
export async function proofHeader(variant: ProofVariant): Promise<string> {
  return encodeProof(await proofFields(variant));
}
