// The CLI as a process: stdout, stderr, stdin and exit codes, through the TypeScript sources (and
// through the package's bin, libs/gateway-auth/bin/gateway-auth.js, when `npm run build` has
// produced its dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const LIB = join(ROOT, 'libs', 'gateway-auth');
const BIN = join(LIB, 'bin', 'gateway-auth.js');
const COMPILED = join(LIB, 'dist', 'cli', 'main.js');
const API = 'arn:aws:execute-api:us-east-1:111122223333:petstore';

// Same as bin/gateway-auth.js, but on the sources (no build needed).
const FROM_SOURCES = `require('./libs/gateway-auth/src/cli/main').main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;

function run(args: string[], viaBin = false, input?: string) {
  const argv = viaBin
    ? [BIN, ...args]
    : ['-r', '@swc-node/register', '-e', FROM_SOURCES, '--', ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    timeout: 60000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let policyFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-auth-cli-'));
  policyFile = join(dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/prod/GET/*` }],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const simulate = (resource: string) => [
  'policy',
  'simulate',
  '--policy-input-list',
  `file://${policyFile}`,
  '--action-names',
  'execute-api:Invoke',
  '--resource-arns',
  resource,
];

describe('gateway-auth policy (process)', () => {
  it('simulate prints EvaluationResults and exits 0 when allowed, 1 when denied', () => {
    const allowed = run(simulate(`${API}/prod/GET/pets`));
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({
      EvaluationResults: [
        { EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1' }] },
      ],
    });
    const denied = run(simulate(`${API}/prod/POST/pets`));
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout).EvaluationResults[0].EvalDecision).toBe('implicitDeny');
  });

  it('validate exits 1 listing problems, 2 on usage errors', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"nope","Resource":"*"}}',
    );
    const invalid = run(['policy', 'validate', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('$.Statement.Action');
    expect(run(['policy', 'validate']).code).toBe(2);
  });

  it('validate - reads the policy from standard input', () => {
    const policy = readFileSync(policyFile, 'utf8');
    const valid = run(['policy', 'validate', '-'], false, policy);
    expect(valid.stderr).toBe('');
    expect(valid).toMatchObject({ code: 0, stdout: '-: valid identity policy\n' });
    const invalid = run(['policy', 'validate', '-', '--json'], false, '{"Version": ');
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ valid: false });
  });

  it('simulate reads --policy-input-list - and --context-entries file:// (the aws CLI way)', () => {
    const ctx = join(dir, 'ctx.json');
    writeFileSync(
      ctx,
      JSON.stringify([
        { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' },
      ]),
    );
    const conditional = JSON.stringify({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: `${API}/prod/POST/*`,
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      },
    });
    const args = [
      'policy',
      'simulate',
      '--policy-input-list',
      '-',
      '--action-names',
      'execute-api:Invoke',
      '--resource-arns',
      `${API}/prod/POST/pets`,
      '--context-entries',
      `file://${ctx}`,
    ];
    const r = run(args, false, conditional);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).EvaluationResults[0].EvalDecision).toBe('allowed');
  });

  it('--version, help and --help exit 0; no command prints the help and exits 2', () => {
    const version = (
      JSON.parse(readFileSync(join(LIB, 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = run(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/policy[\s\S]*sign[\s\S]*curl/);
    const policyHelp = run(['policy', '--help']);
    expect(policyHelp.code).toBe(0);
    expect(policyHelp.stdout).toMatch(/simulate[\s\S]*validate/);
    expect(run(['policy', 'help', 'simulate']).stdout).toContain('--context-entries');
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: gateway-auth');
    const unknown = run(['nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command nope/);
  });

  const built = existsSync(COMPILED);
  (built ? it : it.skip)(
    'the built bin (libs/gateway-auth/bin/gateway-auth.js) behaves the same',
    () => {
      expect(run(simulate(`${API}/prod/GET/pets`), true).code).toBe(0);
      expect(run(['policy', 'validate', '-'], true, readFileSync(policyFile, 'utf8')).code).toBe(0);
    },
  );
});
