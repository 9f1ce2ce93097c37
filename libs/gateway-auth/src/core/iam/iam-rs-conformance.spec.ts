// External fixtures from the MIT-licensed iam-rs crate (test/fixtures/iam-rs, see its README):
// 64 valid policies, 5 evaluation cases and 146 ARNs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileArnPattern, looksLikeArn } from './arn-pattern';
import { compilePolicy, evaluatePolicies, validatePolicy, type Decision } from '.';

const DIR = join(__dirname, '../../../../../test/fixtures/iam-rs');
const json = (path: string): unknown => JSON.parse(readFileSync(join(DIR, path), 'utf8'));

interface IamRsRequest {
  result: 'Allow' | 'Deny' | 'NotApplicable';
  request: {
    Principal: { AWS: string };
    Action: string;
    Resource: string;
    Context: Record<string, string>;
  };
  policy: unknown;
}

const DECISION: Record<IamRsRequest['result'], Decision> = {
  Allow: 'allowed',
  Deny: 'explicitDeny',
  NotApplicable: 'implicitDeny',
};

describe('iam-rs conformance data (MIT, test/fixtures/iam-rs)', () => {
  const policies = readdirSync(join(DIR, 'policies')).filter((f) => f.endsWith('.json'));

  it.each(policies)('policies/%s is a valid identity policy', (file) => {
    expect(validatePolicy(json(`policies/${file}`))).toEqual([]);
  });

  it.each(readdirSync(join(DIR, 'requests')).filter((f) => f.endsWith('.json')))(
    'requests/%s decides as iam-rs expects',
    (file) => {
      const c = json(`requests/${file}`) as IamRsRequest;
      const arn = c.request.Principal.AWS;
      const accountId = arn.split(':')[4] ?? '';
      const result = evaluatePolicies(
        { identityPolicies: [compilePolicy(c.policy, file)] },
        {
          principal: { arn, accountId, type: 'User' },
          action: c.request.Action,
          resource: c.request.Resource,
          context: c.request.Context,
        },
      );
      expect(result.decision).toBe(DECISION[c.result]);
    },
  );

  it('every ARN in arns.json is an ARN that matches itself as a Resource pattern', () => {
    const arns = json('arns.json') as string[];
    expect(arns.length).toBe(146);
    for (const arn of arns) {
      expect(looksLikeArn(arn)).toBe(true);
      expect(compileArnPattern(arn)(arn)).toBe(true);
      expect(
        validatePolicy({
          Version: '2012-10-17',
          Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: arn },
        }),
      ).toEqual([]);
    }
  });
});
