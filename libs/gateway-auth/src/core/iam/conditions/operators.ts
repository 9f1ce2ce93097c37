/**
 * Every IAM condition operator, with the `...IfExists` suffix and the `ForAnyValue:` /
 * `ForAllValues:` set prefixes parsed off. Unknown names are a validation error, never a silent false.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 */

/** How an operator compares values. */
export type OperatorFamily =
  | 'string'
  | 'stringIgnoreCase'
  | 'stringLike'
  | 'numeric'
  | 'date'
  | 'bool'
  | 'binary'
  | 'ip'
  | 'arn'
  | 'null';

/** Ordering comparisons of the Numeric and Date families (request value OP policy value). */
export type Comparison = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

/** A base operator (no prefix, no `IfExists`). */
export interface OperatorSpec {
  readonly name: string;
  readonly family: OperatorFamily;
  /** `StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...: true when no policy value matches. */
  readonly negated: boolean;
  readonly comparison: Comparison;
  /** Whether policy variables are substituted in its values (IAM-V-02; Bool per Q-IAM-1). */
  readonly variables: boolean;
}

/** A parsed operator name such as `ForAllValues:StringLikeIfExists`. */
export interface ParsedOperator {
  readonly name: string;
  readonly spec: OperatorSpec;
  readonly set: 'none' | 'any' | 'all';
  readonly ifExists: boolean;
}

function op(
  name: string,
  family: OperatorFamily,
  negated = false,
  comparison: Comparison = 'eq',
): OperatorSpec {
  const variables =
    family === 'string' ||
    family === 'stringIgnoreCase' ||
    family === 'stringLike' ||
    family === 'arn' ||
    family === 'bool';
  return { name, family, negated, comparison, variables };
}

const SPECS: readonly OperatorSpec[] = [
  op('StringEquals', 'string'),
  op('StringNotEquals', 'string', true),
  op('StringEqualsIgnoreCase', 'stringIgnoreCase'),
  op('StringNotEqualsIgnoreCase', 'stringIgnoreCase', true),
  op('StringLike', 'stringLike'),
  op('StringNotLike', 'stringLike', true),
  op('NumericEquals', 'numeric'),
  op('NumericNotEquals', 'numeric', true),
  op('NumericLessThan', 'numeric', false, 'lt'),
  op('NumericLessThanEquals', 'numeric', false, 'lte'),
  op('NumericGreaterThan', 'numeric', false, 'gt'),
  op('NumericGreaterThanEquals', 'numeric', false, 'gte'),
  op('DateEquals', 'date'),
  op('DateNotEquals', 'date', true),
  op('DateLessThan', 'date', false, 'lt'),
  op('DateLessThanEquals', 'date', false, 'lte'),
  op('DateGreaterThan', 'date', false, 'gt'),
  op('DateGreaterThanEquals', 'date', false, 'gte'),
  op('Bool', 'bool'),
  op('BinaryEquals', 'binary'),
  op('IpAddress', 'ip'),
  op('NotIpAddress', 'ip', true),
  op('ArnEquals', 'arn'),
  op('ArnLike', 'arn'),
  op('ArnNotEquals', 'arn', true),
  op('ArnNotLike', 'arn', true),
  op('Null', 'null'),
];

const BY_NAME = new Map(SPECS.map((s) => [s.name, s]));

/** Names of every base operator, for error messages and docs. */
export const OPERATOR_NAMES: readonly string[] = SPECS.map((s) => s.name);

/**
 * Parses an operator name. Returns a message (string) when it is not a valid operator, e.g. an
 * unknown name, `NullIfExists`, or a set prefix on `Null`.
 */
export function parseOperator(name: string): ParsedOperator | string {
  let rest = name;
  let set: ParsedOperator['set'] = 'none';
  if (rest.startsWith('ForAnyValue:')) {
    set = 'any';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    set = 'all';
    rest = rest.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  let spec = BY_NAME.get(rest);
  if (spec === undefined && rest.endsWith('IfExists')) {
    spec = BY_NAME.get(rest.slice(0, -'IfExists'.length));
    ifExists = true;
  }
  if (spec === undefined) {
    const hint = OPERATOR_NAMES.find((n) => n.toLowerCase() === rest.toLowerCase());
    return `unknown condition operator '${name}'${hint === undefined ? '' : ` (did you mean '${hint}'? operator names are case-sensitive)`}`;
  }
  if (spec.family === 'null' && ifExists) return `'NullIfExists' is not a condition operator`;
  if (spec.family === 'null' && set !== 'none') {
    return `the ${set === 'any' ? 'ForAnyValue' : 'ForAllValues'} set operator cannot qualify Null`;
  }
  return { name, spec, set, ifExists };
}
