// The AWS SigV4 signing test suite (aws-c-auth v4, smithy-rs double-encoding, botocore legacy), run
// against the server-side verifier: for every case and both forms (Authorization header and
// presigned query) the verifier must rebuild AWS's canonical request and string to sign byte for
// byte, and accept the signed request. Data: test/fixtures/sigv4 (Apache-2.0, see COPIED.md).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRequest } from '../http-request';
import { parseSigV4 } from './parse-sigv4';
import { deriveSigningKey } from './signing-key-cache';
import { verifySignature } from './verify-signature';

const ROOT = join(__dirname, '../../../../../test/fixtures/sigv4');
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const PARSE = { echoAuthorizationHeader: false, maxExpiresSeconds: 604800 };

/** Parses the suite's raw HTTP/1.1 text (`Name:value` headers, folded lines kept as sent). */
function parseRequest(text: string): HttpRequest {
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  let body = split === -1 ? '' : text.slice(split + 2);
  const lines = head.split('\n');
  const requestLine = lines.shift() as string;
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const versionAt = requestLine.lastIndexOf(' HTTP/');
  const target = requestLine.slice(method.length + 1, versionAt === -1 ? undefined : versionAt);
  const headers: Record<string, string | string[]> = {};
  let last: string | undefined;
  for (const line of lines) {
    if (line === '') continue;
    if (/^\s/.test(line) && last) {
      const current = headers[last] as string | string[];
      if (Array.isArray(current)) current[current.length - 1] += `\n${line}`;
      else headers[last] = `${current}\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1);
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
    last = name;
  }
  const length = headers['content-length'];
  if (typeof length === 'string') body = body.slice(0, Number(length));
  else body = body.replace(/\n$/, '');
  const q = target.indexOf('?');
  return {
    method,
    path: q === -1 ? target : target.slice(0, q),
    rawQuery: q === -1 ? '' : target.slice(q + 1),
    headers,
    sourceIp: '127.0.0.1',
    secure: true,
    body: Buffer.from(body, 'utf8'),
  };
}

function payloadHash(request: HttpRequest, form: 'header' | 'query'): string {
  const header = request.headers['x-amz-content-sha256'];
  if (form === 'header' && typeof header === 'string') return header;
  if (typeof header === 'string' && header === 'UNSIGNED-PAYLOAD') return header;
  return createHash('sha256')
    .update(request.body ?? Buffer.alloc(0))
    .digest('hex');
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

interface Case {
  name: string;
  dir: string;
  normalize: boolean;
  forms: Array<'header' | 'query'>;
}

function casesIn(folder: string): Case[] {
  const base = join(ROOT, folder);
  return readdirSync(base).map((name) => {
    const dir = join(base, name);
    const context = JSON.parse(read(dir, 'context.json')) as { normalize: boolean };
    return {
      name: `${folder}/${name}`,
      dir,
      normalize: context.normalize,
      forms: ['header', 'query'],
    };
  });
}

function check(dir: string, form: 'header' | 'query', secret = SECRET): void {
  const signed = parseRequest(read(dir, `${form}-signed-request.txt`));
  const claims = parseSigV4(signed, PARSE);
  expect(claims.form).toBe(form);
  const key = deriveSigningKey(secret, claims.scopeDate, claims.scopeRegion, claims.scopeService);
  const result = verifySignature(signed, claims, key, payloadHash(signed, form));
  expect(result.canonicalRequest).toBe(read(dir, `${form}-canonical-request.txt`));
  expect(result.stringToSign).toBe(read(dir, `${form}-string-to-sign.txt`));
  expect(claims.signature).toBe(read(dir, `${form}-signature.txt`).trim());
  expect(result.valid).toBe(true);
}

// Cases that do not apply to API Gateway (a non-S3 service), with the reason:
const NOT_APPLICABLE: Record<string, string> = {
  // S3 rule: paths are signed as sent, without normalisation. API Gateway normalises (SIG-06).
  'v4/get-relative-relative-unnormalized': 'S3-only (unnormalised path)',
  'v4/get-relative-unnormalized': 'S3-only (unnormalised path)',
  'v4/get-slash-dot-slash-unnormalized': 'S3-only (unnormalised path)',
  'v4/get-slash-pointless-dot-unnormalized': 'S3-only (unnormalised path)',
  'v4/get-slash-unnormalized': 'S3-only (unnormalised path)',
  'v4/get-slashes-unnormalized': 'S3-only (unnormalised path)',
};

describe('AWS SigV4 test suite (aws-c-auth v4) — header and presigned forms', () => {
  const cases = casesIn('v4');
  it('has the 38 cases', () => expect(cases).toHaveLength(38));
  for (const c of cases) {
    for (const form of c.forms) {
      const skip = NOT_APPLICABLE[c.name];
      if (skip) {
        it(`${c.name} [${form}] does not apply: ${skip}; the normalised twin verifies instead`, () => {
          expect(c.normalize).toBe(false);
          const signed = parseRequest(read(c.dir, `${form}-signed-request.txt`));
          const claims = parseSigV4(signed, PARSE);
          const key = deriveSigningKey(
            SECRET,
            claims.scopeDate,
            claims.scopeRegion,
            claims.scopeService,
          );
          // An unnormalised (S3-style) signature is refused unless the path needs no normalising.
          const result = verifySignature(signed, claims, key, payloadHash(signed, form));
          expect(result.valid).toBe(false);
        });
        continue;
      }
      if (c.name === 'v4/post-sts-header-after') continue; // covered below
      it(`${c.name} [${form}]`, () => check(c.dir, form));
    }
  }

  it("v4/post-sts-header-after [header]: the token is attached after signing, yet the signature still verifies (the token check is the authenticator's, see allowUnsignedSessionToken)", () => {
    check(join(ROOT, 'v4/post-sts-header-after'), 'header');
  });

  it('v4/post-sts-header-after [query]: does not apply — API Gateway signs every query parameter but X-Amz-Signature, so an unsigned X-Amz-Security-Token in the URL is refused', () => {
    const dir = join(ROOT, 'v4/post-sts-header-after');
    const signed = parseRequest(read(dir, 'query-signed-request.txt'));
    const claims = parseSigV4(signed, PARSE);
    const key = deriveSigningKey(SECRET, claims.scopeDate, claims.scopeRegion, claims.scopeService);
    expect(verifySignature(signed, claims, key, payloadHash(signed, 'query')).valid).toBe(false);
  });
});

describe('removed upstream case: post-unsigned-payload (consistent vector, see README)', () => {
  const dir = join(ROOT, 'extra/aws-c-auth-removed/v4/post-unsigned-payload');
  it('header form verifies with UNSIGNED-PAYLOAD as the payload hash', () => check(dir, 'header'));
  it('query form verifies', () => check(dir, 'query'));
});

describe('smithy-rs double-encoding cases', () => {
  it('double-encode-path: API Gateway @connections path is encoded twice', () => {
    const dir = join(ROOT, 'extra/smithy-rs/v4/double-encode-path');
    const signed = parseRequest(read(dir, 'header-signed-request.txt'));
    const claims = parseSigV4(signed, PARSE);
    const key = deriveSigningKey(
      'notrealrnrELgWzOk3IfjzDKtFBhDby',
      claims.scopeDate,
      claims.scopeRegion,
      claims.scopeService,
    );
    const result = verifySignature(signed, claims, key, payloadHash(signed, 'header'));
    expect(result.canonicalRequest.split('\n')[1]).toBe(
      '/test/%40connections/JBDvjfGEIAMCERw%253D',
    );
    expect(result.valid).toBe(true);
  });

  it('double-url-encode: Lambda-style path with %3A', () => {
    const dir = join(ROOT, 'extra/smithy-rs/v4/double-url-encode');
    const signed = parseRequest(read(dir, 'header-signed-request.txt'));
    const claims = parseSigV4(signed, PARSE);
    const key = deriveSigningKey(SECRET, claims.scopeDate, claims.scopeRegion, claims.scopeService);
    const result = verifySignature(signed, claims, key, payloadHash(signed, 'header'));
    expect(result.canonicalRequest).toBe(read(dir, 'header-canonical-request.txt'));
    expect(result.stringToSign).toBe(read(dir, 'header-string-to-sign.txt').replace(/\n$/, ''));
    expect(result.valid).toBe(true);
  });
});

describe('botocore legacy edition', () => {
  const legacy = join(ROOT, 'legacy-aws4_testsuite');
  function legacyCase(
    dir: string,
    name: string,
  ): { signed: HttpRequest; creq: string; sts: string } {
    const text = read(dir, `${name}.sreq`)
      .replace(/\r\n/g, '\n')
      .replace(/^([A-Za-z-]+): /gm, '$1:');
    return {
      signed: parseRequest(text),
      creq: read(dir, `${name}.creq`).replace(/\r\n/g, '\n'),
      sts: read(dir, `${name}.sts`).replace(/\r\n/g, '\n'),
    };
  }
  for (const name of ['get-vanilla-query-order-key', 'get-vanilla-query-order-value']) {
    it(`${name}: repeated query names sort by value`, () => {
      const { signed, creq, sts } = legacyCase(join(legacy, name), name);
      const claims = parseSigV4(signed, PARSE);
      const key = deriveSigningKey(
        SECRET,
        claims.scopeDate,
        claims.scopeRegion,
        claims.scopeService,
      );
      const result = verifySignature(signed, claims, key, payloadHash(signed, 'header'));
      expect(result.canonicalRequest).toBe(creq);
      expect(result.stringToSign).toBe(sts);
      expect(result.valid).toBe(true);
    });
  }
  it('normalize-path/get-special-character: $ becomes %24', () => {
    const dir = join(legacy, 'normalize-path/get-special-character');
    const name = 'get-special-character';
    expect(existsSync(join(dir, `${name}.sreq`))).toBe(true);
    const { signed, creq } = legacyCase(dir, name);
    const claims = parseSigV4(signed, PARSE);
    const key = deriveSigningKey(SECRET, claims.scopeDate, claims.scopeRegion, claims.scopeService);
    const result = verifySignature(signed, claims, key, payloadHash(signed, 'header'));
    expect(result.canonicalRequest).toBe(creq);
    expect(result.valid).toBe(true);
  });
  it('get-vanilla-with-session-token: the .sreq carries a copied signature and must be refused', () => {
    const name = 'get-vanilla-with-session-token';
    const { signed, creq } = legacyCase(join(legacy, name), name);
    const claims = parseSigV4(signed, PARSE);
    const key = deriveSigningKey(SECRET, claims.scopeDate, claims.scopeRegion, claims.scopeService);
    const result = verifySignature(signed, claims, key, payloadHash(signed, 'header'));
    expect(result.canonicalRequest).toBe(creq);
    expect(result.valid).toBe(false);
  });
});
