import type { HttpRequest } from '../http-request';
import { JwtRejection } from './jwt-rejection';

/**
 * Reads the token from the configured header (COG-01 identity source, HJWT-01): a missing or empty
 * header, or one sent several times, is refused; a `Bearer ` prefix is handled per `bearer`.
 * @param header the header name, lower case.
 * @throws JwtRejection `TOKEN_MISSING` or `TOKEN_MALFORMED`.
 */
export function readToken(
  request: HttpRequest,
  header: string,
  bearer: 'optional' | 'required' | 'forbidden',
): string {
  const value = request.headers[header];
  let raw: string;
  if (typeof value === 'string') raw = value;
  else if (value === undefined || value.length === 0) {
    throw new JwtRejection('TOKEN_MISSING', `no ${header} header`);
  } else if (value.length > 1) {
    throw new JwtRejection('TOKEN_MALFORMED', `${header} header sent ${value.length} times`);
  } else raw = value[0] as string;
  raw = raw.trim();
  const prefix = bearerPrefixLength(raw);
  let token = raw;
  if (prefix > 0) {
    if (bearer === 'forbidden')
      throw new JwtRejection('TOKEN_MALFORMED', 'Bearer prefix not accepted');
    token = raw.slice(prefix);
  } else if (bearer === 'required') {
    throw new JwtRejection('TOKEN_MALFORMED', 'Bearer prefix required');
  }
  if (token.length === 0) throw new JwtRejection('TOKEN_MISSING', `empty ${header} header`);
  return token;
}

/**
 * Reads the token from the query-string parameter `name` (an HTTP API JWT authorizer's
 * `$request.querystring.<name>` identity source): missing, empty or repeated is refused.
 * @throws JwtRejection `TOKEN_MISSING` or `TOKEN_MALFORMED`.
 */
export function readQueryToken(rawQuery: string, name: string): string {
  const values = new URLSearchParams(rawQuery).getAll(name);
  if (values.length > 1)
    throw new JwtRejection(
      'TOKEN_MALFORMED',
      `query parameter ${name} sent ${values.length} times`,
    );
  const token = (values[0] ?? '').trim();
  if (token.length === 0) throw new JwtRejection('TOKEN_MISSING', `no ${name} query parameter`);
  return token;
}

/** `bearer` in any case. */
const BEARER = [0x62, 0x65, 0x61, 0x72, 0x65, 0x72];

/**
 * Length of a leading `bearer` (any case) and the spaces after it (`/^bearer +/i`), else 0. Checked
 * by character codes: a regular expression costs more than the rest of a cached request.
 */
function bearerPrefixLength(raw: string): number {
  if (raw.length < 7 || raw.charCodeAt(6) !== 0x20) return 0;
  for (let i = 0; i < 6; i++) {
    // `| 0x20` folds A-Z to a-z; no other character folds to these letters.
    if ((raw.charCodeAt(i) | 0x20) !== BEARER[i]) return 0;
  }
  let end = 7;
  while (raw.charCodeAt(end) === 0x20) end++;
  return end;
}
