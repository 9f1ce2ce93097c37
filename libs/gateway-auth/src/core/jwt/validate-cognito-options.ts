import { AWS_REGION_PATTERN_SOURCE } from '../aws-region';
import { ConfigError, type ConfigIssue } from '../errors';
import type { CognitoAuthOptions } from './cognito-options';
import { isJwsAlgorithm } from './verify-signature';

const POOL_ID = new RegExp(`^(${AWS_REGION_PATTERN_SOURCE})_[0-9A-Za-z]+$`);
const LOCAL_POOL_ID = /^[\w-]+_[0-9A-Za-z]+$/;

/**
 * Checks the `cognito` options (or a named authorizer's, under `section`) at boot, listing every
 * problem with its path.
 * @throws ConfigError naming each invalid field.
 */
export function validateCognitoOptions(options: CognitoAuthOptions, section = 'cognito'): void {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path: `${section}.${path}`, message });
  };
  if (options.mode !== undefined && options.mode !== 'rest' && options.mode !== 'http') {
    add('mode', 'must be "rest" or "http"');
  }
  const pools = options.userPools ?? [];
  const issuers = options.issuers ?? [];
  if (pools.length === 0 && issuers.length === 0 && options.alb === undefined) {
    add('userPools', 'configure at least one user pool, OIDC issuer or the alb section');
  }
  pools.forEach((pool, i) => {
    const at = `userPools[${i}]`;
    if (typeof pool.userPoolId !== 'string' || !LOCAL_POOL_ID.test(pool.userPoolId)) {
      add(`${at}.userPoolId`, 'must look like us-east-1_AbCdEf123');
    } else if (
      pool.region === undefined &&
      pool.issuer === undefined &&
      !POOL_ID.test(pool.userPoolId)
    ) {
      add(`${at}.region`, 'cannot be read from the pool id; set region or issuer');
    }
    checkList(`${at}.clientIds`, pool.clientIds, 'app client ids', add);
  });
  issuers.forEach((issuer, i) => {
    const at = `issuers[${i}]`;
    checkUrl(`${at}.issuer`, issuer.issuer, add);
    if (issuer.keySource === undefined) checkUrl(`${at}.jwksUri`, issuer.jwksUri, add);
    checkList(`${at}.audiences`, issuer.audiences, 'audiences', add);
    if (issuer.algorithms !== undefined) {
      if (issuer.algorithms.length === 0) add(`${at}.algorithms`, 'must not be empty');
      issuer.algorithms.forEach((alg, j) => {
        if (!isJwsAlgorithm(alg)) {
          add(
            `${at}.algorithms[${j}]`,
            `unsupported algorithm ${JSON.stringify(alg)} (RS*, PS*, ES* only)`,
          );
        }
      });
    }
  });
  if (options.identityValidationExpression !== undefined) {
    try {
      new RegExp(options.identityValidationExpression);
    } catch (error) {
      add(
        'identityValidationExpression',
        `not a valid regular expression: ${(error as Error).message}`,
      );
    }
  }
  const bearer = options.tokenSource?.bearer;
  if (bearer !== undefined && !['optional', 'required', 'forbidden'].includes(bearer)) {
    add('tokenSource.bearer', 'must be "optional", "required" or "forbidden"');
  }
  const query = options.tokenSource?.query;
  if (query !== undefined && (typeof query !== 'string' || query === '')) {
    add('tokenSource.query', 'must be a query-string parameter name');
  }
  const header = options.tokenSource?.header;
  if (header !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
    add('tokenSource.header', 'must be an HTTP header name');
  }
  if (
    options.scopeMismatchStatus !== undefined &&
    ![401, 403].includes(options.scopeMismatchStatus)
  ) {
    add('scopeMismatchStatus', 'must be 401 or 403');
  }
  checkNumber('clockToleranceSeconds', options.clockToleranceSeconds, 0, 300, add);
  checkNumber('maxTokenLength', options.maxTokenLength, 100, 1_000_000, add);
  checkNumber('jwks.timeoutMs', options.jwks?.timeoutMs, 1, 60_000, add);
  checkNumber('jwks.maxResponseBytes', options.jwks?.maxResponseBytes, 100, 10_000_000, add);
  checkNumber('jwks.refetchIntervalSeconds', options.jwks?.refetchIntervalSeconds, 0, 86_400, add);
  checkNumber('jwks.maxAgeSeconds', options.jwks?.maxAgeSeconds, 1, 7 * 86_400, add);
  if (typeof options.tokenCache === 'object') {
    checkNumber('tokenCache.maxEntries', options.tokenCache.maxEntries, 1, 10_000_000, add);
  }
  const alb = options.alb;
  if (alb !== undefined) {
    if (typeof alb.region !== 'string' || alb.region === '') add('alb.region', 'required');
    if (!Array.isArray(alb.signerArns) || alb.signerArns.length === 0) {
      add('alb.signerArns', 'list the ALB ARNs whose signatures are accepted');
    }
    checkList('alb.clientIds', alb.clientIds, 'client ids', add);
    checkList('alb.issuers', alb.issuers, 'issuers', add);
  }
  if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
}

function checkList(
  path: string,
  value: readonly string[] | null | undefined,
  what: string,
  add: (path: string, message: string) => void,
): void {
  if (value === null) return;
  if (value === undefined) {
    add(path, `required: a list of ${what}, or null to accept any (API Gateway's behaviour)`);
  } else if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((v) => typeof v !== 'string' || v === '')
  ) {
    add(path, `must be a non-empty list of ${what}, or null`);
  }
}

function checkUrl(
  path: string,
  value: unknown,
  add: (path: string, message: string) => void,
): void {
  if (typeof value !== 'string' || !/^https?:\/\/[^\s?#]+$/.test(value)) {
    add(path, 'must be an absolute http(s) URL without query or fragment');
  }
}

function checkNumber(
  path: string,
  value: number | undefined,
  min: number,
  max: number,
  add: (path: string, message: string) => void,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    add(path, `must be a number from ${min} to ${max}`);
  }
}
