// The bodies the request-body suites sign and send: one per content type a caller may sign (and
// none), each with a copy changed after signing (same length: only the payload hash can tell).
import { createHash } from 'node:crypto';

export interface BodyCase {
  name: string;
  /** The Content-Type sent; `undefined`: none at all. */
  contentType: string | undefined;
  body: Buffer;
  /** The body changed after signing, same length. */
  changed: Buffer;
}

/** Every byte value, in a scrambled order, with NULs and invalid UTF-8: not text. */
const binary = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 167 + 13) % 256));

function flipped(body: Buffer, at = Math.floor(body.length / 2)): Buffer {
  const copy = Buffer.from(body);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

const json = Buffer.from(JSON.stringify({ name: 'Rex', kind: 'dog', tags: ['a', 'b'] }));

export const BODY_CASES: readonly BodyCase[] = [
  {
    name: 'application/json',
    contentType: 'application/json',
    body: json,
    changed: Buffer.from(JSON.stringify({ name: 'Rex', kind: 'cat', tags: ['a', 'b'] })),
  },
  {
    name: 'text/plain',
    contentType: 'text/plain; charset=utf-8',
    body: Buffer.from('Rex is a good dog. Ünïcödé too.'),
    changed: Buffer.from('Rex is a good cat. Ünïcödé too.'),
  },
  {
    name: 'application/octet-stream (binary)',
    contentType: 'application/octet-stream',
    body: binary,
    changed: flipped(binary),
  },
  {
    name: 'application/x-www-form-urlencoded',
    contentType: 'application/x-www-form-urlencoded',
    body: Buffer.from('name=Rex&kind=dog&tag=a&tag=b'),
    changed: Buffer.from('name=Rex&kind=cat&tag=a&tag=b'),
  },
  {
    name: 'application/xml',
    contentType: 'application/xml',
    body: Buffer.from('<pet><name>Rex</name><kind>dog</kind></pet>'),
    changed: Buffer.from('<pet><name>Rex</name><kind>cat</kind></pet>'),
  },
  {
    name: 'no Content-Type',
    contentType: undefined,
    body: Buffer.from('just bytes, no declared type'),
    changed: Buffer.from('just bytes, no declared typo'),
  },
];

/** The JSON body changed into invalid JSON after signing (same length). */
export const JSON_MADE_INVALID = Buffer.from(
  JSON.stringify({ name: 'Rex', kind: 'dog', tags: ['a', 'b'] }).replace(/}$/, ']'),
);

/** Lowercase hex SHA-256, as the handlers report the raw body they were given. */
export function sha256(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** What a handler reports of the body it got: `req.body` (described) and `req.rawBody`'s hash. */
export interface SeenBody {
  body: unknown;
  rawSha256: string | null;
}

/** A handler's view of `req.body`: a Buffer by its hash, objects as plain objects. */
export function describeBody(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  if (Buffer.isBuffer(body)) return { buffer: sha256(body) };
  if (typeof body === 'object') return { ...(body as Record<string, unknown>) };
  return body;
}

/** What a handler answers: what it was given. */
export function seen(body: unknown, rawBody: Buffer | undefined): SeenBody {
  return { body: describeBody(body), rawSha256: rawBody ? sha256(rawBody) : null };
}

/** The parsed form of the JSON and form bodies above, as every platform hands them over. */
export const PARSED: Readonly<Record<string, unknown>> = {
  'application/json': { name: 'Rex', kind: 'dog', tags: ['a', 'b'] },
  'application/x-www-form-urlencoded': { name: 'Rex', kind: 'dog', tag: ['a', 'b'] },
};

export const MISMATCH_PREFIX =
  'The request signature we calculated does not match the signature you provided.';
