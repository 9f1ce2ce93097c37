// The cross-machine yardstick every other bench reports against: SHA-256 of a 1 KB string.
import { createHash } from 'node:crypto';
import { measure, report } from './harness';

const input = 'x'.repeat(1024);
const sha = measure('sha256(1 KB)', () => {
  createHash('sha256').update(input).digest('hex');
});
report([sha], sha);
