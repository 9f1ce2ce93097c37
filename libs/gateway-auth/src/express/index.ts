// `api-gateway-auth/express`: Express middleware (Express 4 and 5). Explicit named exports only.
import type { AuthContext } from '../core/auth-context';

export {
  AUTH_CONTEXT_PROPERTY,
  cognitoAuth,
  customAuthorizer,
  gatewayAuthMiddleware,
  iamAuth,
} from './gateway-auth.middleware';
export { gatewayAuthErrorHandler } from './gateway-auth-error-handler';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** The caller's context, set by the gateway-auth middleware once the request is authorized. */
      gatewayAuth?: AuthContext;
    }
  }
}
