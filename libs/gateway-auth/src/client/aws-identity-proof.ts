import type { HttpRequest as SmithyHttpRequest } from '@smithy/protocol-http';
import type { SignatureV4 as SmithySignatureV4 } from '@smithy/signature-v4';
import { loadOptionalDependency } from '../core/optional-dependency';
import { NodeSha256 } from './node-sha256';
import {
  AUDIENCE_HEADER,
  GET_CALLER_IDENTITY_BODY,
  IDENTITY_PROOF_HEADER,
  STS_CONTENT_TYPE,
  encodeIdentityProof,
} from '../core/identity/sts-proof/identity-proof';
import { stsHost } from '../core/identity/sts-proof/sts-endpoint';

export { IDENTITY_PROOF_HEADER };

/** AWS credentials as the AWS SDK v3 holds them (structurally `AwsCredentialIdentity`). */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function resolving credentials, as the AWS SDK v3's credential providers are. */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/** Options of the callers' helpers ({@link AwsIdentityProof}, `withAwsIdentity`...). */
export interface AwsIdentityProofOptions {
  /**
   * The API's audience, as configured on the service: by default
   * `arn:aws:execute-api:{region}:{account}:{apiId}` of the API called.
   */
  audience: string;
  /** The STS region to sign for (one the service allows). Default `AWS_REGION`, then `us-east-1`. */
  region?: string;
  /**
   * The caller's credentials: fixed ones, or a provider. Default: the AWS SDK's default chain
   * (environment, SSO and shared config, ECS container credentials, EC2 instance metadata), from
   * `@aws-sdk/credential-provider-node`.
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * How long one proof is reused, seconds. Default 240: STS checks a header-signed request's date
   * within 5 minutes, and a service may first see a reused proof just before it expires.
   */
  reuseSeconds?: number;
  /** The time source (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Signs `sts:GetCallerIdentity` for the API's audience with the caller's own AWS credentials and
 * encodes it as an `X-Gateway-Auth-Identity` value (docs/iam-auth.md, "Identity proofs"). Nothing
 * is sent to STS here: the service does that. One proof is reused for `reuseSeconds`.
 * @example
 * const proof = new AwsIdentityProof({ audience: 'arn:aws:execute-api:us-east-1:111122223333:petstore' });
 * await fetch(url, { headers: { 'x-gateway-auth-identity': await proof.header() } });
 */
export class AwsIdentityProof {
  private readonly region: string;
  private readonly now: () => number;
  private current: { value: string; until: number } | undefined;
  private pending: Promise<string> | undefined;
  private provider: AwsCredentialIdentityProvider | undefined;

  constructor(private readonly options: AwsIdentityProofOptions) {
    this.region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    this.now = options.now ?? Date.now;
    if (typeof options.audience !== 'string' || options.audience === '') {
      throw new Error('AwsIdentityProof: "audience" is required (the API\'s audience)');
    }
  }

  /** The header's value: the current proof, or a new one when it has been used long enough. */
  header(): Promise<string> {
    const now = this.now();
    if (this.current !== undefined && now < this.current.until) {
      return Promise.resolve(this.current.value);
    }
    this.pending ??= this.sign(now).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async sign(now: number): Promise<string> {
    const credentials = await this.credentialProvider()();
    const value = await signIdentityProof({
      audience: this.options.audience,
      region: this.region,
      credentials,
      date: new Date(now),
    });
    this.current = { value, until: now + (this.options.reuseSeconds ?? 240) * 1000 };
    return value;
  }

  private credentialProvider(): AwsCredentialIdentityProvider {
    if (this.provider !== undefined) return this.provider;
    const given = this.options.credentials;
    if (typeof given === 'function') this.provider = given;
    else if (given !== undefined) this.provider = () => Promise.resolve(given);
    else {
      const chain = loadOptionalDependency<{ defaultProvider(): AwsCredentialIdentityProvider }>(
        '@aws-sdk/credential-provider-node',
        "AwsIdentityProof's default credentials",
      );
      this.provider = chain.defaultProvider();
    }
    return this.provider;
  }
}

/** What {@link signIdentityProof} signs with. */
export interface SignIdentityProofInput {
  audience: string;
  region: string;
  credentials: AwsCredentialIdentity;
  /** The signing time. Default now. */
  date?: Date;
}

/**
 * One identity proof (no caching): `POST /` to `sts.{region}.{domain}` with the contract's body and
 * headers, signed with `@smithy/signature-v4` (the AWS SDK's signer) for service `sts`.
 */
export async function signIdentityProof(input: SignIdentityProofInput): Promise<string> {
  const { HttpRequest } = loadOptionalDependency<{ HttpRequest: typeof SmithyHttpRequest }>(
    '@smithy/protocol-http',
    'signIdentityProof',
  );
  const { SignatureV4 } = loadOptionalDependency<{ SignatureV4: typeof SmithySignatureV4 }>(
    '@smithy/signature-v4',
    'signIdentityProof',
  );
  const host = stsHost(input.region);
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: host,
    path: '/',
    headers: {
      host,
      'content-type': STS_CONTENT_TYPE,
      [AUDIENCE_HEADER]: input.audience,
    },
    body: GET_CALLER_IDENTITY_BODY,
  });
  const signer = new SignatureV4({
    service: 'sts',
    region: input.region,
    credentials: input.credentials,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(request, { signingDate: input.date ?? new Date() });
  const headers = signed.headers;
  return encodeIdentityProof({
    v: 1,
    region: input.region,
    date: headers['x-amz-date'] as string,
    authorization: headers.authorization as string,
    ...(input.credentials.sessionToken === undefined
      ? {}
      : { token: input.credentials.sessionToken }),
  });
}
