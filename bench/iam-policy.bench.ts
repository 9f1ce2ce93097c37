// IAM policy engine throughput (issue 2): (a) one identity policy of 3 statements, (b) 50 policies of
// 10 statements each with wildcards and conditions, both as evaluations/s and as evaluations per
// SHA-256 of a 1 KB string measured in the same run. Targets on 2 cores: (a) >= 1,000,000/s,
// (b) >= 100,000/s.
import { createHash } from 'node:crypto';
import {
  compilePolicy,
  evaluatePolicies,
  type EvaluationRequest,
  type PolicySet,
} from '../libs/gateway-auth/src/core/iam';
import { measure, report } from './harness';

const API = 'arn:aws:execute-api:us-east-1:111122223333:petstore';
const principal = {
  arn: 'arn:aws:iam::111122223333:user/alice',
  accountId: '111122223333',
  type: 'User' as const,
};

const small: PolicySet = {
  identityPolicies: [
    compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/prod/GET/pets/*` },
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${API}/prod/POST/pets` },
          { Effect: 'Deny', Action: 'execute-api:*', Resource: `${API}/prod/DELETE/*` },
        ],
      },
      'small',
    ),
  ],
};

// 50 policies x 10 statements: wildcard actions and resources, string/IP/date/numeric conditions.
const large: PolicySet = {
  identityPolicies: Array.from({ length: 50 }, (_, p) =>
    compilePolicy(
      {
        Version: '2012-10-17',
        Statement: Array.from({ length: 10 }, (_, s) => ({
          Sid: `P${p}S${s}`,
          Effect: s === 9 ? 'Deny' : 'Allow',
          Action:
            s % 2 === 0
              ? 'execute-api:Inv*'
              : ['execute-api:Invoke', 'execute-api:ManageConnections'],
          Resource: [
            `${API}/stage${p}/GET/items/${s}/*`,
            `arn:aws:execute-api:*:*:api${p}/*/POST/*`,
          ],
          Condition: {
            StringLike: { 'aws:PrincipalTag/team': [`team-${s}*`, 'ops-?'] },
            IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] },
            DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
            NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' },
          },
        })),
      },
      `policy-${p}`,
    ),
  ),
};

// The index cannot help when every statement's resource is "*": the worst case, all 500 scanned.
const unindexed: PolicySet = {
  identityPolicies: Array.from({ length: 50 }, (_, p) =>
    compilePolicy(
      {
        Version: '2012-10-17',
        Statement: Array.from({ length: 10 }, (_, s) => ({
          Effect: 'Allow',
          Action: s % 2 === 0 ? 'execute-api:Inv*' : 'execute-api:Invoke',
          Resource: '*',
          Condition: {
            StringLike: { 'aws:PrincipalTag/team': [`team-${p}-${s}*`] },
            IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
          },
        })),
      },
      `star-${p}`,
    ),
  ),
};

const context = {
  'aws:SourceIp': '10.1.2.3',
  'aws:CurrentTime': '2026-11-26T12:00:00Z',
  'aws:PrincipalTag/team': 'team-7-blue',
  'aws:MultiFactorAuthAge': '120',
};
const smallRequest: EvaluationRequest = {
  principal,
  action: 'execute-api:Invoke',
  resource: `${API}/prod/GET/pets/42`,
  context: {},
};
// Allowed by the last policy's statement 7: every statement before it is scanned.
const largeRequest: EvaluationRequest = {
  principal,
  action: 'execute-api:Invoke',
  resource: `${API}/stage49/GET/items/7/detail`,
  context,
};
if (evaluatePolicies(small, smallRequest).decision !== 'allowed')
  throw new Error('bench (a) setup');
if (evaluatePolicies(large, largeRequest).decision !== 'allowed')
  throw new Error('bench (b) setup');

const input = 'x'.repeat(1024);
const sha = measure('sha256(1 KB)', () => {
  createHash('sha256').update(input).digest('hex');
});
const a = measure('(a) 1 policy x 3 statements', () => {
  evaluatePolicies(small, smallRequest);
});
const b = measure('(b) 50 policies x 10 statements, wildcards + conditions', () => {
  evaluatePolicies(large, largeRequest);
});
const c = measure('(c) 50 x 10 all Resource "*" (no index help), implicit deny', () => {
  evaluatePolicies(unindexed, largeRequest);
});
const bExplain = measure('(b) with explain: true', () => {
  evaluatePolicies(large, largeRequest, { explain: true });
});
report([sha, a, b, c, bExplain], sha);
