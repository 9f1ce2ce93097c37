// Project Wycheproof JOSE signature vectors (test/fixtures/jwt/wycheproof, Apache-2.0) through our JWS
// pieces: JWKS hygiene + KeyObject import (JwksKeySource), strict decode, algorithm pinning, verify.
// Every `invalid` vector must be refused. `valid` vectors we refuse on purpose are listed with why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../clock';
import { silentLogger } from '../logger';
import { decodeJwt } from './decode-jwt';
import { JwksKeySource } from './jwks-key-source';
import { isJwsAlgorithm, verifyJwsSignature, type JwsAlgorithm } from './verify-signature';

interface Vector {
  tcId: number;
  comment: string;
  jws: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface Group {
  public?: Record<string, unknown>;
  private?: Record<string, unknown>;
  tests: Vector[];
}
const load = (name: string): { testGroups: Group[] } =>
  JSON.parse(
    readFileSync(join(__dirname, '../../../../../test/fixtures/jwt/wycheproof', name), 'utf8'),
  ) as { testGroups: Group[] };
// Signature vectors, and key-set vectors (JWKS hygiene: duplicate kid, wrong use, weak keys).
const file = {
  testGroups: [
    ...load('json_web_signature_test.json').testGroups,
    ...load('json_web_key_test.json').testGroups,
  ],
};

const ALL: JwsAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
];

/** `valid` vectors we refuse by design (see test/fixtures/jwt/README.md and docs/cognito-auth.md). */
const REFUSED_BY_DESIGN: Record<string, (v: Vector, keyJwk: Record<string, unknown>) => boolean> = {
  'HMAC is never accepted (Cognito and HTTP API JWT authorizers are asymmetric only)': (_v, k) =>
    k.kty === 'oct',
  'algorithm pinned to the key: the JWK alg differs from the token alg (tcId 346/347/350/351)': (
    v,
  ) => [346, 347, 350, 351].includes(v.tcId),
  'strict base64url: "?" inside a segment (tcId 372/373, mislabelled upstream)': (v) =>
    [372, 373].includes(v.tcId),
  'compact serialization only (JSON serialization is not a bearer token)': (v) =>
    v.jws.trimStart().startsWith('{'),
  'a JWT payload must be a JSON object (signature checked separately below)': (v) =>
    !payloadIsJsonObject(v.jws),
};

function payloadIsJsonObject(jws: string): boolean {
  try {
    const value: unknown = JSON.parse(
      Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The signature layer alone (key import, pinning, verify) for JWS whose payload is not JSON. */
async function signatureVerifies(jws: string, jwkSet: Record<string, unknown>[]): Promise<boolean> {
  const [h = '', p = '', sig = ''] = jws.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as {
    alg: string;
    kid?: string;
  };
  const source = new JwksKeySource({
    jwksUri: 'https://wycheproof.invalid/jwks.json',
    algorithms: ALL,
    clock: fixedClock(0),
    logger: silentLogger,
    fetchDocument: () => Promise.resolve({ keys: jwkSet }),
  });
  try {
    const key = await source.getKey(header.kid ?? 'default-kid');
    if (!isJwsAlgorithm(header.alg) || !key.algorithms.includes(header.alg)) return false;
    return verifyJwsSignature(
      header.alg,
      key.keyObject,
      `${h}.${p}`,
      Buffer.from(sig, 'base64url'),
    );
  } finally {
    source.close();
  }
}

async function verifies(jws: string, jwkSet: Record<string, unknown>[]): Promise<boolean> {
  const source = new JwksKeySource({
    jwksUri: 'https://wycheproof.invalid/jwks.json',
    algorithms: ALL,
    clock: fixedClock(0),
    logger: silentLogger,
    fetchDocument: () => Promise.resolve({ keys: jwkSet }),
  });
  try {
    const jwt = decodeJwt(jws, { maxLength: 100_000, requireKid: false });
    const alg = jwt.header.alg;
    if (!isJwsAlgorithm(alg)) return false;
    const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : 'default-kid';
    const key = await source.getKey(kid);
    if (!key.algorithms.includes(alg)) return false;
    return verifyJwsSignature(alg, key.keyObject, jwt.signingInput, jwt.signature);
  } catch {
    return false;
  } finally {
    source.close();
  }
}

const cases = file.testGroups.flatMap((group) => {
  const raw = group.public ?? group.private ?? {};
  const set = (Array.isArray(raw.keys) ? raw.keys : [raw]) as Record<string, unknown>[];
  // Our hygiene requires a kid; vectors without one get a default the token (without kid) maps to.
  const published = set.map((k) => ({ kid: 'default-kid', ...k }));
  return group.tests.map((v) => ({ v, published, first: set[0] ?? {} }));
});

describe('Wycheproof JWS vectors', () => {
  it('has the vectors', () => {
    expect(cases.length).toBeGreaterThan(350);
  });

  it.each(
    cases.filter((c) => c.v.result === 'invalid').map((c) => [c.v.tcId, c.v.comment, c] as const),
  )('tcId %d (%s) is refused', async (_id, _comment, c) => {
    expect(await verifies(c.v.jws, c.published)).toBe(false);
  });

  it.each(
    cases.filter((c) => c.v.result === 'valid').map((c) => [c.v.tcId, c.v.comment, c] as const),
  )('tcId %d (%s) is accepted unless refused by design', async (_id, _comment, c) => {
    const reason = Object.entries(REFUSED_BY_DESIGN).find(([, applies]) => applies(c.v, c.first));
    expect({ accepted: await verifies(c.v.jws, c.published), reason: reason?.[0] }).toEqual({
      accepted: reason === undefined,
      reason: reason?.[0],
    });
    if (reason?.[0].startsWith('a JWT payload') === true) {
      expect(await signatureVerifies(c.v.jws, c.published)).toBe(true);
    }
  });
});
