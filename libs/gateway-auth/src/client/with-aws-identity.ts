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
 * An AWS SDK v3 client's middleware stack, as little of it as lets every client's stack be passed
 * (smithy's `add` is overloaded per step; the plugin adds one `build` middleware).
 */
export interface MiddlewareStackLike {
  add(middleware: never, options: never): void;
}

type BuildHandler = (args: { request: unknown }) => Promise<unknown>;

/** A plugin for `client.middlewareStack.use()` (structurally smithy's `Pluggable`). */
export interface IdentityPlugin {
  applyToStack(stack: MiddlewareStackLike): void;
}

/**
 * An AWS SDK v3 (smithy) plugin adding `X-Gateway-Auth-Identity` to every request a client sends,
 * for SDK-generated clients of an API served with gateway-auth.
 * @example client.middlewareStack.use(awsIdentityPlugin({ audience }))
 */
export function awsIdentityPlugin(
  options: AwsIdentityProofOptions | AwsIdentityProof,
): IdentityPlugin {
  const proof = options instanceof AwsIdentityProof ? options : new AwsIdentityProof(options);
  const middleware =
    (next: BuildHandler): BuildHandler =>
    async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined)
        request.headers[IDENTITY_PROOF_HEADER] = await proof.header();
      return next(args);
    };
  return {
    applyToStack: (stack) => {
      const add = stack.add.bind(stack) as unknown as (
        m: typeof middleware,
        options: { step: 'build'; name: string },
      ) => void;
      add(middleware, { step: 'build', name: 'gatewayAuthIdentityProof' });
    },
  };
}
