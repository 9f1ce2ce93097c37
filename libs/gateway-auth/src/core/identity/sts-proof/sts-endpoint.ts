/** An AWS partition as STS proofs need it: its name (ARNs) and its DNS suffix (endpoints). */
export interface Partition {
  name: string;
  dnsSuffix: string;
}

/**
 * The partition of a region: `cn-*` is `aws-cn` (`amazonaws.com.cn`), `us-gov-*` is `aws-us-gov`,
 * `us-iso-*`/`us-isob-*` the isolated ones, everything else `aws`.
 * @see https://docs.aws.amazon.com/general/latest/gr/rande.html
 */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return { name: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { name: 'aws-us-gov', dnsSuffix: 'amazonaws.com' };
  if (region.startsWith('us-isob-')) return { name: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov' };
  if (region.startsWith('us-iso-')) return { name: 'aws-iso', dnsSuffix: 'c2s.ic.gov' };
  return { name: 'aws', dnsSuffix: 'amazonaws.com' };
}

/** The regional STS host a caller signs for: `sts.<region>.<partition domain>`. */
export function stsHost(region: string): string {
  return `sts.${region}.${partitionOf(region).dnsSuffix}`;
}

/**
 * Where STS requests go: the explicit option, else the AWS SDK's standard endpoint configuration
 * (`AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`), else `undefined` (the region's public
 * endpoint over HTTPS). Whatever the destination, the `Host` header stays the canonical host the
 * caller signed.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 * @throws Error when the configured value is not an http(s) URL without credentials, query or path.
 */
export function stsEndpointOverride(
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): URL | undefined {
  const text = configured ?? nonEmpty(env.AWS_ENDPOINT_URL_STS) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`"${text}" must be an http(s) URL`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new Error(`"${text}" must not carry credentials, a query or a fragment`);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new Error(`"${text}" must not have a path: proofs are signed for "/"`);
  }
  return url;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
