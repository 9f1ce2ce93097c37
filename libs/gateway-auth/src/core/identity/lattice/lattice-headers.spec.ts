import { parseLatticeHeader } from './lattice-headers';

// The formats AWS documents for the headers VPC Lattice adds to requests to HTTP targets
// (aws-identities.md §1.2, https://docs.aws.amazon.com/vpc-lattice/latest/ug/http-targets.html),
// and the variants third-party fixtures show (spaces after `;`, unknown keys, empty values).
describe('parseLatticeHeader', () => {
  const table: [string, string, Record<string, string> | undefined][] = [
    [
      'the documented identity map',
      'Principal=arn:aws:sts::123456789012:assumed-role/Ordering/session;PrincipalOrgID=o-abc123;SessionName=session',
      {
        principal: 'arn:aws:sts::123456789012:assumed-role/Ordering/session',
        principalorgid: 'o-abc123',
        sessionname: 'session',
      },
    ],
    [
      'spaces around entries, unknown keys, empty values (third-party fixture)',
      'Principal=arn:aws:sts::123456789012:assumed-role/Ordering/session; PrincipalOrgID=; PrincipalOrgPaths=; SessionName=session; Type=AWS_IAM',
      {
        principal: 'arn:aws:sts::123456789012:assumed-role/Ordering/session',
        principalorgid: '',
        principalorgpaths: '',
        sessionname: 'session',
        type: 'AWS_IAM',
      },
    ],
    [
      'any order',
      'SessionName=s;Principal=arn:aws:iam::123456789012:user/alice',
      { sessionname: 's', principal: 'arn:aws:iam::123456789012:user/alice' },
    ],
    [
      'escaped semicolons and backslashes in values (identity tags)',
      'principal=arn:aws:iam::123456789012:user/alice;team=a\\;b;path=c\\\\d',
      { principal: 'arn:aws:iam::123456789012:user/alice', team: 'a;b', path: 'c\\d' },
    ],
    [
      'the target header',
      'ServiceArn=arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123;ServiceNetworkArn=arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123;TargetGroupArn=arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123',
      {
        servicearn: 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123',
        servicenetworkarn: 'arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-0123',
        targetgrouparn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123',
      },
    ],
    ['a trailing semicolon', 'a=1;', { a: '1' }],
    ['a value holding =', 'a=b=c', { a: 'b=c' }],
    ['empty', '', {}],
    ['an entry without =', 'Principal', undefined],
    ['an empty key', '=x', undefined],
    ['a key twice (any case)', 'Principal=a;principal=b', undefined],
    ['a dangling escape', 'a=b\\', undefined],
    ['over 8 KiB', `a=${'x'.repeat(8200)}`, undefined],
  ];
  it.each(table)('%s', (_name, value, expected) => {
    const parsed = parseLatticeHeader(value);
    expect(parsed === undefined ? undefined : Object.fromEntries(parsed)).toEqual(expected);
  });
});
