import { createHash } from 'node:crypto';
import type { SharedServices } from '../../authenticator';
import type { DecisionCache } from '../../cache/decision-cache';
import { TieredCache } from '../../cache/tiered-cache';
import { isAwsRegion } from '../../aws-region';
import { ConfigError, type ConfigIssue } from '../../errors';
import { headerText, type HttpRequest } from '../../http-request';
import { formatAmzDate } from '../../sigv4/amz-date';
import { sha256Hex } from '../../sigv4/sha256-hex';
import { principalFromArn } from '../../sigv4/principal-from-arn';
import type {
  IdentityPolicyResolver,
  ResolvedPolicies,
} from '../iam-policies/identity-policy-resolver';
import type { CallerAccess, IdentitySource } from '../identity-source';
import { accessWithPolicies, type HeldCaller, type VerifiedCaller } from '../verified-caller';
import {
  createGetCallerIdentityParser,
  type GetCallerIdentityParser,
  type StsCallerIdentity,
} from './get-caller-identity-response';
import {
  AUDIENCE_HEADER,
  GET_CALLER_IDENTITY_BODY,
  IDENTITY_PROOF_HEADER,
  MAX_PROOF_BYTES,
  STS_CONTENT_TYPE,
  decodeIdentityProof,
  type IdentityProof,
} from './identity-proof';
import {
  proofRejected,
  proofScope,
  proofTime,
  proofTokenExpired,
  stsUnavailable,
} from './identity-proof-errors';
import { postToSts, StsAgents, type StsHttpResponse } from './post-to-sts';
import { partitionOf, stsEndpointOverride, stsHost } from './sts-endpoint';

/**
 * STS identity proofs (the `iam.identityProofs` options): callers holding AWS-issued credentials
 * (EC2, Lambda, ECS roles...) send `X-Gateway-Auth-Identity`, a signed `sts:GetCallerIdentity`
 * request bound to this API's audience; see docs/iam-auth.md for the wire contract.
 */
export interface IdentityProofOptions {
  /** The value callers sign in `x-gateway-auth-audience`. Default `arn:{partition}:execute-api:{region}:{account}:{apiId}`. */
  audience?: string;
  /** Regions whose STS may verify a proof. Default: the API's region. */
  regions?: readonly string[];
  /** How long after its signed date a proof is accepted, seconds (60-900). Default 900 (15 minutes). */
  maxAgeSeconds?: number;
  /**
   * Where STS requests are sent instead of `https://sts.{region}.{domain}` (a VPC endpoint, a local
   * emulator). Default: the AWS SDK's `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`. The `Host`
   * header is always the canonical host the caller signed.
   */
  stsEndpoint?: string;
  /** Deadline of one STS call, milliseconds. Default 3000. */
  timeoutMs?: number;
  /** Verified proofs kept in process. Default 10,000. */
  cacheSize?: number;
  /** How long a proof STS refused stays refused without asking again, seconds. Default 5. */
  refusalCacheSeconds?: number;
}

/** What the service learnt from STS about one proof (kept until the proof expires). */
interface VerifiedProof {
  arn: string;
  userId: string;
  accessKeyId: string;
  temporaryCredentials: boolean;
  expiresAt: number;
}

/** A verified proof's caller (and, in process only, its access with the policies last attached). */
interface HeldProof extends HeldCaller {
  readonly proof: VerifiedProof;
}

interface ResolvedOptions {
  audience: string;
  regions: ReadonlySet<string>;
  maxAgeMs: number;
  endpoint: URL | undefined;
  timeoutMs: number;
}

/** Future dates accepted (the signer's clock ahead of ours), as SigV4 (SIG-10). */
const FUTURE_SKEW_MS = 300_000;
const MAX_RESPONSE_BYTES = 65_536;
const EMPTY_BODY_SHA256 = sha256Hex(GET_CALLER_IDENTITY_BODY);
const STS_REFUSALS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'AccessDenied',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
]);

