/**
 * The issuers one Cognito/JWT authorizer trusts, built from its options: each user pool or OIDC
 * issuer with its accepted algorithms and clients and the key source its keys come from (a JWKS
 * source made here unless one is supplied; nothing is fetched until the first token).
 */
import type { SharedServices } from '../authenticator';
import type { IssuerPolicy } from './claim-rules';
import type { CognitoAuthOptions } from './cognito-options';
import { JwksKeySource } from './jwks-key-source';
import type { KeySource } from './key-source';
import { isJwsAlgorithm, type JwsAlgorithm } from './verify-signature';

/** One trusted issuer: the claim rules' view of it, its algorithms and its keys. */
export interface IssuerEntry extends IssuerPolicy {
  readonly algorithms: readonly JwsAlgorithm[];
  readonly keySource: KeySource;
}

/** The configured pools and issuers, found by `iss`. */
export class JwtIssuers {
  /** Key sources made here (closed with the authorizer); sources the options supply are not. */
  readonly ownedSources: KeySource[] = [];
  private readonly byIssuer = new Map<string, IssuerEntry>();
  /** {@link byIssuer}'s entries as a list, for a scan when there are few. */
  private readonly list: IssuerEntry[];

  /** @param options already validated (see validateCognitoOptions). */
  constructor(options: CognitoAuthOptions, shared: SharedServices) {
    const sourceFor = (jwksUri: string, algorithms: readonly JwsAlgorithm[]): KeySource => {
      const source = new JwksKeySource({
        ...options.jwks,
        jwksUri,
        algorithms,
        clock: shared.clock,
        logger: shared.logger,
        telemetry: shared.telemetry,
      });
      this.ownedSources.push(source);
      return source;
    };
    for (const pool of options.userPools ?? []) {
      const region = pool.region ?? pool.userPoolId.slice(0, pool.userPoolId.indexOf('_'));
      const issuer =
        pool.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`;
      const algorithms: readonly JwsAlgorithm[] = ['RS256'];
      this.byIssuer.set(issuer, {
        issuer,
        kind: 'cognito',
        clientIds: pool.clientIds === null ? null : new Set(pool.clientIds),
        algorithms,
        keySource:
          pool.keySource ??
          sourceFor(pool.jwksUri ?? `${issuer}/.well-known/jwks.json`, algorithms),
      });
    }
    for (const oidc of options.issuers ?? []) {
      const algorithms = (oidc.algorithms ?? ['RS256']).filter(isJwsAlgorithm);
      this.byIssuer.set(oidc.issuer, {
        issuer: oidc.issuer,
        kind: 'oidc',
        clientIds: oidc.audiences === null ? null : new Set(oidc.audiences),
        algorithms,
        keySource: oidc.keySource ?? sourceFor(oidc.jwksUri, algorithms),
      });
    }
    this.list = [...this.byIssuer.values()];
  }

  /**
   * The configured issuer named `iss`. A few issuers are compared in turn: `iss` is a new string per
   * token, and a map lookup would first hash all of it.
   */
  find(iss: string): IssuerEntry | undefined {
    const list = this.list;
    if (list.length > 8) return this.byIssuer.get(iss);
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as IssuerEntry;
      if (entry.issuer === iss) return entry;
    }
    return undefined;
  }
}
