import type { ConfigIssue } from '../../errors';
import { arnMatchesMasked, compileArnPattern, looksLikeArn } from '../arn-pattern';
import {
  type Template,
  parseTemplate,
  resolveTemplate,
  resolveTemplatePattern,
} from '../policy-variables';
import type { RequestView } from '../request-context';
import { type WildcardMatcher, compileWildcard, wildcardMatchRange } from '../wildcard';
import { type CidrBlock, IpBlocks, parseCidr } from './ip-address';
import type { Comparison, ParsedOperator } from './operators';
import { parseDate, parseNumeric } from './parse-values';

/**
 * One `operator: { key: values }` pair compiled into a test. Several keys or operators in a
 * `Condition` block are ANDed by the statement; the values of one key are ORed (for negated
 * operators: "matches none of").
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 */
export interface CompiledCondition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The condition key as written. */
  readonly key: string;
  /** The policy values as strings (for explanations). */
  readonly values: readonly string[];
  test(view: RequestView): boolean;
}

/** Where a condition's values sit and what their statement is, for compiling them. */
export interface ConditionSite {
  /** Whether the policy version substitutes `${...}` (2012-10-17 only, IAM-VER-01). */
  readonly variables: boolean;
  /**
   * Whether the statement is a Deny: a request value the operator cannot parse (a malformed IP,
   * number or date) then makes the condition hold, so the Deny applies; in an Allow it makes the
   * condition fail. Either way an unreadable value never grants access (fail closed).
   */
  readonly deny: boolean;
  /** JSON path of the values, for issues. */
  readonly path: string;
  /** Receives every problem found. */
  readonly issues: ConfigIssue[];
}

/** Matches one request value against the policy values; `undefined` when the value is unparsable. */
type PositiveMatch = (value: string, view: RequestView) => boolean | undefined;

function stringValues(raw: unknown, path: string, issues: ConfigIssue[]): string[] | undefined {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) {
    issues.push({ path, message: 'must list at least one value' });
    return undefined;
  }
  const out: string[] = [];
  let ok = true;
  list.forEach((v, i) => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) out.push(String(v));
    else if (typeof v === 'boolean') out.push(String(v));
    else {
      ok = false;
      issues.push({
        path: Array.isArray(raw) ? `${path}[${i}]` : path,
        message: 'a condition value must be a string, number or boolean',
      });
    }
  });
  return ok ? out : undefined;
}

function compare(left: number, right: number, how: Comparison): boolean {
  switch (how) {
    case 'eq':
      return left === right;
    case 'lt':
      return left < right;
    case 'lte':
      return left <= right;
    case 'gt':
      return left > right;
    case 'gte':
      return left >= right;
  }
}

function normaliseBase64(text: string): string | undefined {
  const stripped = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(stripped)) return undefined;
  return Buffer.from(stripped, 'base64').toString('base64');
}

interface Split {
  literals: string[];
  templates: Template[];
}

function splitTemplates(values: readonly string[], variables: boolean): Split {
  const literals: string[] = [];
  const templates: Template[] = [];
  for (const v of values) {
    const t = variables ? parseTemplate(v) : undefined;
    if (t === undefined) literals.push(v);
    else templates.push(t);
  }
  return { literals, templates };
}