/**
 * The `sts-proof` identity source: rebuilds the caller's signed `sts:GetCallerIdentity` request
 * from the proof (its own host, body, audience and body hash; only the date, Authorization and
 * token are the caller's), sends it to STS with node's http(s), and trusts only a strictly parsed
 * answer. Verified proofs are cached by a hash of the header until they expire (in process, and in
 * the shared decision store when configured), one STS call per proof at a time.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export class StsProofSource implements IdentitySource {
  readonly name = 'sts-proof';
  private readonly resolved: ResolvedOptions;
  private readonly proofs: TieredCache<HeldProof>;
  private readonly agents = new StsAgents();
  /** `Host`, endpoint and partition per allowed region, computed once. */
  private readonly targets = new Map<string, { host: string; url: URL; partition: string }>();
  /** STS's answer read strictly (fast-xml-parser, an optional peer, loaded here). */
  private readonly parseAnswer: GetCallerIdentityParser;

  /** @throws ConfigError naming each invalid `iam.identityProofs.*` option. */
  constructor(
    options: IdentityProofOptions,
    private readonly shared: SharedServices,
    private readonly policies: IdentityPolicyResolver,
    store: DecisionCache | undefined,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.resolved = resolveOptions(options, shared, env);
    this.parseAnswer = createGetCallerIdentityParser('iam.identityProofs');
    for (const region of this.resolved.regions) {
      const host = stsHost(region);
      this.targets.set(region, {
        host,
        url: this.resolved.endpoint ?? new URL(`https://${host}/`),
        partition: partitionOf(region).name,
      });
    }
    this.proofs = new TieredCache<HeldProof>({
      // The audience is part of the namespace: a proof verified for another API sharing the store
      // must not be answered from its entry.
      name: `gateway-auth/identity-proofs/${this.resolved.audience}`,
      maxEntries: options.cacheSize ?? 10_000,
      shared: store,
      encode: (held) => JSON.stringify(held.proof),
      decode: (text) => this.decodeStored(text),
      refusalTtlMs: (options.refusalCacheSeconds ?? 5) * 1000,
      staleIfErrorMs: 0,
      logger: shared.logger,
    });
  }

  claims(request: HttpRequest): boolean {
    return request.headers[IDENTITY_PROOF_HEADER] !== undefined;
  }

  resolve(request: HttpRequest): CallerAccess | Promise<CallerAccess> {
    const header = request.headers[IDENTITY_PROOF_HEADER] as string | readonly string[];
    const now = this.shared.clock.now();
    // The cached path: the exact header text was verified before and has not expired.
    if (typeof header === 'string' && header.length <= MAX_PROOF_BYTES) {
      const key = proofKey(header);
      const held = this.proofs.peek(key, now);
      if (held !== undefined) return this.accessOf(request, held);
      const proof = this.check(header, now);
      return this.proofs
        .get(key, now, () => this.verify(proof))
        .then((verified) => this.accessOf(request, verified));
    }
    // Malformed (two headers, oversized): refused by the decoder.
    this.check(header, now);
    throw new Error('unreachable: an invalid proof was not refused');
  }

  close(): Promise<void> {
    this.agents.destroy();
    this.proofs.clear();
    return Promise.resolve();
  }

  /** The caller's access: its policies from the resolver, attached once per policy version. */
  private accessOf(request: HttpRequest, held: HeldProof): CallerAccess | Promise<CallerAccess> {
    checkSignedRequestKey(request, held.proof.accessKeyId);
    const policies = this.policies.peek(held.caller.parsed);
    if (policies !== undefined) return this.attach(held, policies);
    return this.policies.resolve(held.caller.parsed).then((p) => this.attach(held, p));
  }

  private attach(held: HeldProof, policies: ResolvedPolicies): CallerAccess {
    return accessWithPolicies(held, policies, this.shared);
  }

  /**
   * Everything that can be refused without STS, cheapest first: the contract's shape, the scope
   * (algorithm, region allowed, service `sts`), the exact signed-header set, the date's freshness.
   */
  private check(header: string | readonly string[], now: number): IdentityProof {
    const proof = decodeIdentityProof(header);
    if (!this.resolved.regions.has(proof.region)) {
      throw proofScope(
        `Credential should be scoped to a valid Region, not '${proof.region}'. `,
        `region ${proof.region} is not in iam.identityProofs.regions`,
      );
    }
    if (proof.scopeRegion !== proof.region) {
      throw proofScope(
        `Credential should be scoped to a valid Region, not '${proof.scopeRegion}'. `,
        'credential scope region differs from the proof region',
      );
    }
    if (proof.scopeService !== 'sts') {
      throw proofScope(
        "Credential should be scoped to correct service: 'sts'. ",
        'credential scope service is not sts',
      );
    }
    if (proof.scopeTerminator !== 'aws4_request') {
      throw proofScope(
        "Credential should be scoped with a valid terminator: 'aws4_request'. ",
        'credential scope terminator is not aws4_request',
      );
    }
    if (proof.scopeDate !== proof.date.slice(0, 8)) {
      throw proofScope(
        'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.',
        'credential scope date differs from the proof date',
      );
    }
    checkSignedHeaders(proof);
    const maxAge = this.resolved.maxAgeMs;
    if (proof.dateMs < now - maxAge) {
      throw proofTime(
        'IDENTITY_PROOF_EXPIRED',
        `Signature expired: ${proof.date} is now earlier than ${formatAmzDate(now - maxAge)} (${formatAmzDate(now)} - ${maxAge / 60_000} min.)`,
        'proof date older than iam.identityProofs.maxAgeSeconds',
      );
    }
    if (proof.dateMs > now + FUTURE_SKEW_MS) {
      throw proofTime(
        'IDENTITY_PROOF_NOT_YET_CURRENT',
        `Signature not yet current: ${proof.date} is still later than ${formatAmzDate(now + FUTURE_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`,
        'proof date more than 5 minutes ahead',
      );
    }
    return proof;
  }

  /** Rebuilds the STS request, sends it and reads the answer (the cache's load). */
  private async verify(proof: IdentityProof): Promise<{ value: HeldProof; expiresAt: number }> {
    const target = this.targets.get(proof.region);
    if (target === undefined) throw new Error('unreachable: region checked');
    const headers: Record<string, string> = {
      host: target.host,
      'content-type': STS_CONTENT_TYPE,
      'x-amz-date': proof.date,
      [AUDIENCE_HEADER]: this.resolved.audience,
      authorization: proof.authorization,
    };
    if (proof.token !== undefined) headers['x-amz-security-token'] = proof.token;
    if (proof.signedHeaders.includes('x-amz-content-sha256')) {
      headers['x-amz-content-sha256'] = EMPTY_BODY_SHA256;
    }
    let response: StsHttpResponse;
    try {
      response = await postToSts(
        target.url,
        headers,
        GET_CALLER_IDENTITY_BODY,
        { timeoutMs: this.resolved.timeoutMs, maxResponseBytes: MAX_RESPONSE_BYTES },
        this.agents,
      );
    } catch (error) {
      throw stsUnavailable(
        `STS (${target.url.host}) could not be asked: ${(error as Error).message}`,
        error,
      );
    }
    const caller = this.readAnswer(response, target.partition, proof.accessKeyId);
    const expiresAt = proof.dateMs + this.resolved.maxAgeMs;
    const verified: VerifiedProof = {
      arn: caller.arn,
      userId: caller.userId,
      accessKeyId: proof.accessKeyId,
      temporaryCredentials: proof.token !== undefined,
      expiresAt,
    };
    return { value: this.hold(verified, caller.parsed), expiresAt };
  }

  private readAnswer(
    response: StsHttpResponse,
    partition: string,
    accessKeyId: string,
  ): StsCallerIdentity {
    const { status } = response;
    if (status === 200) {
      const type = (response.contentType ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'text/xml' && type !== 'application/xml') {
        throw stsUnavailable(`STS answered 200 with content type ${JSON.stringify(type)}, not XML`);
      }
      const caller = this.parseAnswer(response.body, partition);
      if (caller === undefined) {
        throw stsUnavailable(
          'STS answered 200 with a body that is not one strict GetCallerIdentityResponse',
        );
      }
      return caller;
    }
    const code = errorCode(response.body);
    if (status === 403 || (status === 400 && code !== undefined && STS_REFUSALS.has(code))) {
      throw proofRejected(
        `STS refused the proof of access key ${accessKeyId}: ${status} ${code ?? ''}`,
      );
    }
    if (status === 400 && code === 'ExpiredToken') {
      throw proofTokenExpired(`STS says the session of access key ${accessKeyId} has expired`);
    }
    throw stsUnavailable(`STS answered ${status} ${code ?? ''} (not a verdict on the proof)`);
  }

  private hold(proof: VerifiedProof, parsed: VerifiedCaller['parsed']): HeldProof {
    return {
      proof,
      caller: {
        source: 'sts-proof',
        parsed,
        userId: proof.userId,
        accessKeyId: proof.accessKeyId,
        temporaryCredentials: proof.temporaryCredentials,
        orgId: undefined,
      },
      access: undefined,
    };
  }

  private decodeStored(text: string): HeldProof | undefined {
    try {
      const proof = JSON.parse(text) as VerifiedProof;
      const parsed = principalFromArn(proof.arn);
      if (parsed === undefined || typeof proof.accessKeyId !== 'string') return undefined;
      return this.hold(proof, parsed);
    } catch {
      return undefined;
    }
  }
}

