import { runCurl, runSign } from './sign-command';
import { runPolicySimulate, runPolicyValidate } from './policy-command';

/** Exit codes of the `gateway-auth` CLI (documented in docs/cli.md). */
export const EXIT = {
  /** Success (for `policy simulate`: every result was `allowed`... see docs; for curl: 2xx). */
  OK: 0,
  /** The command ran and the answer is negative (a deny, an invalid policy, a non-2xx response). */
  NEGATIVE: 1,
  /** Usage error: unknown command, bad or missing flags, unreadable input. */
  USAGE: 2,
} as const;

const USAGE = `usage: gateway-auth <command> [options]

commands:
  policy simulate   evaluate IAM policies like 'aws iam simulate-custom-policy'
  policy validate   validate an IAM policy document: gateway-auth policy validate FILE
  sign              print a SigV4-signed request (headers or presigned URL)
  curl              sign and send a request with SigV4, like awscurl (--aws-identity: an identity proof)

'gateway-auth <command> --help' shows a command's options.`;

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [first, second, ...rest] = argv;
  try {
    if (first === 'policy' && second === 'simulate') return await runPolicySimulate(rest, io);
    if (first === 'policy' && second === 'validate') return await runPolicyValidate(rest, io);
    if (first === 'sign') return await runSign(argv.slice(1), io);
    if (first === 'curl') return await runCurl(argv.slice(1), io);
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.out(USAGE);
      return first === undefined ? EXIT.USAGE : EXIT.OK;
    }
    io.err(`gateway-auth: unknown command '${argv.join(' ')}'\n\n${USAGE}`);
    return EXIT.USAGE;
  } catch (error) {
    io.err(`gateway-auth: ${(error as Error).message}`);
    return EXIT.USAGE;
  }
}

/** Where the CLI reads and writes; replaced in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  readStdin?: () => Promise<string>;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
};
