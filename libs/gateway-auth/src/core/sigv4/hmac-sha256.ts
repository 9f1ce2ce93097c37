/**
 * HMAC-SHA256 with a key prepared once (RFC 2104), for the SigV4 signature: one per signing key.
 *
 * Why ours and not `createHmac` (issue 14's rule: the library unless it costs more than 10% on the
 * route it serves). Measured 2026-12-05 on the Fastify `@IamAuth()` route, both implementations in
 * one server, switched between alternating rounds, server CPU per request (docs/benchmarks.md,
 * "Where the time went"): `createHmac` gave 0.88x, 0.92x, 0.90x (30 rounds) and 0.92x
 * (`npm run bench -- own-or-library`) of this class's throughput per CPU-second, 4–7 µs more per
 * request. Per request it builds a native `Hmac` object (a weak handle the collector must
 * finalize), looks the digest up by name under OpenSSL's lock and hashes the key's pads again; in a
 * profile of the running server (perf, 5 kHz) the guard's subtree went from 17.5 to 10.4 µs per
 * request without it. That is at the rule's 10% line rather than within it, and with `createHmac`
 * the route measured 0.77x–0.82x of the `/floor` route per CPU-second, on the edge of issue 14's
 * 0.8x (0.81x–0.94x with this class). An earlier run on a loaded machine (0.89x–0.95x) had
 * replaced it in commit 8839e7e.
 *
 * SHA-256 itself is still node:crypto's; this class only keeps the padded key (the RFC's
 * `K XOR ipad` and `K XOR opad` blocks) between requests. Tested against `createHmac` and RFC 4231.
 * @see https://www.rfc-editor.org/rfc/rfc2104
 */
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: Buffer, encoding: 'hex' | 'latin1') => string;
// `crypto.hash` (Node >= 20.12); older Node 20 releases fall back to createHmac.
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

const BLOCK = 64;
const DIGEST = 32;
/** Room for a string to sign (about 150 bytes) after the key block. */
const SCRATCH = 1024;

/**
 * An HMAC-SHA256 key prepared once: the key XOR-ed with the inner and outer pads, so a MAC costs
 * two one-shot `crypto.hash()` calls on buffers this key owns, no native object and no Buffer per
 * call. Used synchronously (the buffers are reused between calls).
 */
export class HmacSha256Key {
  /** The raw key (what `createHmac` would take). */
  readonly key: Buffer;
  /** `key ^ ipad`, then the message (written per call). */
  private inner: Buffer;
  /** `key ^ opad`, then the inner digest (written per call). */
  private readonly outer: Buffer;
  /** `inner` up to the end of the last message, and that message's length in bytes. */
  private view: Buffer;
  private viewBytes = 0;

  /** @param key at most 64 bytes (SigV4 signing keys are 32). */
  constructor(key: Buffer) {
    if (key.length > BLOCK) throw new RangeError('HMAC key longer than the SHA-256 block');
    this.key = key;
    this.inner = Buffer.alloc(BLOCK + SCRATCH, 0x36);
    this.outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
    for (let i = 0; i < key.length; i++) {
      this.inner[i] = (this.inner[i] as number) ^ (key[i] as number);
      this.outer[i] = (this.outer[i] as number) ^ (key[i] as number);
    }
    this.view = this.inner.subarray(0, BLOCK);
  }

  /** Lower-case hex HMAC-SHA256 of `message` (UTF-8). */
  hex(message: string): string {
    if (oneShot === undefined) {
      return crypto.createHmac('sha256', this.key).update(message).digest('hex');
    }
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (message.length * 3 > this.inner.length - BLOCK) this.grow(message.length * 3);
    const written = this.inner.write(message, BLOCK, 'utf8');
    // A string to sign has the same length on every request: the view is made once, not per call.
    if (written !== this.viewBytes) {
      this.view = this.inner.subarray(0, BLOCK + written);
      this.viewBytes = written;
    }
    // The inner digest as latin1 text (one character per byte) is written back as bytes: no Buffer
    // is allocated per call.
    this.outer.write(oneShot('sha256', this.view, 'latin1'), BLOCK, 'latin1');
    return oneShot('sha256', this.outer, 'hex');
  }

  private grow(bytes: number): void {
    const larger = Buffer.alloc(BLOCK + bytes);
    this.inner.copy(larger, 0, 0, BLOCK);
    this.inner = larger;
    this.viewBytes = -1;
  }
}
