// Optional peer dependencies are loaded only when a feature needs them, and a missing one is a
// ConfigError naming the package and the install command (issue 12).
import { ConfigError } from './errors';
import { loadOptionalDependency } from './optional-dependency';

function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- x.js`), {
    code: 'MODULE_NOT_FOUND',
  });
}

describe('loadOptionalDependency', () => {
  it('returns the package when it is installed', () => {
    expect(loadOptionalDependency<{ sep: string }>('node:path', 'x').sep).toBe('/');
  });

  it('names the package, the option that needs it and the install command when it is missing', () => {
    let thrown: unknown;
    try {
      loadOptionalDependency('ioredis', 'cache.redis', () => {
        throw notFound('ioredis');
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues).toEqual([
      {
        path: 'cache.redis',
        message: "needs the package 'ioredis', which is not installed: npm install ioredis",
      },
    ]);
  });

  it("rethrows a broken install (one of the package's own dependencies missing) as is", () => {
    const broken = notFound('cluster-key-slot');
    expect(() =>
      loadOptionalDependency('ioredis', 'cache.redis', () => {
        throw broken;
      }),
    ).toThrow(broken);
  });

  it('a package that really is not installed', () => {
    expect(() => loadOptionalDependency('no-such-package-gateway-auth', 'feature')).toThrow(
      /needs the package 'no-such-package-gateway-auth'.*npm install no-such-package-gateway-auth/,
    );
  });
});
