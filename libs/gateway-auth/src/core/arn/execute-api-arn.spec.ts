import { buildMethodArn, maskAccountInArn, parseMethodArn } from './execute-api-arn';

const api = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };

describe('execute-api ARN (ARN-01, ARN-02)', () => {
  it('uses the actual path without the leading slash', () => {
    expect(buildMethodArn(api, 'get', '/pets/a1b2')).toBe(
      'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/pets/a1b2',
    );
  });
  it('gives the root resource a trailing slash', () => {
    expect(buildMethodArn(api, 'GET', '/')).toBe(
      'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/',
    );
  });
  it('honours the partition', () => {
    expect(buildMethodArn({ ...api, partition: 'aws-cn' }, 'GET', '/x')).toMatch(/^arn:aws-cn:/);
  });
  it('masks the account to its last four digits (SIG-31)', () => {
    expect(maskAccountInArn(buildMethodArn(api, 'GET', '/pets'))).toBe(
      'arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/pets',
    );
  });
  it('parses what it builds', () => {
    expect(parseMethodArn(buildMethodArn(api, 'POST', '/a/b'))).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      accountId: '111122223333',
      apiId: 'petstore',
      stage: 'prod',
      method: 'POST',
      path: 'a/b',
    });
    expect(parseMethodArn('arn:aws:s3:::bucket')).toBeUndefined();
  });
});
