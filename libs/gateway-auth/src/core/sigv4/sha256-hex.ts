import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: string | Buffer, encoding: 'hex') => string;
// `crypto.hash` (Node >= 20.12) hashes in one call, about twice as fast as createHash() for the
// short inputs SigV4 hashes; older Node 20 releases fall back to createHash().
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/** Lower-case hex SHA-256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Buffer): string {
  if (oneShot !== undefined) return oneShot('sha256', data, 'hex');
  return crypto.createHash('sha256').update(data).digest('hex');
}
