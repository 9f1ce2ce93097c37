import type { PrincipalType } from '../iam';

/** What an IAM or STS principal ARN says about the caller. */
export interface ArnPrincipal {
  arn: string;
  partition: string;
  accountId: string;
  type: PrincipalType;
  userName?: string;
  /** Role ARN (`arn:aws:iam::acct:role/NAME`) for assumed-role sessions. */
  roleArn?: string;
  roleName?: string;
  sessionName?: string;
  /** Default `aws:userid` when none is configured. */
  defaultUserId: string;
}

const ARN = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/;

/**
 * Derives account, type and names from a principal ARN: IAM user (`arn:aws:iam::ACCT:user/PATH/NAME`),
 * role session (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`), federated user
 * (`arn:aws:sts::ACCT:federated-user/NAME`) or account root (`arn:aws:iam::ACCT:root`).
 * @returns `undefined` when the ARN is none of these.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export function principalFromArn(arn: string): ArnPrincipal | undefined {
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, service, accountId, resource] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (service === 'iam' && resource === 'root') {
    return { arn, partition, accountId, type: 'Account', defaultUserId: accountId };
  }
  const parts = resource.split('/');
  if (service === 'iam' && parts[0] === 'user' && parts.length >= 2) {
    const userName = parts[parts.length - 1] as string;
    if (userName === '') return undefined;
    return { arn, partition, accountId, type: 'User', userName, defaultUserId: userName };
  }
  if (service === 'sts' && parts[0] === 'assumed-role' && parts.length === 3) {
    const roleName = parts[1] as string;
    const sessionName = parts[2] as string;
    if (roleName === '' || sessionName === '') return undefined;
    return {
      arn,
      partition,
      accountId,
      type: 'AssumedRole',
      roleArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      roleName,
      sessionName,
      defaultUserId: `${roleName}:${sessionName}`,
    };
  }
  if (service === 'sts' && parts[0] === 'federated-user' && parts.length === 2 && parts[1]) {
    return {
      arn,
      partition,
      accountId,
      type: 'FederatedUser',
      defaultUserId: `${accountId}:${parts[1]}`,
    };
  }
  return undefined;
}
