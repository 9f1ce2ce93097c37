// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html (IAM-PRIN-01)
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html (IAM-PRIN-02)
import type { ConfigIssue } from '../errors';
import {
  DIRECT_MATCH,
  MATCH,
  NO_MATCH,
  compilePrincipal,
  matchPrincipal,
  notPrincipalApplies,
} from './principal';
import type { Principal } from './types';

const ACCT = '111122223333';
const alice: Principal = { arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT, type: 'User' };
const session: Principal = {
  arn: `arn:aws:sts::${ACCT}:assumed-role/Ops/s1`,
  accountId: ACCT,
  type: 'AssumedRole',
  roleArn: `arn:aws:iam::${ACCT}:role/Ops`,
};
const root: Principal = { arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, type: 'Account' };

function compile(raw: unknown) {
  const issues: ConfigIssue[] = [];
  const m = compilePrincipal(raw, '$.Principal', issues);
  return { m, issues };
}

describe('Principal matching', () => {
  it.each([
    ['*', alice, MATCH],
    ['*', undefined, MATCH],
    [{ AWS: '*' }, undefined, MATCH],
    [{ AWS: ACCT }, alice, MATCH],
    [{ AWS: ACCT }, undefined, NO_MATCH],
    [{ AWS: `arn:aws:iam::${ACCT}:root` }, session, MATCH],
    [{ AWS: `arn:aws:iam::${ACCT}:root` }, root, MATCH],
    [{ AWS: alice.arn }, alice, DIRECT_MATCH],
    [{ AWS: [alice.arn, '*'] }, alice, DIRECT_MATCH],
    [{ AWS: `arn:aws:iam::${ACCT}:user/Alice` }, alice, NO_MATCH],
    [{ AWS: session.roleArn }, session, MATCH],
    [{ AWS: session.arn }, session, DIRECT_MATCH],
    [{ AWS: '444455556666' }, alice, NO_MATCH],
    [{ AWS: `arn:aws:iam::${ACCT}:role/service-role/Ops` }, session, MATCH],
    [{ Service: 'lambda.amazonaws.com' }, alice, NO_MATCH],
    [{ Federated: 'cognito-identity.amazonaws.com' }, undefined, NO_MATCH],
  ])('%j vs %j -> %s', (raw, principal, expected) => {
    const { m, issues } = compile(raw);
    expect(issues).toEqual([]);
    expect(matchPrincipal(m!, principal)).toBe(expected);
  });

  it.each([
    [`arn:aws:iam::${ACCT}:user/a*`, /partial wildcards/],
    ['arn:aws:iam::*:root', /partial wildcards/],
    ['11112222333', /not an AWS principal/],
    [`arn:aws:iam::${ACCT}:group/devs`, /not an AWS principal/],
    ['', /non-empty/],
  ])('rejects {"AWS": %j}', (value, message) => {
    const { m, issues } = compile({ AWS: value });
    expect(m).toBeUndefined();
    expect(issues[0]?.path).toBe('$.Principal.AWS');
    expect(issues[0]?.message).toMatch(message);
  });

  it.each([
    [['a', 'b']],
    [{}],
    [42],
    [{ Aws: ACCT }],
    [{ AWS: [] }],
    [{ Service: 'not a service' }],
  ])('rejects %j', (raw) => expect(compile(raw).issues.length).toBeGreaterThan(0));

  describe('NotPrincipal: applies unless every identity in the caller chain is listed', () => {
    const listed = (raw: unknown) => compile(raw).m!;
    it('spares a user when the user and the account are listed', () => {
      expect(notPrincipalApplies(listed({ AWS: [alice.arn, ACCT] }), alice)).toBe(false);
    });
    it('still applies when the account is not listed', () => {
      expect(notPrincipalApplies(listed({ AWS: alice.arn }), alice)).toBe(true);
    });
    it('needs the session, the role and the account for an assumed-role session', () => {
      expect(notPrincipalApplies(listed({ AWS: [session.roleArn!, ACCT] }), session)).toBe(true);
      expect(
        notPrincipalApplies(listed({ AWS: [session.arn, session.roleArn!, ACCT] }), session),
      ).toBe(false);
    });
    it('applies to anonymous callers unless "*" is listed', () => {
      expect(notPrincipalApplies(listed({ AWS: ACCT }), undefined)).toBe(true);
      expect(notPrincipalApplies(listed('*'), undefined)).toBe(false);
    });
    it('spares the account root when its account is listed', () => {
      expect(notPrincipalApplies(listed({ AWS: ACCT }), root)).toBe(false);
    });
  });
});
