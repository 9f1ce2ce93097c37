import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import type { Logger } from '../logger';
import { FileCredentialProvider } from './file-credential-provider';
import { principalFromArn } from './principal-from-arn';

const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
};

describe('FileCredentialProvider', () => {
  let dir: string;
  const providers: FileCredentialProvider[] = [];
  const open = (file: string, options = {}) => {
    const provider = new FileCredentialProvider(file, { debounceMs: 10, ...options });
    providers.push(provider);
    return provider;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-auth-creds-'));
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the documented JSON contract as written in the issue', () => {
    const file = join(dir, 'iam-credentials.json');
    writeFileSync(
      file,
      JSON.stringify({
        credentials: [
          {
            accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
            secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
            sessionToken: 'optional',
            principal: { arn: 'arn:aws:iam::111122223333:user/alice', tags: { team: 'pets' } },
            policies: [POLICY],
          },
        ],
      }),
    );
    const credential = open(file).getCredential('AKIAIOSFODNN7EXAMPLE');
    expect(credential).toMatchObject({
      sessionToken: 'optional',
      principal: {
        arn: 'arn:aws:iam::111122223333:user/alice',
        accountId: '111122223333',
        type: 'User',
        userName: 'alice',
        tags: { team: 'pets' },
      },
    });
    expect(credential?.identityPolicies).toHaveLength(1);
  });

  it('reads YAML, and derives role-session principals from the ARN', () => {
    const file = join(dir, 'creds.yaml');
    writeFileSync(
      file,
      [
        'credentials:',
        '  - accessKeyId: ASIAEXAMPLE000000001',
        '    secretAccessKey: role-secret-0000000000',
        '    sessionToken: tok',
        '    principal:',
        '      arn: arn:aws:sts::111122223333:assumed-role/Reader/session-1',
      ].join('\n'),
    );
    expect(open(file).getCredential('ASIAEXAMPLE000000001')?.principal).toMatchObject({
      type: 'AssumedRole',
      roleArn: 'arn:aws:iam::111122223333:role/Reader',
      userId: 'Reader:session-1',
    });
  });

  it('reports every invalid field with its JSON path, never the secret', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        credentials: [
          {
            accessKeyId: 'lower',
            secretAccessKey: 'short-secret-xyz9',
            principal: { arn: 'nope' },
          },
          {
            accessKeyId: 'AKIAOK00000000000001',
            secretAccessKey: 'a-long-enough-secret-value',
            principal: { arn: 'arn:aws:iam::111122223333:user/x', tags: { a: 1 } },
            policies: [
              {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Maybe', Action: 'x:y', Resource: '*' }],
              },
            ],
          },
        ],
      }),
    );
    let error: ConfigError | undefined;
    try {
      open(file);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = error!.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.credentials[0].accessKeyId',
        '$.credentials[0].principal.arn',
        '$.credentials[1].principal.tags',
      ]),
    );
    expect(paths.some((p) => p.startsWith('$.credentials[1].policies[0]'))).toBe(true);
    expect(error!.message).not.toContain('short-secret-xyz9');
    expect(error!.message).not.toContain('a-long-enough-secret-value');
  });

  it('a syntax error names the position, not the content', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"credentials": [{"secretAccessKey": "top-secret-value" ');
    expect(() => open(file)).toThrow(ConfigError);
    try {
      open(file);
    } catch (e) {
      expect((e as Error).message).not.toContain('top-secret-value');
    }
  });

  it('hot-reloads on change (also an atomic rename), and keeps the last good set on a bad write', async () => {
    const file = join(dir, 'creds.json');
    const doc = (id: string) =>
      JSON.stringify({
        credentials: [
          {
            accessKeyId: id,
            secretAccessKey: 'secret-0000000000000000',
            principal: { arn: 'arn:aws:iam::111122223333:user/u' },
            policies: [POLICY],
          },
        ],
      });
    writeFileSync(file, doc('AKIAFIRST00000000001'));
    const records: string[] = [];
    const logger: Logger = { log: (_level, event) => records.push(event) };
    const provider = open(file, { logger });
    const reloaded = () => new Promise<void>((resolve) => provider.onReload(resolve));

    let next = reloaded();
    writeFileSync(file, doc('AKIASECOND0000000001'));
    await next;
    expect(provider.getCredential('AKIASECOND0000000001')).toBeDefined();
    expect(provider.getCredential('AKIAFIRST00000000001')).toBeUndefined();

    next = reloaded();
    writeFileSync(join(dir, 'tmp.json'), doc('AKIATHIRD00000000001'));
    renameSync(join(dir, 'tmp.json'), file);
    await next;
    expect(provider.getCredential('AKIATHIRD00000000001')).toBeDefined();

    writeFileSync(file, '{"credentials": [{"accessKeyId": 1}]}');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (records.includes('iam.credentials.reload_rejected')) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    expect(provider.getCredential('AKIATHIRD00000000001')).toBeDefined();
  });

  it('an unreadable file is a ConfigError', () => {
    expect(() => open(join(dir, 'missing.json'))).toThrow(/cannot read: ENOENT/);
  });
});

describe('principalFromArn', () => {
  it.each([
    [
      'arn:aws:iam::111122223333:user/division/alice',
      { type: 'User', userName: 'alice', accountId: '111122223333' },
    ],
    ['arn:aws:iam::111122223333:root', { type: 'Account', defaultUserId: '111122223333' }],
    [
      'arn:aws:sts::111122223333:federated-user/bob',
      { type: 'FederatedUser', defaultUserId: '111122223333:bob' },
    ],
    [
      'arn:aws-cn:sts::111122223333:assumed-role/R/S',
      { type: 'AssumedRole', roleArn: 'arn:aws-cn:iam::111122223333:role/R' },
    ],
  ])('%s', (arn, expected) => {
    expect(principalFromArn(arn)).toMatchObject(expected);
  });
  it.each([
    'arn:aws:iam::1234:user/a',
    'arn:aws:iam::111122223333:role/R',
    'arn:aws:s3:::bucket',
    'user/alice',
  ])('refuses %s', (arn) => {
    expect(principalFromArn(arn)).toBeUndefined();
  });
});
