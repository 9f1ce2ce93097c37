import { isAwsRegion } from '../../aws-region';
import { parseAmzDate } from '../../sigv4/amz-date';
import { malformedProof } from './identity-proof-errors';

/** The request header carrying an identity proof. */
export const IDENTITY_PROOF_HEADER = 'x-gateway-auth-identity';
/** The signed header binding a proof to one API (its value is the configured audience). */
export const AUDIENCE_HEADER = 'x-gateway-auth-audience';
/** The exact body the caller signs and the server sends. */
export const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
/** The exact content type the caller signs and the server sends. */
export const STS_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
/** Largest header value accepted, bytes (the wire contract). */
export const MAX_PROOF_BYTES = 8192;

/** What an identity proof's JSON holds (wire contract version 1). */
export interface IdentityProofFields {
  v: 1;
  /** The region whose STS endpoint verifies the proof. */
  region: string;
  /** The signed `X-Amz-Date`, ISO 8601 basic (`20260301T100000Z`). */
  date: string;
  /** The signed request's `Authorization` header value. */
  authorization: string;
  /** `X-Amz-Security-Token`, only for temporary credentials. */
  token?: string;
}

/** A decoded, well-formed identity proof (not yet verified: only STS can do that). */
export interface IdentityProof extends IdentityProofFields {
  dateMs: number;
  accessKeyId: string;
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  scopeTerminator: string;
  /** `SignedHeaders` split, as sent. */
  signedHeaders: readonly string[];
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const KEYS = new Set(['v', 'region', 'date', 'authorization', 'token']);
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]{1,40})\/([a-z0-9-]{1,40})\/([a-z0-9_]{1,40}), ?SignedHeaders=([a-z0-9;-]{1,512}), ?Signature=([0-9a-f]{64})$/;
/** Session tokens are base64 text; nothing else may travel into the STS request's headers. */
const TOKEN = /^[A-Za-z0-9+/=_-]{1,6144}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the `X-Gateway-Auth-Identity` header strictly (wire contract v1): one header, at most
 * 8 KiB, base64url (padding tolerated) of UTF-8 JSON with exactly the contract's fields, an
 * `AWS4-HMAC-SHA256` Authorization, a basic-format date. Checks nothing that needs configuration
 * (allowed regions, audience, freshness): see `StsProofSource`.
 * @throws AuthError `IDENTITY_PROOF_MALFORMED` naming what is wrong (never echoing the value).
 */
export function decodeIdentityProof(header: string | readonly string[]): IdentityProof {
  if (typeof header !== 'string') throw malformedProof('the header was sent more than once');
  if (header.length > MAX_PROOF_BYTES) throw malformedProof('longer than 8192 bytes');
  if (!BASE64URL.test(header)) throw malformedProof('not base64url');
  let fields: unknown;
  try {
    fields = JSON.parse(utf8.decode(Buffer.from(header, 'base64url')));
  } catch {
    throw malformedProof('not base64url-encoded UTF-8 JSON');
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw malformedProof('not a JSON object');
  }
  const record = fields as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) throw malformedProof('unknown field');
  }
  if (record.v !== 1) throw malformedProof('"v" must be 1');
  const { region, date, authorization, token } = record;
  if (!isAwsRegion(region)) throw malformedProof('"region" is not an AWS region');
  if (typeof date !== 'string') throw malformedProof('"date" must be a string');
  const dateMs = parseAmzDate(date);
  if (dateMs === undefined) throw malformedProof('"date" is not an X-Amz-Date (YYYYMMDDTHHMMSSZ)');
  if (token !== undefined && (typeof token !== 'string' || !TOKEN.test(token))) {
    throw malformedProof('"token" is not a session token');
  }
  if (typeof authorization !== 'string') throw malformedProof('"authorization" must be a string');
  if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
    throw malformedProof('"authorization" must use AWS4-HMAC-SHA256');
  }
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) throw malformedProof('"authorization" is not a SigV4 Authorization value');
  const [, accessKeyId, scopeDate, scopeRegion, scopeService, scopeTerminator, signed] =
    match as unknown as [string, string, string, string, string, string, string];
  return {
    v: 1,
    region,
    date,
    authorization,
    ...(token === undefined ? {} : { token }),
    dateMs,
    accessKeyId,
    scopeDate,
    scopeRegion,
    scopeService,
    scopeTerminator,
    signedHeaders: signed.split(';'),
  };
}

/**
 * Encodes proof fields as the header value (base64url without padding of the UTF-8 JSON): what the
 * callers' helpers send; other languages produce the same bytes with their own JSON and base64.
 */
export function encodeIdentityProof(fields: IdentityProofFields): string {
  const json: IdentityProofFields = {
    v: 1,
    region: fields.region,
    date: fields.date,
    authorization: fields.authorization,
    ...(fields.token === undefined ? {} : { token: fields.token }),
  };
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}
