// Starts moto_server (moto 5, a Python emulator of AWS: STS and IAM here) on a free localhost
// port, with its SigV4 verification turned on, for the identity-proof e2e suites. moto is
// preinstalled on these machines (pip, Python 3.11) but cannot be installed by CI (no PyPI): when
// the binary is missing the suites are skipped, LOUDLY.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { describeWhen } from './describe-when';

/** The moto_server binary (on PATH, or pyenv's shims), or undefined when it is not installed. */
export const motoServerBinary: string | undefined = (() => {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const candidates = [
    found.status === 0 ? found.stdout.trim() : '',
    join(homedir(), '.pyenv', 'shims', 'moto_server'),
  ];
  // A pyenv shim can exist without moto behind it: ask each candidate to answer.
  return candidates.find(
    (path) =>
      path !== '' && spawnSync(path, ['--help'], { stdio: 'ignore', timeout: 20_000 }).status === 0,
  );
})();

/** `describe` when moto_server exists, else `describe.skip` after a loud warning. */
export function describeWithMoto(name: string, body: () => void): void {
  describeWhen(
    motoServerBinary !== undefined,
    name,
    'moto_server (moto 5, Python) is not installed',
    'pip install "moto[server]" — preinstalled on the project machines',
    body,
  );
}

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Turns SigV4 verification (and moto's IAM checks of the caller) on or off. */
  setAuth(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Starts moto_server on a free port and waits until it answers. */
export async function startMotoServer(): Promise<MotoServer> {
  if (!motoServerBinary) throw new Error('moto_server is not installed');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(motoServerBinary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not start on ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async setAuth(on) {
      const response = await fetch(`${url}/moto-api/reset-auth`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: on ? '0' : 'inf',
      });
      if (!response.ok) throw new Error(`moto reset-auth answered ${response.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