/** Builds the positive per-value matcher for an operator family, validating the policy values. */
function positiveMatcher(
  parsed: ParsedOperator,
  values: readonly string[],
  site: ConditionSite,
): PositiveMatch | undefined {
  const { variables, path, issues } = site;
  const spec = parsed.spec;
  const { literals, templates } = splitTemplates(values, variables && spec.variables);
  switch (spec.family) {
    case 'string': {
      const set = new Set(literals);
      if (templates.length === 0) return (v) => set.has(v);
      return (v, view) => set.has(v) || templates.some((t) => resolveTemplate(t, view) === v);
    }
    case 'stringIgnoreCase': {
      const set = new Set(literals.map((s) => s.toLowerCase()));
      return (v, view) => {
        const lower = v.toLowerCase();
        return (
          set.has(lower) || templates.some((t) => resolveTemplate(t, view)?.toLowerCase() === lower)
        );
      };
    }
    case 'stringLike': {
      const matchers = literals.map(compileWildcard);
      const only = matchers.length === 1 && templates.length === 0 ? matchers[0] : undefined;
      if (only !== undefined) return only;
      return (v, view) => {
        for (let i = 0; i < matchers.length; i++)
          if ((matchers[i] as WildcardMatcher)(v)) return true;
        for (const t of templates) {
          const p = resolveTemplatePattern(t, view);
          if (
            p !== undefined &&
            wildcardMatchRange(p.text, p.mask, 0, p.text.length, v, 0, v.length)
          ) {
            return true;
          }
        }
        return false;
      };
    }
    case 'arn': {
      let ok = true;
      values.forEach((v, i) => {
        if (v !== '*' && !looksLikeArn(v)) {
          ok = false;
          issues.push({
            path: values.length > 1 ? `${path}[${i}]` : path,
            message: `'${v}' is not an ARN (arn:partition:service:region:account:resource)`,
          });
        }
      });
      if (!ok) return undefined;
      const matchers = literals.map(compileArnPattern);
      return (v, view) =>
        matchers.some((m) => m(v)) ||
        templates.some((t) => {
          const p = resolveTemplatePattern(t, view);
          return p !== undefined && arnMatchesMasked(p.text, p.mask, v);
        });
    }
    case 'bool': {
      let ok = true;
      literals.forEach((v) => {
        const lower = v.toLowerCase();
        if (lower !== 'true' && lower !== 'false') {
          ok = false;
          issues.push({ path, message: `Bool expects "true" or "false", got '${v}'` });
        }
      });
      if (!ok) return undefined;
      const set = new Set(literals.map((s) => s.toLowerCase()));
      return (v, view) => {
        const lower = v.toLowerCase();
        return (
          set.has(lower) || templates.some((t) => resolveTemplate(t, view)?.toLowerCase() === lower)
        );
      };
    }
    case 'numeric':
    case 'date': {
      const parse = spec.family === 'numeric' ? parseNumeric : parseDate;
      const parsedValues: number[] = [];
      for (const v of values) {
        const n = parse(v);
        if (n === undefined) {
          issues.push({
            path,
            message:
              spec.family === 'numeric'
                ? `'${v}' is not a number (${spec.name} takes integers or decimals; no policy variables)`
                : `'${v}' is not a date (ISO 8601 such as 2026-01-31T12:00:00Z, or epoch seconds)`,
          });
          return undefined;
        }
        parsedValues.push(n);
      }
      const how = spec.comparison;
      return (v) => {
        const n = parse(v);
        if (n === undefined) return undefined;
        for (const p of parsedValues) if (compare(n, p, how)) return true;
        return false;
      };
    }
    case 'binary': {
      const set = new Set<string>();
      for (const v of values) {
        const b = normaliseBase64(v);
        if (b === undefined) {
          issues.push({ path, message: `'${v}' is not base64` });
          return undefined;
        }
        set.add(b);
      }
      return (v) => {
        const b = normaliseBase64(v);
        return b === undefined ? undefined : set.has(b);
      };
    }
    case 'ip': {
      const blocks: CidrBlock[] = [];
      for (const v of values) {
        const block = parseCidr(v);
        if (block === undefined) {
          issues.push({ path, message: `'${v}' is not an IPv4/IPv6 address or CIDR block` });
          return undefined;
        }
        blocks.push(block);
      }
      const list = new IpBlocks(blocks);
      return (v) => list.contains(v);
    }
    case 'null': {
      let ok = true;
      for (const v of values) {
        const lower = v.toLowerCase();
        if (lower !== 'true' && lower !== 'false') {
          ok = false;
          issues.push({ path, message: `Null expects "true" or "false", got '${v}'` });
        }
      }
      return ok ? () => true : undefined;
    }
  }
}

/**
 * Compiles one operator/key pair. Pushes issues (and returns `undefined`) for invalid values.
 * @param parsed the operator, from {@link parseOperator} (an unknown one is reported once per block by the caller)
 * @param site the statement's policy version and effect, and where issues go (see {@link ConditionSite})
 */
export function compileCondition(
  parsed: ParsedOperator,
  key: string,
  rawValues: unknown,
  site: ConditionSite,
): CompiledCondition | undefined {
  const { deny, path, issues } = site;
  const operator = parsed.name;
  if (key === '') {
    issues.push({ path, message: 'a condition key must not be empty' });
    return undefined;
  }
  const values = stringValues(rawValues, path, issues);
  if (values === undefined) return undefined;
  const positive = positiveMatcher(parsed, values, site);
  if (positive === undefined) return undefined;
  const lowerKey = key.toLowerCase();
  const base = { operator, key, values };

  if (parsed.spec.family === 'null') {
    const wantAbsent = values.map((v) => v.toLowerCase() === 'true');
    return {
      ...base,
      test(view) {
        const raw = view.get(lowerKey);
        const absent = raw === undefined || (typeof raw !== 'string' && raw.length === 0);
        if (absent) view.noteMissing(key);
        return wantAbsent.some((w) => w === absent);
      },
    };
  }

  const negated = parsed.spec.negated;
  // The per-value test with negation folded in: a negated operator holds for a value that matches
  // none of the policy values; an unparsable value holds only in a Deny (fail closed both ways).
  const holds = (value: string, view: RequestView): boolean => {
    const m = positive(value, view);
    return m === undefined ? deny : m !== negated;
  };
  const { set, ifExists } = parsed;
  return {
    ...base,
    test(view) {
      const raw = view.get(lowerKey);
      if (typeof raw === 'string') {
        const m = positive(raw, view);
        return m === undefined ? deny : m !== negated;
      }
      if (raw === undefined || raw.length === 0) {
        view.noteMissing(key);
        if (ifExists) return true;
        if (set === 'all') return true;
        if (set === 'any') return false;
        return negated;
      }
      // A multivalued key: ForAllValues needs every value to hold; ForAnyValue one. Without a set
      // prefix, a positive operator behaves as ForAnyValue and a negated one as "none matches".
      if (set === 'all' || (set === 'none' && negated)) {
        for (const v of raw) if (!holds(v, view)) return false;
        return true;
      }
      for (const v of raw) if (holds(v, view)) return true;
      return false;
    },
  };
}
