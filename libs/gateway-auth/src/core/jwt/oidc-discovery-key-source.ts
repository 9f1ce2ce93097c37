import { fetchLimited } from './fetch-limited';
import { JwksKeySource, type JwksKeySourceOptions } from './jwks-key-source';
import { JwtRejection } from './jwt-rejection';
import type { KeySource, VerificationKey } from './key-source';

/** What an {@link OidcDiscoveryKeySource} needs: the issuer, and the JWKS tuning once it is found. */
export interface OidcDiscoveryKeySourceOptions extends Omit<JwksKeySourceOptions, 'jwksUri'> {
  /** The issuer exactly as tokens carry it in `iss`. */
  issuer: string;
}

/**
 * The keys of an OpenID Connect issuer found the way API Gateway's JWT authorizer finds them: its
 * `{issuer}/.well-known/openid-configuration` names `jwks_uri`, whose keys then serve as a
 * {@link JwksKeySource}. Discovery runs on the first token (never at boot), with the JWKS deadline
 * and size limit (HJWT-06), at most once per refetch interval while it fails; the document's
 * `issuer` must equal the configured one (OpenID Connect Discovery §4.3).
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export class OidcDiscoveryKeySource implements KeySource {
  private inner: JwksKeySource | undefined;
  private inflight: Promise<JwksKeySource> | undefined;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastError: string | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly options: OidcDiscoveryKeySourceOptions) {}

  async getKey(kid: string): Promise<VerificationKey> {
    const inner = this.inner ?? (await this.discover());
    return inner.getKey(kid);
  }

  peekKey(kid: string): VerificationKey | undefined {
    return this.inner?.peekKey(kid);
  }

  close(): void {
    this.abort.abort();
    this.inner?.close();
  }

  private discover(): Promise<JwksKeySource> {
    if (this.inflight) return this.inflight;
    const now = this.options.clock.now();
    const intervalMs = (this.options.refetchIntervalSeconds ?? 10) * 1000;
    if (now - this.lastAttemptAt < intervalMs && this.lastError !== undefined) {
      return Promise.reject(
        new JwtRejection(
          'JWKS_UNAVAILABLE',
          `discovery for ${this.options.issuer} failed: ${this.lastError}`,
        ),
      );
    }
    this.lastAttemptAt = now;
    this.inflight = this.fetchConfiguration().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchConfiguration(): Promise<JwksKeySource> {
    const url = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    try {
      const text = await fetchLimited(url, {
        timeoutMs: this.options.timeoutMs ?? 1500,
        maxBytes: this.options.maxResponseBytes ?? 150_000,
        signal: this.abort.signal,
      });
      const document = JSON.parse(text) as { issuer?: unknown; jwks_uri?: unknown };
      if (document.issuer !== this.options.issuer) {
        throw new Error(`the discovery document names issuer ${JSON.stringify(document.issuer)}`);
      }
      if (typeof document.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri)) {
        throw new Error('the discovery document has no jwks_uri URL');
      }
      this.lastError = undefined;
      this.inner = new JwksKeySource({ ...this.options, jwksUri: document.jwks_uri });
      this.options.logger.log('info', 'oidc.discovered', {
        issuer: this.options.issuer,
        jwksUri: document.jwks_uri,
      });
      return this.inner;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.logger.log('warn', 'oidc.discovery_failed', {
        issuer: this.options.issuer,
        reason: this.lastError,
      });
      throw new JwtRejection(
        'JWKS_UNAVAILABLE',
        `discovery for ${this.options.issuer} failed: ${this.lastError}`,
        undefined,
        error,
      );
    }
  }
}
