// PLACEHOLDER until issue 2's CLI lands.
import type { CliIo } from './main';

export function runPolicySimulate(_args: readonly string[], io: CliIo): Promise<number> {
  io.err('policy simulate: not built yet');
  return Promise.resolve(2);
}

export function runPolicyValidate(_args: readonly string[], io: CliIo): Promise<number> {
  io.err('policy validate: not built yet');
  return Promise.resolve(2);
}
