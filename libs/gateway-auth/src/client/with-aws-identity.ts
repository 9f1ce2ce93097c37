import type { BuildMiddleware, Pluggable } from '@smithy/types';
import {
  AwsIdentityProof,
  IDENTITY_PROOF_HEADER,
  type AwsIdentityProofOptions,
} from './aws-identity-proof';

/** The `fetch` signature the wrapper takes and returns. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/**
 * Wraps `fetch` so every request carries the caller's `X-Gateway-Auth-Identity` (one proof reused
 * for `reuseSeconds`, see {@link AwsIdentityProof}).
 * @example
 * const apiFetch = withAwsIdentity({ audience: 'arn:aws:execute-api:us-east-1:111122223333:petstore' });
 * const response = await apiFetch('https://pets.example.com/admin/pets');
 */
export function withAwsIdentity(
  options: AwsIdentityProofOptions | AwsIdentityProof,
  fetchImpl: FetchFunction = globalThis.fetch,
): FetchFunction {
  const proof = options instanceof AwsIdentityProof ? options : new AwsIdentityProof(options);
  return async (input, init) => {
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    headers.set(IDENTITY_PROOF_HEADER, await proof.header());
    return fetchImpl(input, { ...init, headers });
  };
}

/**
 * An AWS SDK v3 (smithy) plugin adding `X-Gateway-Auth-Identity` to every request a client sends,
 * for SDK-generated clients of an API served with gateway-auth.
 * @example client.middlewareStack.use(awsIdentityPlugin({ audience }))
 */
export function awsIdentityPlugin(
  options: AwsIdentityProofOptions | AwsIdentityProof,
): Pluggable<object, object> {
  const proof = options instanceof AwsIdentityProof ? options : new AwsIdentityProof(options);
  const middleware: BuildMiddleware<object, object> = (next) => async (args) => {
    const request = args.request as { headers?: Record<string, string> };
    if (request.headers !== undefined)
      request.headers[IDENTITY_PROOF_HEADER] = await proof.header();
    return next(args);
  };
  return {
    applyToStack: (stack) => {
      stack.add(middleware, { step: 'build', name: 'gatewayAuthIdentityProof' });
    },
  };
}
