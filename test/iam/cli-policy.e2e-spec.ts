// The policy CLI as a process: stdout, stderr and exit codes, through the TypeScript sources
// (and through bin/gateway-auth.js when `npm run build` has produced an up-to-date dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'gateway-auth.js');
const COMPILED = join(ROOT, 'dist', 'libs', 'gateway-auth', 'src', 'cli', 'policy-command.js');
const API = 'arn:aws:execute-api:us-east-1:111122223333:petstore';

// Same as bin/gateway-auth.js, but on the sources (no build needed).
const FROM_SOURCES = `require('./libs/gateway-auth/src/cli/main').main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;

function run(args: string[], viaBin = false) {
  const argv = viaBin ? [BIN, ...args] : ['-r', '@swc-node/register', '-e', FROM_SOURCES, ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: ROOT,
    encoding: 'utf8',
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

  const built = existsSync(COMPILED) && !readFileSync(COMPILED, 'utf8').includes('not built yet');
  (built ? it : it.skip)('the built bin/gateway-auth.js behaves the same', () => {
    expect(run(simulate(`${API}/prod/GET/pets`), true).code).toBe(0);
  });
});
