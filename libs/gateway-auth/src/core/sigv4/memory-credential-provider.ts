import { compileCredentials } from './compile-credentials';
import type {
  CredentialDefinition,
  CredentialProvider,
  SigV4Credential,
} from './credential-provider';

/**
 * Credentials held in memory, validated and compiled when constructed (same contract as the file).
 * @example new MemoryCredentialProvider([{ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: '...', principal: { arn: 'arn:aws:iam::111122223333:user/alice' }, policies: [...] }])
 * @throws ConfigError listing every invalid field.
 */
export class MemoryCredentialProvider implements CredentialProvider {
  private credentials: Map<string, SigV4Credential>;

  constructor(definitions: readonly CredentialDefinition[]) {
    this.credentials = compileCredentials(definitions, 'memory');
  }

  getCredential(accessKeyId: string): SigV4Credential | undefined {
    return this.credentials.get(accessKeyId);
  }

  /**
   * Replaces every credential at once (e.g. after rotating a key).
   * @throws ConfigError and keeps the previous set when the new one is invalid.
   */
  replace(definitions: readonly CredentialDefinition[]): void {
    this.credentials = compileCredentials(definitions, 'memory');
  }
}
