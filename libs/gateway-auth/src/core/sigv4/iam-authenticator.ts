// PLACEHOLDER until issue 3 lands: refuses everything (fail closed).
import type { AuthContext } from '../auth-context';
import type { Authenticator, SharedServices } from '../authenticator';
import { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';

/** Options of the AWS_IAM (SigV4) model. */
export interface IamAuthOptions {
  /** Maps access key ids to secrets and principals. */
  credentials: unknown;
}

/** Per-route options of `@IamAuth()`. */
export type IamRouteOptions = Record<string, never>;

export class IamAuthenticator implements Authenticator<IamRouteOptions> {
  constructor(
    readonly options: IamAuthOptions,
    readonly shared: SharedServices,
  ) {}

  authenticate(_request: HttpRequest, _route: IamRouteOptions): Promise<AuthContext> {
    return Promise.reject(
      new AuthError('NOT_IMPLEMENTED', {
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
        message: null,
        reason: 'IAM authentication not built yet',
        category: 'infrastructure',
      }),
    );
  }
}
