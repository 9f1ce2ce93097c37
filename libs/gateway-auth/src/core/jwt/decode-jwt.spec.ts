// decodeJwt's strict base64url (base64url.ts checks every character against the alphabet before
// decoding): every character outside it, at every position, in every segment, is refused.
import { randomBytes } from 'node:crypto';
import { decodeJwt, HeaderMemo, type DecodeJwtOptions } from './decode-jwt';
import { JwtRejection } from './jwt-rejection';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEADER = Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url');
const PAYLOAD = Buffer.from('{"exp":1}').toString('base64url');

function code(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof JwtRejection)) throw error;
    return error.code;
  }
}

/** Every way of putting `ch` into `segment`: inserted at each position, or replacing a character. */
function mutations(segment: string, ch: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= segment.length; i++) {
    out.push(segment.slice(0, i) + ch + segment.slice(i));
    if (i < segment.length) out.push(segment.slice(0, i) + ch + segment.slice(i + 1));
  }
  return out;
}

// Without options, and as a verifier calls it (with a header memo).
const setups: Array<[string, () => DecodeJwtOptions]> = [
  ['plain', () => ({})],
  ['header memo', () => ({ headerCache: new HeaderMemo(4) })],
];

describe.each(setups)('decodeJwt (%s)', (_name, setup) => {
  const options = setup();
  const decode = (token: string): unknown => decodeJwt(token, options);

  it('accepts canonical base64url of every length and decodes it exactly', () => {
    for (let n = 1; n <= 40; n++) {
      const bytes = randomBytes(n);
      const jwt = decodeJwt(`${HEADER}.${PAYLOAD}.${bytes.toString('base64url')}`, options);
      expect(jwt.signature.equals(bytes)).toBe(true);
    }
  });

  it('refuses every ASCII character outside the alphabet, anywhere in a segment', () => {
    const outside: string[] = [];
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      if (!ALPHABET.includes(ch) && ch !== '.') outside.push(ch);
    }
    expect(outside).toHaveLength(128 - 64 - 1);
    let checked = 0;
    const accepted: string[] = [];
    for (let n = 1; n <= 9; n++) {
      const signature = Buffer.alloc(n, 0xa5).toString('base64url');
      for (const ch of outside) {
        for (const bad of mutations(signature, ch)) {
          checked++;
          if (code(() => decode(`${HEADER}.${PAYLOAD}.${bad}`)) !== 'TOKEN_MALFORMED') {
            accepted.push(`signature ${JSON.stringify(bad)}`);
          }
        }
        for (const bad of mutations(PAYLOAD, ch)) {
          checked++;
          if (code(() => decode(`${HEADER}.${bad}.${signature}`)) !== 'TOKEN_MALFORMED') {
            accepted.push(`payload ${JSON.stringify(bad)}`);
          }
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });

  it('refuses characters beyond ASCII, also those whose low byte is in the alphabet', () => {
    const signature = Buffer.alloc(6, 0xa5).toString('base64url');
    // U+012B and U+012D read as "+" and "-" by their low byte; U+0141 as "A"; U+00E9 is Latin-1.
    for (const ch of ['\u012b', '\u012d', '\u0141', '\u00e9', '\u0100', '\ud83d\ude00', '\ud800']) {
      for (const bad of mutations(signature, ch)) {
        expect(code(() => decode(`${HEADER}.${PAYLOAD}.${bad}`))).toBe('TOKEN_MALFORMED');
      }
      expect(code(() => decode(`${HEADER}.${PAYLOAD}${ch}.${signature}`))).toBe('TOKEN_MALFORMED');
    }
  });

  it('refuses padding, whitespace, standard base64 and non-canonical trailing bits', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x01]); // "-_-_AQ" in base64url, "+/+/AQ" in base64
    const good = bytes.toString('base64url');
    expect(code(() => decode(`${HEADER}.${PAYLOAD}.${good}`))).toBeUndefined();
    for (const bad of [
      bytes.toString('base64'),
      `${good}==`,
      `${good}=`,
      `${good.slice(0, 2)}=${good.slice(2)}`,
      ` ${good}`,
      `${good}\n`,
      good.slice(0, -1) + 'R', // "AR": unused bits set
      'A', // one character carries no byte
    ]) {
      expect([bad, code(() => decode(`${HEADER}.${PAYLOAD}.${bad}`))]).toEqual([
        bad,
        'TOKEN_MALFORMED',
      ]);
    }
  });
});

describe('HeaderMemo', () => {
  it('serves the header by its exact text only', () => {
    const memo = new HeaderMemo(2);
    const a = decodeJwt(`${HEADER}.${PAYLOAD}.AAAA`, { headerCache: memo }).header;
    expect(decodeJwt(`${HEADER}.${PAYLOAD}.AAAA`, { headerCache: memo }).header).toBe(a);
    const other = Buffer.from('{"alg":"RS256","kid":"j"}').toString('base64url');
    // Same length as HEADER, one character apart: never the memoized header.
    expect(other.length).toBe(HEADER.length);
    expect(decodeJwt(`${other}.${PAYLOAD}.AAAA`, { headerCache: memo }).header.kid).toBe('j');
    expect(decodeJwt(`${HEADER}.${PAYLOAD}.AAAA`, { headerCache: memo }).header).toBe(a);
    // Longer, and starting with the same characters: not taken for the remembered one.
    const longer = Buffer.from('{"alg":"RS256","kid":"kk"}').toString('base64url');
    expect(longer.startsWith(HEADER.slice(0, 28))).toBe(true);
    expect(decodeJwt(`${longer}.${PAYLOAD}.AAAA`, { headerCache: memo }).header.kid).toBe('kk');
  });
});
