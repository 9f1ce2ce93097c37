import type { DecisionCache as DecisionCacheStore } from '../core/cache/decision-cache';
import type { KeySource as JwtKeySource } from '../core/jwt/key-source';
import type { CredentialProvider as SigV4CredentialProvider } from '../core/sigv4/credential-provider';

// Injection tokens of the pluggable parts, each named like the interface it provides (as
// @nestjs/throttler's `ThrottlerStorage`): `@Inject(DecisionCache) cache: DecisionCache`.

/**
 * Where Lambda-authorizer decisions are cached. Provided by `GatewayAuthModule` from the `cache`
 * options (`store`, else Redis, else in process), or `null` without `authorizers`. Inject it to
 * flush entries; override it (`overrideProvider(DecisionCache)`) to use your own store.
 */
export const DecisionCache = Symbol('api-gateway-auth:DecisionCache');
/** The decision cache interface (`api-gateway-auth`'s `DecisionCache`). */
export type DecisionCache = DecisionCacheStore;

/**
 * Where SigV4 callers' keys come from. Provided from `iam.credentials` (a list becomes a
 * `MemoryCredentialProvider`), or `null` without an `iam` section; a provider overriding it turns
 * `@IamAuth()` routes on with that provider.
 */
export const CredentialProvider = Symbol('api-gateway-auth:CredentialProvider');
/** The credential provider interface (`api-gateway-auth`'s `CredentialProvider`). */
export type CredentialProvider = SigV4CredentialProvider;

/**
 * The verification keys of the one Cognito user pool or OIDC issuer configured (replacing its JWKS
 * fetcher: a shared cache, static keys in tests). `null` by default: each pool or issuer fetches its
 * own JWKS. A key source serves one issuer, so overriding it with several configured is refused at
 * boot (set `keySource` per pool instead).
 */
export const KeySource = Symbol('api-gateway-auth:KeySource');
/** The key source interface (`api-gateway-auth`'s `KeySource`). */
export type KeySource = JwtKeySource;

/** The logger the module built the core with: `options.logger`, else Nest's `Logger`. */
export const GATEWAY_AUTH_LOGGER = Symbol('api-gateway-auth:Logger');
