// Starts a throwaway redis-server (no persistence) on a free localhost port for cache tests. When
// the binary is not installed the suites are skipped — and we say so LOUDLY, because a silently
// skipped cache suite looks like a green one. `.ci/run` installs redis-server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port';
import { describeWhen } from './describe-when';

/** The redis-server binary, or undefined when it is not installed. */
export const redisServerBinary: string | undefined = (() => {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
})();

/** `describe` when redis-server exists, else `describe.skip` after a loud warning. */
export function describeWithRedis(name: string, body: () => void): void {
  describeWhen(
    redisServerBinary !== undefined,
    name,
    'redis-server is not installed',
    'apt-get install -y redis-server',
    body,
  );
}

export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: no goodbye to clients, like a crash) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`). */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

/** Starts redis-server on a free port with persistence off. */
export async function startRedisServer(): Promise<RedisServer> {
  if (!redisServerBinary) throw new Error('redis-server is not installed');
  const binary = redisServerBinary;
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(port, 5000);
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, restart: start, stop: kill };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
