import type { ContextValue } from '../iam';
import { type HttpRequest, headerText } from '../http-request';
import type { CallerIdentity } from '../identity/identity-source';

/**
 * The condition-context keys API Gateway supplies for a SigV4 caller (RP-08, RP-10): time, transport,
 * source IP, user agent and referer when sent, and the principal's keys (`aws:PrincipalArn` is the
 * role ARN for role sessions; `aws:username` only for IAM users; tags as `aws:PrincipalTag/<key>`).
 * @param nowMs the injected clock's time.
 * @param currentTime `nowMs` as ISO 8601 to the second, when the caller has it cached.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export function buildContextKeys(
  request: HttpRequest,
  identity: CallerIdentity,
  nowMs: number,
  currentTime?: string,
): Record<string, ContextValue> {
  const { principal } = identity;
  const keys: Record<string, ContextValue> = {
    'aws:CurrentTime': currentTime ?? new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(nowMs / 1000)),
    'aws:SecureTransport': request.secure ? 'true' : 'false',
    'aws:SourceIp': request.sourceIp,
    'aws:PrincipalArn': principal.roleArn ?? principal.arn,
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalType': principal.type,
    'aws:userid': principal.userId,
  };
  if (principal.userName !== undefined) keys['aws:username'] = principal.userName;
  if (principal.orgId !== undefined) keys['aws:PrincipalOrgID'] = principal.orgId;
  const userAgent = headerText(request.headers['user-agent']);
  if (userAgent !== undefined) keys['aws:UserAgent'] = userAgent;
  const referer = headerText(request.headers['referer']);
  if (referer !== undefined) keys['aws:Referer'] = referer;
  if (identity.temporaryCredentials) {
    keys['aws:MultiFactorAuthPresent'] = 'false';
    if (identity.issuedAtMs !== undefined) {
      keys['aws:TokenIssueTime'] = new Date(identity.issuedAtMs).toISOString();
    }
  }
  for (const tagKey of Object.keys(principal.tags)) {
    keys[`aws:PrincipalTag/${tagKey}`] = principal.tags[tagKey] as string;
  }
  return keys;
}
