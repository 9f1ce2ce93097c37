import type * as IamModule from '@aws-sdk/client-iam';
import type { AttachedPolicy, IAMClient, PolicyVersion, Tag } from '@aws-sdk/client-iam';
import { loadOptionalDependency } from '../../optional-dependency';
import type { PolicyText, PrincipalPolicies } from './policy-texts';

export type { PolicyText, PrincipalPolicies } from './policy-texts';

type IamSdk = typeof IamModule;

/** The AWS SDK's IAM client module, loaded at first use (an optional peer dependency). */
export function loadIamSdk(): Promise<IamSdk> {
  return Promise.resolve().then(() =>
    loadOptionalDependency<IamSdk>('@aws-sdk/client-iam', 'iam.identityPolicies (reading IAM)'),
  );
}

/**
 * Reads a role's identity policies: `GetRole` (path, id, tags, boundary), inline policies
 * (`ListRolePolicies` + `GetRolePolicy`), attached managed policies (`ListAttachedRolePolicies` +
 * `GetPolicy` + `GetPolicyVersion` of the default version) and the boundary's document.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
 * @throws the SDK's errors (`NoSuchEntityException`, `AccessDenied`, throttling...).
 */
export async function readRolePolicies(
  sdk: IamSdk,
  iam: IAMClient,
  roleName: string,
): Promise<PrincipalPolicies> {
  const { Role: role } = await iam.send(new sdk.GetRoleCommand({ RoleName: roleName }));
  if (role?.Arn === undefined || role.RoleId === undefined) throw new Error('GetRole: no role');
  const policies = await readInline(
    sdk.paginateListRolePolicies({ client: iam }, { RoleName: roleName }),
    (name) => iam.send(new sdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })),
    role.Arn,
  );
  const attached = await attachedOf(
    sdk.paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }),
  );
  policies.push(...(await readManaged(sdk, iam, attached)));
  const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    kind: 'role',
    arn: role.Arn,
    id: role.RoleId,
    tags: tagRecord(role.Tags),
    policies,
    ...(boundaryArn === undefined
      ? {}
      : { boundary: await readManagedPolicy(sdk, iam, boundaryArn) }),
  };
}

/**
 * Reads a user's identity policies: `GetUser`, inline and attached policies, and those of every
 * group the user belongs to (`ListGroupsForUser`, `ListGroupPolicies` + `GetGroupPolicy`,
 * `ListAttachedGroupPolicies`), and the boundary's document.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
 * @throws the SDK's errors.
 */
export async function readUserPolicies(
  sdk: IamSdk,
  iam: IAMClient,
  userName: string,
): Promise<PrincipalPolicies> {
  const { User: user } = await iam.send(new sdk.GetUserCommand({ UserName: userName }));
  if (user?.Arn === undefined || user.UserId === undefined) throw new Error('GetUser: no user');
  const policies = await readInline(
    sdk.paginateListUserPolicies({ client: iam }, { UserName: userName }),
    (name) => iam.send(new sdk.GetUserPolicyCommand({ UserName: userName, PolicyName: name })),
    user.Arn,
  );
  const attached = await attachedOf(
    sdk.paginateListAttachedUserPolicies({ client: iam }, { UserName: userName }),
  );
  for await (const page of sdk.paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
    for (const group of page.Groups ?? []) {
      const groupName = group.GroupName;
      if (groupName === undefined) continue;
      policies.push(
        ...(await readInline(
          sdk.paginateListGroupPolicies({ client: iam }, { GroupName: groupName }),
          (name) =>
            iam.send(new sdk.GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name })),
          group.Arn ?? groupName,
        )),
      );
      attached.push(
        ...(await attachedOf(
          sdk.paginateListAttachedGroupPolicies({ client: iam }, { GroupName: groupName }),
        )),
      );
    }
  }
  // A managed policy attached both to the user and to one of its groups counts once.
  const unique = [...new Map(attached.map((p) => [p.PolicyArn, p])).values()];
  policies.push(...(await readManaged(sdk, iam, unique)));
  const boundaryArn = user.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    kind: 'user',
    arn: user.Arn,
    id: user.UserId,
    tags: tagRecord(user.Tags),
    policies,
    ...(boundaryArn === undefined
      ? {}
      : { boundary: await readManagedPolicy(sdk, iam, boundaryArn) }),
  };
}

/** Every inline policy a `List*Policies` paginator names, read with `get` (`Get*Policy`). */
async function readInline(
  pages: AsyncIterable<{ PolicyNames?: string[] }>,
  get: (name: string) => Promise<{ PolicyDocument?: string }>,
  owner: string,
): Promise<PolicyText[]> {
  const out: PolicyText[] = [];
  for await (const page of pages) {
    for (const name of page.PolicyNames ?? []) {
      const got = await get(name);
      out.push({ id: `${owner}/inline/${name}`, document: decodeDocument(got.PolicyDocument) });
    }
  }
  return out;
}

/** Every attached managed policy a `ListAttached*Policies` paginator lists. */
async function attachedOf(
  pages: AsyncIterable<{ AttachedPolicies?: AttachedPolicy[] }>,
): Promise<AttachedPolicy[]> {
  const out: AttachedPolicy[] = [];
  for await (const page of pages) out.push(...(page.AttachedPolicies ?? []));
  return out;
}

async function readManaged(
  sdk: IamSdk,
  iam: IAMClient,
  attached: readonly AttachedPolicy[],
): Promise<PolicyText[]> {
  const out: PolicyText[] = [];
  for (const policy of attached) {
    if (policy.PolicyArn !== undefined)
      out.push(await readManagedPolicy(sdk, iam, policy.PolicyArn));
  }
  return out;
}

/** A managed policy's default version (`GetPolicy` + `GetPolicyVersion`). */
async function readManagedPolicy(sdk: IamSdk, iam: IAMClient, arn: string): Promise<PolicyText> {
  const { Policy: policy } = await iam.send(new sdk.GetPolicyCommand({ PolicyArn: arn }));
  const versionId = policy?.DefaultVersionId;
  if (versionId === undefined) throw new Error(`GetPolicy ${arn}: no default version`);
  const { PolicyVersion: version }: { PolicyVersion?: PolicyVersion } = await iam.send(
    new sdk.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }),
  );
  return { id: arn, document: decodeDocument(version?.Document) };
}

/**
 * IAM returns policy documents URL-encoded (RFC 3986); some stand-ins (moto's `GetPolicyVersion`)
 * return them raw. JSON starts with `{` after optional whitespace, which encoded text never does.
 */
export function decodeDocument(document: string | undefined): string {
  if (document === undefined) throw new Error('IAM returned no policy document');
  return document.trimStart().startsWith('{') ? document : decodeURIComponent(document);
}

function tagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined && tag.Value !== undefined) out[tag.Key] = tag.Value;
  }
  return out;
}
