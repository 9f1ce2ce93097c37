import type { JwtMode } from './jwt-errors';
import { JwtRejection } from './jwt-rejection';

/** What the claim rules know about the issuer that signed a token. */
export interface IssuerPolicy {
  readonly issuer: string;
  /** `cognito` pools get `token_use` rules in REST mode; `oidc` issuers never do. */
  readonly kind: 'cognito' | 'oidc';
  /** Accepted app clients / audiences; `null` = any (explicit). */
  readonly clientIds: ReadonlySet<string> | null;
}

/**
 * `exp` (required), `nbf` and `iat` (when present) as finite numbers of seconds, checked against
 * `nowSeconds` with `toleranceSeconds` of slack (COG-05, HJWT-02).
 * @throws JwtRejection `TOKEN_BAD_CLAIM`, `TOKEN_EXPIRED`, `TOKEN_NOT_YET_VALID`, `TOKEN_ISSUED_IN_FUTURE`.
 */
export function checkTimeClaims(
  payload: Readonly<Record<string, unknown>>,
  nowSeconds: number,
  toleranceSeconds: number,
): number {
  const { exp, nbf, iat } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new JwtRejection(
      'TOKEN_BAD_CLAIM',
      'exp missing or not a number',
      'the token has no valid exp',
    );
  }
  if (nowSeconds >= exp + toleranceSeconds) {
    throw new JwtRejection(
      'TOKEN_EXPIRED',
      `expired at ${exp}, now ${nowSeconds}`,
      'the token has expired',
    );
  }
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || !Number.isFinite(nbf)) {
      throw new JwtRejection('TOKEN_BAD_CLAIM', 'nbf is not a number');
    }
    if (nbf > nowSeconds + toleranceSeconds) {
      throw new JwtRejection(
        'TOKEN_NOT_YET_VALID',
        `nbf ${nbf} after now ${nowSeconds}`,
        'the token is not valid yet',
      );
    }
  }
  if (iat !== undefined) {
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      throw new JwtRejection('TOKEN_BAD_CLAIM', 'iat is not a number');
    }
    if (iat > nowSeconds + toleranceSeconds) {
      throw new JwtRejection(
        'TOKEN_ISSUED_IN_FUTURE',
        `iat ${iat} after now ${nowSeconds}`,
        'the token was issued in the future',
      );
    }
  }
  return exp;
}

/**
 * The issuer-level rules that do not depend on the route: `token_use` and the app-client check for
 * Cognito pools in REST mode (COG-04/05: `aud` of ID tokens, `client_id` of access tokens), or the
 * HTTP API audience rule (HJWT-02: `aud` if present, else `client_id`).
 * @throws JwtRejection `TOKEN_WRONG_USE`, `TOKEN_WRONG_AUDIENCE` or `TOKEN_BAD_CLAIM`.
 */
export function checkIssuerClaims(
  payload: Readonly<Record<string, unknown>>,
  policy: IssuerPolicy,
  mode: JwtMode,
): void {
  if (mode === 'rest' && policy.kind === 'cognito') {
    const use = payload.token_use;
    if (use === 'id') {
      if (typeof payload.aud !== 'string') {
        throw new JwtRejection('TOKEN_BAD_CLAIM', 'ID token aud missing or not a string');
      }
      if (policy.clientIds && !policy.clientIds.has(payload.aud)) {
        throw new JwtRejection(
          'TOKEN_WRONG_AUDIENCE',
          'ID token aud is not an accepted app client',
        );
      }
    } else if (use === 'access') {
      if (typeof payload.client_id !== 'string') {
        throw new JwtRejection('TOKEN_BAD_CLAIM', 'access token client_id missing or not a string');
      }
      if (policy.clientIds && !policy.clientIds.has(payload.client_id)) {
        throw new JwtRejection(
          'TOKEN_WRONG_AUDIENCE',
          'access token client_id is not an accepted app client',
        );
      }
    } else {
      throw new JwtRejection('TOKEN_WRONG_USE', 'token_use is neither "id" nor "access"');
    }
    return;
  }
  const aud = payload.aud;
  if (aud !== undefined) {
    const list = typeof aud === 'string' ? [aud] : aud;
    if (!Array.isArray(list) || list.some((a) => typeof a !== 'string')) {
      throw new JwtRejection('TOKEN_BAD_CLAIM', 'aud is not a string or an array of strings');
    }
    if (policy.clientIds && !list.some((a: string) => policy.clientIds?.has(a))) {
      throw new JwtRejection(
        'TOKEN_WRONG_AUDIENCE',
        'aud is not an accepted audience',
        'the token does not have a valid audience',
      );
    }
    return;
  }
  const clientId = payload.client_id;
  if (clientId !== undefined && typeof clientId !== 'string') {
    throw new JwtRejection('TOKEN_BAD_CLAIM', 'client_id is not a string');
  }
  if (policy.clientIds && (clientId === undefined || !policy.clientIds.has(clientId))) {
    throw new JwtRejection(
      'TOKEN_WRONG_AUDIENCE',
      'neither aud nor client_id is an accepted audience',
      'the token does not have a valid audience',
    );
  }
}

