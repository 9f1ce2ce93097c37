// What is read from IAM about a caller, as text: kept free of AWS SDK types, so the public
// declarations never need the (optional) SDK installed.

/** One policy document as IAM holds it (decoded JSON text) and where it came from. */
export interface PolicyText {
  /** `role/NAME/inline/POLICY`, a managed policy ARN...: the policy's id in explanations. */
  id: string;
  document: string;
}

/** An IAM role's or user's identity policies and what else the evaluation needs of it. */
export interface PrincipalPolicies {
  kind: 'role' | 'user';
  /** The role's or user's ARN, with its path. */
  arn: string;
  /** `RoleId` (`AROA...`) or `UserId` (`AIDA...`). */
  id: string;
  tags: Record<string, string>;
  /** Inline and attached policies (a user's groups' too). */
  policies: PolicyText[];
  /** The permissions boundary's document, when one is set. */
  boundary?: PolicyText;
}
