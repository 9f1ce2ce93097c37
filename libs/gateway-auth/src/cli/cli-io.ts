import { readFileSync } from 'node:fs';
import type { ConfigError } from '../core/errors';

/** Exit codes of the `gateway-auth` CLI (documented in docs/cli.md). */
export const EXIT = {
  /** Success (for `policy simulate`: every result allowed; for `curl`: a 2xx answer). */
  OK: 0,
  /** The command ran and the answer is negative (a deny, an invalid policy, a non-2xx response). */
  NEGATIVE: 1,
  /** Usage error: unknown command, bad or missing flags, unreadable input. */
  USAGE: 2,
} as const;

/** Where the CLI reads and writes; replaced in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** The whole of standard input (for `-` arguments). Default: the process's stdin. */
  readStdin?: () => Promise<string>;
}

/** A usage problem: printed with the command's help, exit code 2. */
export class UsageError extends Error {}

/** An input policy that does not validate: its problems on stderr, exit code 1. */
export class InvalidPolicy extends Error {
  constructor(readonly error: ConfigError) {
    super(error.message);
  }
}

/** Reads all of the process's standard input. */
export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Resolves the values of a flag the way the aws CLI does: `file://PATH` is the file's text, `-` is
 * standard input (readable once per run), anything else is the value itself.
 */
export class InputReader {
  private stdinUsedBy?: string;

  constructor(private readonly io: CliIo) {}

  /**
   * @param value the flag's value as typed
   * @param flag the flag's name for messages, e.g. `--policy-input-list`
   * @throws UsageError when the file cannot be read or stdin is asked for twice
   */
  async read(value: string, flag: string): Promise<string> {
    if (value === '-') {
      if (this.stdinUsedBy !== undefined) {
        throw new UsageError(`${flag}: standard input (-) is already read by ${this.stdinUsedBy}`);
      }
      this.stdinUsedBy = flag;
      return (this.io.readStdin ?? readProcessStdin)();
    }
    if (!value.startsWith('file://')) return value;
    const path = value.slice('file://'.length);
    try {
      // The user names the file on the command line; reading it is the point.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${path}: ${(error as Error).message}`);
    }
  }

  /** {@link read} for each value of a multi-valued flag. */
  async readAll(values: readonly string[] | undefined, flag: string): Promise<string[]> {
    const texts: string[] = [];
    for (const value of values ?? []) texts.push(await this.read(value, flag));
    return texts;
  }
}