/** Shared empty list (no allocation per token). */
const NO_SCOPES: readonly string[] = Object.freeze([]);

/** The scopes a token holds: `scope` (space-separated) or, in HTTP mode, `scp` (array or string). */
export function tokenScopes(
  payload: Readonly<Record<string, unknown>>,
  mode: JwtMode,
): readonly string[] {
  const scope = payload.scope;
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  if (scope !== undefined) throw new JwtRejection('TOKEN_BAD_CLAIM', 'scope is not a string');
  if (mode === 'http') {
    const scp = payload.scp;
    if (typeof scp === 'string') return scp.split(' ').filter((s) => s !== '');
    if (Array.isArray(scp)) {
      const list: unknown[] = scp;
      if (list.every((s) => typeof s === 'string')) return list;
    }
    if (scp !== undefined)
      throw new JwtRejection('TOKEN_BAD_CLAIM', 'scp is not a string or string array');
  }
  return NO_SCOPES;
}

/** `cognito:groups` as a list (absent: empty). @throws JwtRejection when not a string array. */
export function tokenGroups(payload: Readonly<Record<string, unknown>>): readonly string[] {
  const groups = payload['cognito:groups'];
  if (groups === undefined) return NO_SCOPES;
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string')) {
    throw new JwtRejection('TOKEN_BAD_CLAIM', 'cognito:groups is not an array of strings');
  }
  return groups as string[];
}

/**
 * Claims as API Gateway hands them to integrations: every value a string (COG-07, HJWT-05). Arrays
 * (Q-COG-3): REST joins with `,` (`"admin,users"`); HTTP renders `[admin users]`. Objects: JSON.
 *
 * Done in place: `payload` (a verifier's own, fresh from `JSON.parse`) becomes the claims object and
 * is frozen. A second object of the same claims cost more than the conversion itself on the cold path
 * (allocation, property adds, then garbage). Read anything needed in its original type first.
 * @returns `payload`, now holding only strings, frozen.
 */
export function stringifyClaimsInPlace(
  payload: Record<string, unknown>,
  mode: JwtMode,
): Readonly<Record<string, string>> {
  // Own names only (`for...in` would also visit enumerable names someone added to Object.prototype).
  const names = Object.keys(payload);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = payload[name];
    if (typeof value === 'string') continue;
    let text: string | undefined;
    if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
    else if (Array.isArray(value)) text = joinScalars(value, mode);
    text ??= JSON.stringify(value);
    // An own `__proto__` (JSON.parse makes it a data property) must stay data, never a prototype.
    if (name === '__proto__') Object.defineProperty(payload, name, { value: text });
    else payload[name] = text;
  }
  return Object.freeze(payload) as Readonly<Record<string, string>>;
}

/** An array of scalars as API Gateway renders it (REST `a,b`; HTTP `[a b]`); `undefined` if nested. */
function joinScalars(values: readonly unknown[], mode: JwtMode): string | undefined {
  const separator = mode === 'rest' ? ',' : ' ';
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'object' && value !== null) return undefined;
    text = i === 0 ? String(value) : text + separator + String(value);
  }
  return mode === 'rest' ? text : `[${text}]`;
}
