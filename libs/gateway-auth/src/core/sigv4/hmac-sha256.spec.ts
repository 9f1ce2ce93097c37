// HmacSha256Key against node:crypto's createHmac (the oracle) and RFC 4231's test vectors.
import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256Key } from './hmac-sha256';

describe('HmacSha256Key', () => {
  it('matches RFC 4231 test case 2 (short key)', () => {
    const key = new HmacSha256Key(Buffer.from('Jefe'));
    expect(key.hex('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('matches createHmac for random keys and messages, ASCII, UTF-8 and long ones', () => {
    const messages = [
      '',
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/execute-api/aws4_request\nabc',
      'ünïcödé ✓ 𝄞',
      'x'.repeat(5000),
      'é'.repeat(700),
    ];
    for (const length of [1, 16, 32, 63, 64]) {
      const raw = randomBytes(length);
      const key = new HmacSha256Key(raw);
      for (const message of messages) {
        // Twice: the per-key buffers are reused between calls.
        for (let i = 0; i < 2; i++) {
          expect(key.hex(message)).toBe(createHmac('sha256', raw).update(message).digest('hex'));
        }
      }
    }
  });

  it('refuses keys longer than a block (SigV4 keys are 32 bytes)', () => {
    expect(() => new HmacSha256Key(Buffer.alloc(65))).toThrow(RangeError);
  });
});
