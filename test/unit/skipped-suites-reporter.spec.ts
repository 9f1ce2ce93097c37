// A suite skipped for a missing tool must be visible in a plain `npm test` (no --verbose): jest's
// default reporter drops a fully skipped file's console output when it runs several files, so
// jest.config.js adds test/helpers/skipped-suites-reporter.js (issue 12).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

it('a plain run of several files names the skipped suite, why, and how to install the tool', () => {
  const config = {
    rootDir: ROOT,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', {}] },
    testMatch: ['<rootDir>/test/fixtures/skipped-suites/*.check.ts'],
    reporters: ['default', '<rootDir>/test/helpers/skipped-suites-reporter.js'],
  };
  const run = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--ci'],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } },
  );
  expect(run.status).toBe(0);
  const output = run.stdout + run.stderr;
  expect(output).toContain('1 suite(s) SKIPPED for a missing tool');
  expect(output).toContain(
    '!!! SKIPPING "a suite needing frobnicator": frobnicator is not installed.',
  );
  expect(output).toContain('apt-get install frobnicator');
}, 60_000);
