// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html (IAM-RES-02)
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN (IAM-C-05)
import { arnMatchesMasked, compileArnPattern, looksLikeArn } from './arn-pattern';

const API = 'arn:aws:execute-api:us-east-1:111122223333:petstore';

describe('ARN patterns', () => {
  it('recognises the six ARN parts', () => {
    expect(looksLikeArn(`${API}/prod/GET/`)).toBe(true);
    expect(looksLikeArn('arn:aws:s3:::bucket')).toBe(true);
    expect(looksLikeArn('arn:aws:s3::bucket')).toBe(false);
    expect(looksLikeArn('urn:aws:s3:::bucket')).toBe(false);
  });

  it.each([
    ['arn:aws:execute-api:*:*:*', `${API}/prod/GET/pets`, true],
    [`${API}/*`, `${API}/prod/GET/pets/1`, true],
    [`${API}/*/GET/pets`, `${API}/prod/GET/pets`, true],
    [`${API}/*/GET/pets`, `${API}/prod/GET/pets/1`, false],
    ['arn:aws:execute-api:us-*:*:petstore/*', `${API}/prod/GET/pets`, true],
    ['arn:aws:execute-api:eu-*:*:petstore/*', `${API}/prod/GET/pets`, false],
    // A wildcard in one of the first five parts never spans a colon.
    [
      'arn:aws:execute-api:us-east-1:*:petstore/*',
      'arn:aws:execute-api:us-east-1:1:x:petstore/a',
      false,
    ],
    ['arn:aws:execute-api:us-east-1:*:*', 'arn:aws:execute-api:us-east-1:1:x:petstore/a', true],
    ['arn:aws:execute-api:us-east-1:111122223333:petstore', `${API}`, true],
    [`${API}/prod/GET/`, `${API}/prod/GET/`, true],
    ['*', 'not even an arn', true],
  ])('%s vs %s -> %s', (pattern, arn, expected) => {
    expect(compileArnPattern(pattern)(arn)).toBe(expected);
    if (pattern !== '*') expect(arnMatchesMasked(pattern, null, arn)).toBe(expected);
  });

  it('ArnLike differs from StringLike: segments are compared separately (IAM-C-05)', () => {
    const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
    const value =
      'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    expect(compileArnPattern(pattern)(value)).toBe(false);
  });

  it('an ARN with fewer than six parts never matches an ARN pattern', () => {
    expect(compileArnPattern('arn:aws:s3:::*')('arn:aws:s3')).toBe(false);
  });
});
