// Two AWS accounts in moto for the identity-proof e2e suite: roles and users with inline,
// attached, group and boundary policies, a reader role in the second account, and the service's
// own IAM user. Seeded through the AWS SDK clients with moto's auth off (x-moto-account-id picks
// the account), used with it on.
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export const API_ACCOUNT = '111122223333';
export const PARTNER_ACCOUNT = '444455556666';
export const API_ARN = `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:petstore/prod`;

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const SEED_KEYS = { accessKeyId: 'AKIASEED000000000001', secretAccessKey: 'seed'.repeat(10) };

const doc = (...statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string, resource: string): object => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
});
const deny = (action: string, resource: string): object => ({
  Effect: 'Deny',
  Action: action,
  Resource: resource,
});
const TRUST_ANYONE = doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' });

function iamIn(endpoint: string, account: string): IAMClient {
  const client = new IAMClient({ endpoint, region: 'us-east-1', credentials: SEED_KEYS });
  client.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

/** What the seeded accounts give the tests. */
export interface SeededAccounts {
  /** The service's own IAM user (reads IAM, assumes reader roles). */
  service: Keys;
  /** Users allowed to assume the test roles, per account. */
  launchers: Record<string, Keys>;
  /** alice: an IAM user of the API's account whose policies come from her group. */
  alice: Keys;
  readerRoleArn: string;
}

/** Creates everything in moto (auth must be off). */
export async function seedAccounts(endpoint: string): Promise<SeededAccounts> {
  const a = iamIn(endpoint, API_ACCOUNT);
  const b = iamIn(endpoint, PARTNER_ACCOUNT);
  const user = async (client: IAMClient, name: string, policy?: string): Promise<Keys> => {
    await client.send(new CreateUserCommand({ UserName: name }));
    if (policy) {
      await client.send(
        new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: policy }),
      );
    }
    const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  };
  const role = async (
    client: IAMClient,
    name: string,
    path = '/',
    inline?: string,
  ): Promise<void> => {
    await client.send(
      new CreateRoleCommand({ RoleName: name, Path: path, AssumeRolePolicyDocument: TRUST_ANYONE }),
    );
    if (inline) {
      await client.send(
        new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline', PolicyDocument: inline }),
      );
    }
  };
  const managed = async (client: IAMClient, name: string, policy: string): Promise<string> => {
    const { Policy } = await client.send(
      new CreatePolicyCommand({ PolicyName: name, PolicyDocument: policy }),
    );
    return Policy!.Arn!;
  };

  const service = await user(
    a,
    'gateway-auth-service',
    doc(allow('iam:Get*', '*'), allow('iam:List*', '*'), allow('sts:AssumeRole', '*')),
  );
  const launchers = {
    [API_ACCOUNT]: await user(a, 'launcher', doc(allow('sts:AssumeRole', '*'))),
    [PARTNER_ACCOUNT]: await user(b, 'launcher', doc(allow('sts:AssumeRole', '*'))),
  };

  // Same account. orders-task: an inline allow of GET /pets, under a path (/svc/).
  await role(a, 'orders-task', '/svc/', doc(allow('execute-api:Invoke', `${API_ARN}/GET/pets`)));
  await a.send(
    new TagRoleCommand({ RoleName: 'orders-task', Tags: [{ Key: 'team', Value: 'orders' }] }),
  );
  // denied-task: an attached policy allows everything, an inline one denies GET /pets.
  const invokeAll = await managed(a, 'invoke-all', doc(allow('execute-api:Invoke', '*')));
  await role(a, 'denied-task', '/', doc(deny('execute-api:Invoke', `${API_ARN}/GET/pets`)));
  await a.send(new AttachRolePolicyCommand({ RoleName: 'denied-task', PolicyArn: invokeAll }));
  // bounded-task: allowed everything, but its boundary allows only GETs.
  const getOnly = await managed(
    a,
    'get-only-boundary',
    doc(allow('execute-api:Invoke', `${API_ARN}/GET/*`)),
  );
  await role(a, 'bounded-task', '/', doc(allow('execute-api:Invoke', '*')));
  await a.send(
    new PutRolePermissionsBoundaryCommand({
      RoleName: 'bounded-task',
      PermissionsBoundary: getOnly,
    }),
  );
  // idle-task: no policy at all.
  await role(a, 'idle-task');
  // alice: a user whose rights come from her group (inline GET, attached POST).
  await a.send(new CreateGroupCommand({ GroupName: 'readers' }));
  await a.send(
    new PutGroupPolicyCommand({
      GroupName: 'readers',
      PolicyName: 'get',
      PolicyDocument: doc(allow('execute-api:Invoke', `${API_ARN}/GET/pets`)),
    }),
  );
  const postPets = await managed(
    a,
    'post-pets',
    doc(allow('execute-api:Invoke', `${API_ARN}/POST/pets`)),
  );
  await a.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: postPets }));
  const alice = await user(a, 'alice');
  await a.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'alice' }));

  // The partner account: partner-task allowed everything by its identity policy; partner-idle
  // nothing; the reader role the service assumes to read this account's policies.
  await role(b, 'partner-task', '/', doc(allow('execute-api:Invoke', '*')));
  await role(b, 'partner-idle');
  await role(
    b,
    'gateway-auth-policy-reader',
    '/',
    doc(allow('iam:Get*', '*'), allow('iam:List*', '*')),
  );
  return {
    service,
    launchers,
    alice,
    readerRoleArn: `arn:aws:iam::${PARTNER_ACCOUNT}:role/gateway-auth-policy-reader`,
  };
}

/** Session credentials of `roleArn` (moto's AssumeRole, auth on), as a Lambda or task would hold. */
export async function assumeRole(
  endpoint: string,
  launcher: Keys,
  roleArn: string,
  session: string,
): Promise<Keys> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: launcher });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: session }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}
