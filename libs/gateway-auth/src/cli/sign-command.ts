// PLACEHOLDER until issue 3's CLI lands.
import type { CliIo } from './main';

export function runSign(_args: readonly string[], io: CliIo): Promise<number> {
  io.err('sign: not built yet');
  return Promise.resolve(2);
}

export function runCurl(_args: readonly string[], io: CliIo): Promise<number> {
  io.err('curl: not built yet');
  return Promise.resolve(2);
}
