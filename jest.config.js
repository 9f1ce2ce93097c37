/** Jest: unit specs sit next to the source, e2e specs under test/. SWC compiles TypeScript (with
 * decorator metadata, which Nest's dependency injection needs) far faster than ts-jest. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The library by its package name, as the demo and users import it, from its sources: each
  // subpath (`api-gateway-auth/nest`...) is the folder of the same name (libs/gateway-auth/package.json).
  moduleNameMapper: {
    '^api-gateway-auth$': '<rootDir>/libs/gateway-auth/src',
    '^api-gateway-auth/(.*)$': '<rootDir>/libs/gateway-auth/src/$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/libs/gateway-auth/dist', '<rootDir>/dist'],
};
module.exports = {
  // The default reporter, then why suites were skipped (see test/helpers/skipped-suites-reporter.js).
  reporters: ['default', '<rootDir>/test/helpers/skipped-suites-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testTimeout: 60000,
    },
    {
      // The packed library in fresh projects installed from the npm registry (npm run test:package).
      ...common,
      displayName: 'package',
      testMatch: ['<rootDir>/test/package/**/*.package-spec.ts'],
      testTimeout: 600000,
    },
  ],
};
