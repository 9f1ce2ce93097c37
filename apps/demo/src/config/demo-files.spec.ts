// Demo configuration errors are all reported the same way (issue 12): the files the variables name
// are validated with the variables, every problem listed at once, before the app is built.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoConfigError } from './demo-config';
import { loadDemoConfigAndFiles } from './demo-files';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CREDENTIALS = join(ROOT, 'apps', 'demo', 'config', 'iam-credentials.json');
const POLICY = join(ROOT, 'apps', 'demo', 'config', 'resource-policy.json');

let dir: string;
let badPolicy: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'demo-files-'));
  badPolicy = join(dir, 'bad-policy.json');
  writeFileSync(
    badPolicy,
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'allow', Action: 'x', Resource: 'execute-api:/*' }],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function messageOf(env: Record<string, string>): string {
  try {
    loadDemoConfigAndFiles(env, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(DemoConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a DemoConfigError');
}

const VALID = {
  COGNITO_USER_POOL_ID: 'us-east-1_AbC123xyz',
  IAM_CREDENTIALS_FILE: CREDENTIALS,
  RESOURCE_POLICY_FILE: POLICY,
};

describe('loadDemoConfigAndFiles', () => {
  it('accepts the demo files', () => {
    expect(loadDemoConfigAndFiles(VALID, dir).resourcePolicyFile).toBe(POLICY);
  });

  it("lists every problem of an invalid resource policy with its JSON path and the file's path", () => {
    const message = messageOf({ ...VALID, RESOURCE_POLICY_FILE: badPolicy });
    expect(message).toBe(
      [
        'invalid configuration (3 problems):',
        `  RESOURCE_POLICY_FILE: ${badPolicy}: $.Statement[0].Effect: must be "Allow" or "Deny", got "allow"`,
        `  RESOURCE_POLICY_FILE: ${badPolicy}: $.Statement[0].Action: 'x' is not an action (service:Name, e.g. execute-api:Invoke)`,
        `  RESOURCE_POLICY_FILE: ${badPolicy}: $.Statement[0]: needs Principal or NotPrincipal`,
      ].join('\n'),
    );
  });

  it('a missing file names its path', () => {
    expect(messageOf({ ...VALID, RESOURCE_POLICY_FILE: 'nope.json' })).toContain(
      `RESOURCE_POLICY_FILE: cannot read ${join(dir, 'nope.json')} (ENOENT)`,
    );
    expect(messageOf({ ...VALID, IAM_CREDENTIALS_FILE: 'gone.json' })).toContain(
      `IAM_CREDENTIALS_FILE: ${join(dir, 'gone.json')}: cannot read: ENOENT`,
    );
  });

  it('lists invalid variables and invalid files together, in one message', () => {
    const message = messageOf({
      ...VALID,
      PORT: 'x',
      IAM_CREDENTIALS_FILE: 'gone.json',
      RESOURCE_POLICY_FILE: badPolicy,
    });
    expect(message).toMatch(/^invalid configuration \(5 problems\)/);
    expect(message).toMatch(/^ {2}PORT: /m);
    expect(message).toMatch(/^ {2}IAM_CREDENTIALS_FILE: /m);
    expect(message.match(/^ {2}RESOURCE_POLICY_FILE: /gm)).toHaveLength(3);
  });

  it('the demo process prints that list alone, with no stack trace before it, and exits 1', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'apps', 'demo', 'src', 'main.ts')],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          ...VALID,
          RESOURCE_POLICY_FILE: badPolicy,
          PORT: '0',
        },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^gateway-auth demo: invalid configuration \(3 problems\):\n/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
