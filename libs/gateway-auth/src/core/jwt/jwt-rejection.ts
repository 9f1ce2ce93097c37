import type { JwtErrorCode } from './jwt-errors';

/**
 * Why a token was refused, thrown by the pure verification steps (decode, signature, claims). The
 * authenticator turns it into API Gateway's response for the configured mode; `reason` goes to the
 * log only and never contains the token.
 */
export class JwtRejection extends Error {
  readonly code: JwtErrorCode;
  /** The HTTP API `www-authenticate` `error_description` (HJWT-03), when one fits. */
  readonly description: string | undefined;

  constructor(code: JwtErrorCode, reason: string, description?: string, cause?: unknown) {
    super(reason, cause === undefined ? undefined : { cause });
    this.name = 'JwtRejection';
    this.code = code;
    this.description = description;
  }
}
