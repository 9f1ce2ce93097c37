// The callers' side (the `api-gateway-auth/client` entry): helpers for services calling an API
// served with gateway-auth. Dependency-light: no Nest, no Express.
export {
  AwsIdentityProof,
  IDENTITY_PROOF_HEADER,
  signIdentityProof,
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  type AwsIdentityProofOptions,
  type SignIdentityProofInput,
} from './aws-identity-proof';
export {
  awsIdentityPlugin,
  withAwsIdentity,
  type FetchFunction,
  type IdentityPlugin,
  type MiddlewareStackLike,
} from './with-aws-identity';
export {
  encodeIdentityProof,
  type IdentityProofFields,
} from '../core/identity/sts-proof/identity-proof';
