/**
 * An AWS region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`...
 * One pattern for every option that names a region (API, Cognito pools), bounded so it cannot
 * backtrack badly.
 */
export const AWS_REGION_PATTERN_SOURCE = '[a-z]{2}-[a-z-]{2,30}-\\d{1,2}';

/** True when `value` looks like an AWS region name. */
export function isAwsRegion(value: unknown): value is string {
  return typeof value === 'string' && AWS_REGION.test(value);
}

const AWS_REGION = new RegExp(`^${AWS_REGION_PATTERN_SOURCE}$`);
