// `gateway-auth policy simulate|validate`, driven through the command functions with a fake CliIo.
// Output shape: https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, main, type CliIo } from './main';
import { parseContextEntries, runPolicySimulate, runPolicyValidate } from './policy-command';

const ACCT = '111122223333';
const API = `arn:aws:execute-api:us-east-1:${ACCT}:petstore`;
const identity = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/prod/GET/*` },
    {
      Sid: 'Office',
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: `${API}/prod/POST/*`,
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 'execute-api:*', Resource: `${API}/*/DELETE/*` },
  ],
});

function fakeIo(stdin?: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env: {},
    ...(stdin === undefined ? {} : { readStdin: () => Promise.resolve(stdin) }),
  };
}

interface Output {
  EvaluationResults: {
    EvalActionName: string;
    EvalResourceName: string;
    EvalDecision: string;
    MatchedStatements: {
      SourcePolicyId: string;
      SourcePolicyType: string;
      StartPosition?: { Line: number; Column: number };
    }[];
    MissingContextValues: string[];
    Explanations?: { Matched: boolean; FailedElement?: string; Detail?: string }[];
    Summary?: string;
    PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  }[];
}
const output = (io: { stdout: string[] }): Output => JSON.parse(io.stdout.join('\n')) as Output;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-auth-policy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gateway-auth policy simulate', () => {
  it('prints EvaluationResults for every action x resource', async () => {
    const io = fakeIo();
    const code = await runPolicySimulate(
      [
        '--policy-input-list',
        identity,
        '--action-names',
        'execute-api:Invoke',
        '--resource-arns',
        `${API}/prod/GET/pets`,
        `${API}/prod/DELETE/pets/1`,
        `${API}/prod/POST/pets`,
        '--caller-arn',
        `arn:aws:iam::${ACCT}:user/alice`,
      ],
      io,
    );
    expect(code).toBe(EXIT.NEGATIVE);
    const results = output(io).EvaluationResults;
    expect(results.map((r) => [r.EvalResourceName.slice(API.length), r.EvalDecision])).toEqual([
      ['/prod/GET/pets', 'allowed'],
      ['/prod/DELETE/pets/1', 'explicitDeny'],
      ['/prod/POST/pets', 'implicitDeny'],
    ]);
    expect(results[0]?.MatchedStatements).toEqual([
      expect.objectContaining({
        SourcePolicyId: 'PolicyInputList.1',
        SourcePolicyType: 'none',
        StartPosition: { Line: 1, Column: 38 },
      }),
    ]);
    expect(results[1]?.MatchedStatements[0]?.SourcePolicyId).toBe('PolicyInputList.1');
    expect(results[2]?.MissingContextValues).toEqual(['aws:SourceIp']);
  });

  it('reads file:// policies, context entries and explains (exit 0 when all allowed)', async () => {
    const file = join(dir, 'identity.json');
    writeFileSync(file, JSON.stringify(JSON.parse(identity), null, 2));
    const io = fakeIo();
    const code = await runPolicySimulate(
      [
        '--policy-input-list',
        `file://${file}`,
        '--action-names',
        'execute-api:Invoke',
        '--resource-arns',
        `${API}/prod/POST/pets`,
        '--context-entries',
        'ContextKeyName=aws:SourceIp,ContextKeyValues=10.1.2.3,ContextKeyType=ip',
        '--explain',
      ],
      io,
    );
    expect(code).toBe(EXIT.OK);
    const [result] = output(io).EvaluationResults;
    expect(result?.EvalDecision).toBe('allowed');
    expect(result?.MatchedStatements[0]?.StartPosition).toEqual({ Line: 10, Column: 5 });
    expect(result?.Explanations?.map((e) => e.Matched)).toEqual([false, true, false]);
    expect(result?.Explanations?.[0]).toMatchObject({ FailedElement: 'Resource' });
    expect(result?.Summary).toMatch(/^Allowed: PolicyInputList\.1 statement 1 \(Office\)\.$/);
  });

  it('combines a resource policy by account (RP-03) and honours --resource-owner', async () => {
    const rp = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '444455556666' },
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
        },
      ],
    });
    const run = async (extra: string[]) => {
      const io = fakeIo();
      const code = await runPolicySimulate(
        [
          '--resource-policy',
          rp,
          '--api-arn-prefix',
          API,
          '--action-names',
          'execute-api:Invoke',
          '--resource-arns',
          `${API}/prod/GET/pets`,
          '--caller-arn',
          'arn:aws:iam::444455556666:user/bob',
          '--resource-owner',
          `arn:aws:iam::${ACCT}:root`,
          ...extra,
        ],
        io,
      );
      return { code, result: output(io).EvaluationResults[0] };
    };
    // Cross-account: the resource policy alone is not enough (Table B).
    expect((await run([])).result?.EvalDecision).toBe('implicitDeny');
    const both = await run(['--policy-input-list', identity]);
    expect(both.code).toBe(EXIT.OK);
    expect(both.result?.MatchedStatements.map((m) => m.SourcePolicyType)).toEqual([
      'none',
      'resource',
    ]);
  });

  it('reports the permissions boundary', async () => {
    const io = fakeIo();
    await runPolicySimulate(
      [
        '--policy-input-list',
        identity,
        '--permissions-boundary-policy-input-list',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: { Effect: 'Allow', Action: '*', Resource: `${API}/test/*` },
        }),
        '--action-names',
        'execute-api:Invoke',
        '--resource-arns',
        `${API}/prod/GET/pets`,
      ],
      io,
    );
    const [result] = output(io).EvaluationResults;
    expect(result?.EvalDecision).toBe('implicitDeny');
    expect(result?.PermissionsBoundaryDecisionDetail).toEqual({
      AllowedByPermissionsBoundary: false,
    });
  });

  it('an invalid policy exits 1 naming the JSON path', async () => {
    const io = fakeIo();
    const code = await runPolicySimulate(
      [
        '--policy-input-list',
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"x","Resource":"*"}}',
        '--action-names',
        'a:b',
      ],
      io,
    );
    expect(code).toBe(EXIT.NEGATIVE);
    expect(io.stderr.join('\n')).toMatch(
      /PolicyInputList\.1: 1 problem[\s\S]*\$\.Statement\.Action/,
    );
  });

  it.each([
    [['--action-names', 'a:b'], /--policy-input-list .* is required/],
    [['--policy-input-list', identity], /--action-names is required/],
    [
      ['--policy-input-list', 'not-json', '--action-names', 'a:b'],
      /expected JSON text or file:\/\/PATH/,
    ],
    [['--policy-input-list', 'file:///nonexistent/p.json', '--action-names', 'a:b'], /cannot read/],
    [
      ['--policy-input-list', identity, '--action-names', 'a:b', '--bogus'],
      /unknown option --bogus/,
    ],
    [
      ['--policy-input-list', identity, '--action-names', 'a:b', '--caller-arn', 'bob'],
      /--caller-arn/,
    ],
    [
      ['--policy-input-list', identity, '--action-names', 'a:b', '--resource-owner', 'x'],
      /--resource-owner/,
    ],
    [
      [
        '--policy-input-list',
        identity,
        '--action-names',
        'a:b',
        '--context-entries',
        'ContextKeyName=k,ContextKeyValues=x,ContextKeyType=numeric',
      ],
      /not a valid numeric/,
    ],
  ])('usage error %# exits 2', async (args, message) => {
    const io = fakeIo();
    expect(await runPolicySimulate(args, io)).toBe(EXIT.USAGE);
    expect(io.stderr.join('\n')).toMatch(message);
  });

  it('prints its help with --help', async () => {
    const io = fakeIo();
    expect(await main(['policy', 'simulate', '--help'], io)).toBe(EXIT.OK);
    expect(io.stdout.join('\n')).toMatch(/--context-entries/);
  });
});

describe('--context-entries', () => {
  it('maps AWS CLI shorthand and JSON to string / string[] values', () => {
    expect(
      parseContextEntries([
        'ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.7,ContextKeyType=ip',
        'ContextKeyName=aws:TagKeys,ContextKeyValues=env,team,ContextKeyType=stringList',
        'ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean',
        'ContextKeyName=team,ContextKeyValues=[a,b],ContextKeyType=stringList',
        '[{"ContextKeyName":"aws:CurrentTime","ContextKeyValues":["2026-11-26T12:00:00Z"],"ContextKeyType":"date"}]',
      ]),
    ).toEqual({
      'aws:SourceIp': '203.0.113.7',
      'aws:TagKeys': ['env', 'team'],
      'aws:MultiFactorAuthPresent': 'true',
      team: ['a', 'b'],
      'aws:CurrentTime': '2026-11-26T12:00:00Z',
    });
  });

  it.each([
    'ContextKeyValues=a',
    'ContextKeyName=k,ContextKeyValues=a,b,ContextKeyType=string',
    'ContextKeyName=k,ContextKeyValues=a,ContextKeyType=uuid',
    'ContextKeyName=k,ContextKeyValues=maybe,ContextKeyType=boolean',
    'ContextKeyName=k,ContextKeyValues=300.1.1.1,ContextKeyType=ip',
    'garbage',
    '[not json',
  ])('rejects %s', (entry) => {
    expect(() => parseContextEntries([entry])).toThrow();
  });
});

describe('gateway-auth policy validate', () => {
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };

  it('exits 0 for a valid policy and guesses resource policies from Principal', async () => {
    const io = fakeIo();
    const file = write('rp.json', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `${API}/*` },
      ],
    });
    expect(await main(['policy', 'validate', file], io)).toBe(EXIT.OK);
    expect(io.stdout).toEqual([`${file}: valid resource policy`]);
  });

  it('prints every problem with its JSON path and exits 1', async () => {
    const io = fakeIo();
    const file = write('bad.json', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'allow',
          Action: 'x',
          Resource: `${API}/*`,
          Condition: { StringEqualz: { k: 'v' } },
        },
      ],
    });
    expect(await runPolicyValidate([file], io)).toBe(EXIT.NEGATIVE);
    expect(io.stdout).toEqual([
      `${file}: $.Statement[0].Effect: must be "Allow" or "Deny", got "allow"`,
      `${file}: $.Statement[0].Action: 'x' is not an action (service:Name, e.g. execute-api:Invoke)`,
      `${file}: $.Statement[0].Condition.StringEqualz: unknown condition operator 'StringEqualz'`,
    ]);
  });

  it('prints JSON with --json, reads stdin with -, and reports JSON syntax errors', async () => {
    const io = fakeIo('{"Version": ');
    expect(await runPolicyValidate(['-', '--json'], io)).toBe(EXIT.NEGATIVE);
    expect(JSON.parse(io.stdout.join('\n'))).toMatchObject({
      valid: false,
      issues: [{ path: '$', message: expect.stringMatching(/not valid JSON/) }],
    });
  });

  it('honours --kind', async () => {
    const io = fakeIo();
    const file = write('id.json', {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
    });
    expect(await runPolicyValidate([file, '--kind', 'resource'], io)).toBe(EXIT.NEGATIVE);
    expect(io.stdout[0]).toMatch(/needs Principal or NotPrincipal/);
  });

  it.each([[[]], [['a', 'b']], [['/nonexistent/x.json']], [['x', '--kind', 'weird']]])(
    'usage error %j exits 2',
    async (args) => {
      const io = fakeIo();
      expect(await runPolicyValidate(args, io)).toBe(EXIT.USAGE);
    },
  );
});
