import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { CliContext } from './cli-context';
import { EXIT, type CliIo } from './cli-io';
import { policyCommand } from './policy-command';
import { signCommands } from './sign-command';

export { EXIT, type CliIo } from './cli-io';

/** The package's version (dist/cli/ and src/cli/ both sit two levels below package.json). */
function packageVersion(): string {
  const file = join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Runs the `gateway-auth` CLI (docs/cli.md) on `argv` (the arguments after the command name);
 * resolves with the process exit code.
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const cli = new CliContext(io, packageVersion());
  policyCommand(cli);
  signCommands(cli);
  if (argv.length === 0) {
    io.out(cli.program.helpInformation().trimEnd());
    return EXIT.USAGE;
  }
  try {
    await cli.program.parseAsync(argv, { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      io.err(`gateway-auth: ${(error as Error).message}`);
      return EXIT.USAGE;
    }
    // Help and --version exit 0; every parsing error (already printed, with the help) is usage.
    return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
};
