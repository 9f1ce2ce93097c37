import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { parse as ParseYaml } from 'yaml';
import { ConfigError } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { loadOptionalDependency } from '../optional-dependency';
import { compileCredentials } from './compile-credentials';
import type { CredentialProvider, SigV4Credential } from './credential-provider';

/** Options of {@link FileCredentialProvider}. */
export interface FileCredentialProviderOptions {
  /** Reload when the file changes (default true). An invalid new version is logged and ignored. */
  watch?: boolean;
  /** Quiet period before reloading after a change, in ms (default 100). */
  debounceMs?: number;
  /** Where reloads and rejected versions are reported (default: silent). */
  logger?: Logger;
}

/**
 * Credentials from a JSON or YAML file (`.yaml`/`.yml` parsed as YAML with the optional peer
 * dependency `yaml`, anything else as JSON),
 * validated at load and reloaded when the file changes — the documented contract:
 * `{"credentials": [{"accessKeyId", "secretAccessKey", "sessionToken"?, "principal": {"arn", "tags"?},
 * "policies": [...]}]}`. A reload that fails validation keeps the previous credentials.
 * @example iam: { credentials: new FileCredentialProvider('/run/secrets/iam-credentials.json') }
 * @throws ConfigError (at construction) naming the file and every invalid field.
 */
export class FileCredentialProvider implements CredentialProvider {
  /** Absolute path of the file. */
  readonly path: string;
  private credentials: Map<string, SigV4Credential>;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private readonly logger: Logger;
  private readonly debounceMs: number;
  private readonly listeners: Array<() => void> = [];

  constructor(path: string, options: FileCredentialProviderOptions = {}) {
    this.path = resolve(path);
    this.logger = options.logger ?? silentLogger;
    this.debounceMs = options.debounceMs ?? 100;
    this.credentials = this.load();
    if (options.watch !== false) this.startWatching();
  }

  getCredential(accessKeyId: string): SigV4Credential | undefined {
    return this.credentials.get(accessKeyId);
  }

  /** Number of credentials currently loaded. */
  get size(): number {
    return this.credentials.size;
  }

  /** Calls `listener` after each successful reload (tests, metrics). */
  onReload(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Reads and validates the file now.
   * @throws ConfigError and keeps the previous credentials when the file is invalid.
   */
  reload(): void {
    this.credentials = this.load();
    this.logger.log('info', 'iam.credentials.reloaded', {
      file: this.path,
      count: this.credentials.size,
    });
    for (const listener of this.listeners) listener();
  }

  /** Stops watching the file. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private load(): Map<string, SigV4Credential> {
    let text: string;
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's configured file
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      throw new ConfigError(`IAM credentials file ${this.path}`, [
        { path: '$', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}` },
      ]);
    }
    const yaml = /\.ya?ml$/i.test(this.path);
    // YAML files need the optional peer dependency `yaml` (JSON needs nothing).
    const parse: (text: string) => unknown = yaml
      ? loadOptionalDependency<{ parse: typeof ParseYaml }>('yaml', 'iam.credentials (a YAML file)')
          .parse
      : JSON.parse;
    let data: unknown;
    try {
      data = parse(text);
    } catch (error) {
      // Parser messages can quote file content (secrets): report only where the error is.
      const position = /(?:position|line) \d+/.exec(String((error as Error).message));
      const detail = position ? `syntax error at ${position[0]}` : 'syntax error';
      throw new ConfigError(`IAM credentials file ${this.path}`, [
        {
          path: '$',
          message: `not valid ${yaml ? 'YAML' : 'JSON'}: ${detail}`,
        },
      ]);
    }
    return compileCredentials(data, basename(this.path));
  }

  private startWatching(): void {
    // Watch the directory: editors and Kubernetes secret mounts replace the file (rename), which a
    // watch on the file itself would miss.
    const name = basename(this.path);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the configured file's folder
    this.watcher = watch(dirname(this.path), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name && !changed.startsWith('..')) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reloadQuietly(), this.debounceMs);
      this.timer.unref();
    });
    this.watcher.on('error', (error) =>
      this.logger.log('error', 'iam.credentials.watch_failed', {
        file: this.path,
        error: error.message,
      }),
    );
    this.watcher.unref();
  }

  private reloadQuietly(): void {
    try {
      this.reload();
    } catch (error) {
      this.logger.log('error', 'iam.credentials.reload_rejected', {
        file: this.path,
        error: (error as Error).message,
      });
    }
  }
}