/** The cache key of a proof: its SHA-256 (the header itself is never kept as a key). */
function proofKey(header: string): string {
  return createHash('sha256').update(header).digest('base64url');
}

/**
 * `SignedHeaders` must be exactly the contract's set (no header missing, none added, none twice,
 * in SigV4's sorted order): `content-type`, `host`, `x-amz-date`, `x-gateway-auth-audience`,
 * `x-amz-security-token` iff a token was sent, and `x-amz-content-sha256` if the signer added it.
 */
function checkSignedHeaders(proof: IdentityProof): void {
  const expected = ['content-type', 'host', 'x-amz-date', AUDIENCE_HEADER];
  if (proof.token !== undefined) expected.push('x-amz-security-token');
  if (proof.signedHeaders.includes('x-amz-content-sha256')) expected.push('x-amz-content-sha256');
  expected.sort();
  const signed = proof.signedHeaders;
  if (signed.length !== expected.length || signed.some((name, i) => name !== expected[i])) {
    throw proofScope(
      `SignedHeaders must be exactly ${expected.join(';')}.`,
      `signed headers ${signed.slice(0, 12).join(';').slice(0, 200)} are not the contract's set`,
    );
  }
}

/**
 * A request that carries its own SigV4 `Authorization` (or presigned `X-Amz-Credential`) besides
 * the proof must use the proof's access key. That signature cannot be verified (only AWS holds the
 * secret): this only stops a request signed by one caller from riding on another's proof. Every
 * `Authorization` line is read: a second line (or a second value on one line) naming another key
 * is refused too.
 */
