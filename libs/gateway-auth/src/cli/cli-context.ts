import { Command } from 'commander';
import { ConfigError } from '../core/errors';
import { EXIT, InputReader, InvalidPolicy, UsageError, type CliIo } from './cli-io';

/**
 * One run of the CLI: the commander program every command is registered on (one parser for all
 * commands), where output goes, the `file://`/`-` reader, and the exit code the command set.
 */
export class CliContext {
  readonly program: Command;
  readonly input: InputReader;
  exitCode: number = EXIT.OK;

  constructor(
    readonly io: CliIo,
    version: string,
  ) {
    this.input = new InputReader(io);
    this.program = this.configure(new Command('gateway-auth'), 'gateway-auth')
      .description(
        "AWS API Gateway's authorization, offline: test IAM policies, sign requests with SigV4",
      )
      .version(version, '-V, --version', 'print the version')
      .addHelpText(
        'after',
        '\nexit codes: 0 success, 1 negative answer, 2 usage error (docs/cli.md)',
      );
  }

  /** A command named `name` under `parent` (default: the program), set up like every other. */
  command(name: string, parent: Command = this.program): Command {
    const path = `${fullName(parent)} ${name}`;
    return this.configure(parent.command(name), path);
  }

  /**
   * Runs a command's body: its exit code is kept; a usage error prints the message and the
   * command's help (exit 2), an invalid input policy its problems (exit 1), a missing optional
   * package the install command (exit 2).
   */
  async run(command: Command, body: () => Promise<number>): Promise<void> {
    const name = fullName(command);
    try {
      this.exitCode = await body();
    } catch (error) {
      if (error instanceof UsageError) {
        this.io.err(`${name}: ${error.message}\n\n${command.helpInformation().trimEnd()}`);
        this.exitCode = EXIT.USAGE;
      } else if (error instanceof InvalidPolicy) {
        this.io.err(`${name}: ${error.message}`);
        this.exitCode = EXIT.NEGATIVE;
      } else if (error instanceof ConfigError) {
        this.io.err(`${name}: ${error.message}`);
        this.exitCode = EXIT.USAGE;
      } else throw error;
    }
  }

  private configure(command: Command, path: string): Command {
    return command
      .exitOverride()
      .showHelpAfterError()
      .configureOutput({
        writeOut: (text) => this.io.out(text.replace(/\n$/, '')),
        writeErr: (text) => this.io.err(text.replace(/\n$/, '')),
        // commander's "error: unknown option '--x'" as "gateway-auth policy simulate: unknown option --x"
        outputError: (text, write) =>
          write(`${path}: ${text.replace(/^error: /, '').replace(/'([^'\s]+)'/g, '$1')}`),
      });
  }
}

function fullName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
