// Fresh projects installing the packed library from its tarball with a clean `npm install` (the
// npm registry is reached for everything else), as a user's service does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const LIBRARY = join(ROOT, 'libs', 'gateway-auth');
export const CONSUMERS = join(ROOT, 'test', 'fixtures', 'consumers');

/** What `npm pack --json` reports, plus where the tarball is. */
export interface Packed {
  tarball: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: string[];
}

/** Runs a command; throws with its output when it fails. */
export function run(command: string, args: string[], cwd: string, env = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}) in ${cwd}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * `npm pack` of libs/gateway-auth (its `prepack` build skipped: CI has just run `npm run build`,
 * and the test checks that dist/ is there and no older than the sources).
 */
export function packLibrary(destination: string): Packed {
  const built = join(LIBRARY, 'dist', 'index.js');
  if (newestMtime(join(LIBRARY, 'src')) > mtimeOf(built)) {
    throw new Error('libs/gateway-auth/dist is missing or older than its sources: npm run build');
  }
  const [report] = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], LIBRARY),
  ) as {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
    files: { path: string }[];
  }[];
  if (!report) throw new Error('npm pack reported nothing');
  return {
    tarball: join(destination, report.filename),
    size: report.size,
    unpackedSize: report.unpackedSize,
    entryCount: report.entryCount,
    files: report.files.map((f) => f.path),
  };
}

/** A temporary project: the fixture's files, a package.json, then `npm install`. */
export function createProject(
  name: string,
  fixture: string,
  packageJson: Record<string, unknown>,
): string {
  const dir = mkdtempSync(join(tmpdir(), `gateway-auth-consumer-${name}-`));
  cpSync(join(CONSUMERS, fixture), dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', private: true, ...packageJson }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
  return dir;
}

export function removeProject(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A consumer service started with `node`, until it prints `{"url": ...}`. */
export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

export async function startService(
  cwd: string,
  args: string[],
  env: Record<string, string>,
): Promise<RunningService> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /\{"url":"([^"]+)"\}/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`service exited ${code}:\n${out}\n${err}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Total size in bytes of the files under `dir`. */
export function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Installed packages (names) under a project's node_modules. */
export function installedPackages(dir: string): string[] {
  const modules = join(dir, 'node_modules');
  const names: string[] = [];
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(modules, entry))) names.push(`${entry}/${scoped}`);
    } else names.push(entry);
  }
  return names.sort();
}

export function versionOf(dir: string, pkg: string): string {
  return (
    JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, mtimeOf(path));
  }
  return newest;
}
