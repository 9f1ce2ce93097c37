import { getHeaderValues, type HttpRequest } from '../http-request';
import { JwtRejection } from './jwt-rejection';

const BEARER = /^bearer +/i;

/**
 * Reads the token from the configured header (COG-01 identity source, HJWT-01): a missing or empty
 * header, or one sent several times, is refused; a `Bearer ` prefix is handled per `bearer`.
 * @throws JwtRejection `TOKEN_MISSING` or `TOKEN_MALFORMED`.
 */
export function readToken(
  request: HttpRequest,
  header: string,
  bearer: 'optional' | 'required' | 'forbidden',
): string {
  const values = getHeaderValues(request, header);
  if (values.length === 0) throw new JwtRejection('TOKEN_MISSING', `no ${header} header`);
  if (values.length > 1) {
    throw new JwtRejection('TOKEN_MALFORMED', `${header} header sent ${values.length} times`);
  }
  const raw = (values[0] ?? '').trim();
  const prefixed = BEARER.exec(raw);
  let token = raw;
  if (prefixed) {
    if (bearer === 'forbidden')
      throw new JwtRejection('TOKEN_MALFORMED', 'Bearer prefix not accepted');
    token = raw.slice(prefixed[0].length);
  } else if (bearer === 'required') {
    throw new JwtRejection('TOKEN_MALFORMED', 'Bearer prefix required');
  }
  if (token.length === 0) throw new JwtRejection('TOKEN_MISSING', `empty ${header} header`);
  return token;
}