function checkSignedRequestKey(request: HttpRequest, accessKeyId: string): void {
  const authorization = headerText(request.headers.authorization);
  let claimed: string[] | undefined;
  if (authorization !== undefined && SIGV4_VALUE.test(authorization)) {
    claimed = [];
    for (const match of authorization.matchAll(/Credential=([^/,\s]*)/g))
      claimed.push(match[1] ?? '');
    if (claimed.length === 0) claimed.push('');
  } else if (request.rawQuery.includes('X-Amz-Credential=')) {
    const value = /(?:^|&)X-Amz-Credential=([^&]*)/.exec(request.rawQuery)?.[1] ?? '';
    claimed = [decodeURIComponent(value.replace(/\+/g, ' ')).split('/')[0] ?? ''];
  }
  const other = claimed?.find((key) => key !== accessKeyId);
  if (other !== undefined) {
    throw proofRejected(
      `the request's SigV4 access key ${other.slice(0, 128)} is not the identity proof's ${accessKeyId}`,
    );
  }
}

/** A SigV4 `Authorization` value, on any of the header's lines (joined with `,`). */
const SIGV4_VALUE = /(?:^|,)\s*AWS4-/;

/** The `<Code>` of an STS error answer, to classify it (never trusted for anything else). */
function errorCode(body: string): string | undefined {
  return /<Code>([A-Za-z.]{1,64})<\/Code>/.exec(body.slice(0, 4096))?.[1];
}

function resolveOptions(
  options: IdentityProofOptions,
  shared: SharedServices,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedOptions {
  const issues: ConfigIssue[] = [];
  const at = (field: string): string => `iam.identityProofs.${field}`;
  const { api } = shared;
  const partition = api.partition ?? partitionOf(api.region).name;
  const audience =
    options.audience ?? `arn:${partition}:execute-api:${api.region}:${api.accountId}:${api.apiId}`;
  if (typeof audience !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(audience)) {
    issues.push({
      path: at('audience'),
      message: 'must be 1-256 printable ASCII characters without spaces',
    });
  }
  const regions = options.regions ?? [api.region];
  if (!Array.isArray(regions) || regions.length === 0) {
    issues.push({ path: at('regions'), message: 'must be a non-empty array of AWS regions' });
  } else {
    regions.forEach((region: unknown, i) => {
      if (!isAwsRegion(region))
        issues.push({
          path: `${at('regions')}[${i}]`,
          message: 'must be an AWS region such as us-east-1',
        });
    });
  }
  const integer = (
    name: keyof IdentityProofOptions,
    min: number,
    max: number,
    fallback: number,
  ): number => {
    const value = options[name] as unknown;
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      issues.push({ path: at(name), message: `must be an integer from ${min} to ${max}` });
    }
    return value as number;
  };
  const maxAgeSeconds = integer('maxAgeSeconds', 60, 900, 900);
  const timeoutMs = integer('timeoutMs', 100, 30_000, 3000);
  integer('cacheSize', 1, 10_000_000, 10_000);
  integer('refusalCacheSeconds', 0, 300, 5);
  let endpoint: URL | undefined;
  try {
    endpoint = stsEndpointOverride(options.stsEndpoint, env);
  } catch (error) {
    issues.push({
      path: options.stsEndpoint === undefined ? 'AWS_ENDPOINT_URL_STS' : at('stsEndpoint'),
      message: (error as Error).message,
    });
  }
  if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
  return {
    audience,
    regions: new Set(regions),
    maxAgeMs: maxAgeSeconds * 1000,
    endpoint,
    timeoutMs,
  };
}
