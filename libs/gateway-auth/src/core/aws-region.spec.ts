import { isAwsRegion } from './aws-region';

describe('AWS region names', () => {
  it.each([
    'us-east-1',
    'eu-central-2',
    'us-gov-west-1',
    'us-isob-east-1',
    'ap-southeast-5',
    'il-central-1',
  ])('accepts %s', (region) => expect(isAwsRegion(region)).toBe(true));
  it.each(['US-EAST-1', 'us-east', 'useast1', '', 'us-east-1 ', 'us_east_1', 'x'.repeat(100)])(
    'refuses %p',
    (region) => expect(isAwsRegion(region)).toBe(false),
  );
});
