import type { ApiOptions } from '../api-options';

/**
 * Builds the execute-api ARN API Gateway authorizes a request against (ARN-01/02):
 * `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}` where `path` is the
 * request path as sent, without its leading `/` (the root resource gives a trailing `/`).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
 */
export function buildMethodArn(api: ApiOptions, method: string, path: string): string {
  const resourcePath = path.startsWith('/') ? path.slice(1) : path;
  return `${apiArnPrefix(api)}/${api.stage}/${method.toUpperCase()}/${resourcePath}`;
}

/** `arn:{partition}:execute-api:{region}:{account}:{apiId}` — the part before `/stage/...`. */
export function apiArnPrefix(api: ApiOptions): string {
  return `arn:${api.partition ?? 'aws'}:execute-api:${api.region}:${api.accountId}:${api.apiId}`;
}

/**
 * Masks the account id inside an ARN to its last four digits, as API Gateway does in access-denied
 * messages (SIG-31): `arn:aws:execute-api:us-east-1:********3333:api/prod/GET/pets`.
 */
export function maskAccountInArn(arn: string): string {
  const parts = arn.split(':');
  const account = parts[4];
  if (account === undefined || account.length <= 4) return arn;
  parts[4] = '*'.repeat(account.length - 4) + account.slice(-4);
  return parts.join(':');
}

/** The parts of an execute-api ARN. */
export interface ExecuteApiArnParts {
  partition: string;
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  method: string;
  path: string;
}

/** Parses an execute-api method ARN; `undefined` when the text is not one. */
export function parseMethodArn(arn: string): ExecuteApiArnParts | undefined {
  const match = /^arn:([^:]+):execute-api:([^:]*):([^:]*):([^/]+)\/([^/]+)\/([^/]+)\/(.*)$/.exec(
    arn,
  );
  if (!match) return undefined;
  const [, partition, region, accountId, apiId, stage, method, path] = match;
  if (
    !partition ||
    region === undefined ||
    accountId === undefined ||
    !apiId ||
    !stage ||
    !method ||
    path === undefined
  ) {
    return undefined;
  }
  return { partition, region, accountId, apiId, stage, method, path };
}
