import { ConfigError } from './errors';

/** How a package is loaded; replaced in tests to simulate a missing package. */
export type ModuleLoader = (name: string) => unknown;

// `require` of the CommonJS build (also what ESM consumers load: one implementation, no dual
// package). Never `import()`: optional features are configured synchronously, at boot.
// eslint-disable-next-line @typescript-eslint/no-require-imports, security/detect-non-literal-require -- the package names are ours (literals at each call site)
const nodeRequire: ModuleLoader = (name) => require(name) as unknown;

/**
 * Loads an optional peer dependency: a package only some users need (`ioredis` for the shared
 * decision cache, `@aws-sdk/client-lambda` for deployed authorizers, ...), listed in the package's
 * `peerDependencies` and marked optional in `peerDependenciesMeta`. It is never imported at the top
 * of a module (importing the package has no such cost or requirement), only loaded here when a
 * feature that needs it is configured.
 *
 * To add one: list it in `libs/gateway-auth/package.json` (`peerDependencies` +
 * `peerDependenciesMeta: { "<name>": { "optional": true } }`) and in the root `devDependencies`
 * for the tests, then call `loadOptionalDependency<typeof import('<name>')>('<name>', '<option>')`
 * where the feature is built. Keep its types out of the public `.d.ts` (a small structural
 * interface, as `RedisClient` and `LambdaClientLike` are), so a service that does not install it
 * still type-checks with `skipLibCheck: false`.
 * @param name the package, e.g. `ioredis`
 * @param neededFor the option or feature that needs it, e.g. `cache.redis`
 * @throws ConfigError naming the package and the install command when it is not installed; any
 * other load failure (a broken install) is rethrown as is.
 */
export function loadOptionalDependency<T>(
  name: string,
  neededFor: string,
  load: ModuleLoader = nodeRequire,
): T {
  try {
    return load(name) as T;
  } catch (error) {
    if (!isModuleNotFound(error, name)) throw error;
    throw new ConfigError('api-gateway-auth', [
      {
        path: neededFor,
        message: `needs the package '${name}', which is not installed: npm install ${name}`,
      },
    ]);
  }
}

/**
 * Node's "cannot find module" for `name` itself (not for one of its own dependencies). Duck-typed:
 * a loader in another realm (a test runner's sandbox) throws errors that are not this realm's `Error`.
 */
function isModuleNotFound(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${name}'`)
  );
}
