import { LITERAL, ONE, STAR } from './wildcard';

/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, escapes `${*}` `${?}`
 * `${$}`), substituted only in `"Version": "2012-10-17"` policies.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */

/** One piece of a templated policy value. */
export type TemplatePart =
  /** Policy text: its `*`/`?` are wildcards where the operator supports them. */
  | { readonly kind: 'text'; readonly text: string }
  /** An escape (`${*}`, `${?}`, `${$}`): always the literal character. */
  | { readonly kind: 'escape'; readonly text: string }
  /** A condition-key reference, resolved per request; its value is always literal. */
  | {
      readonly kind: 'variable';
      /** Lower-cased key for the case-insensitive lookup. */
      readonly key: string;
      /** The key as written, for missing-key reports. */
      readonly name: string;
      readonly defaultValue?: string;
    };

/** A value containing at least one `${...}`. */
export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

/** Looks up a single-valued condition key (lower-cased name); `undefined` when absent. */
export interface VariableLookup {
  single(lowerKey: string): string | undefined;
  /** Records a key referenced but absent (reported as missing context). */
  noteMissing(name: string): void;
}

function variableValue(
  part: { readonly key: string; readonly name: string; readonly defaultValue?: string },
  lookup: VariableLookup,
): string | undefined {
  const value = lookup.single(part.key);
  if (value !== undefined) return value;
  if (part.defaultValue !== undefined) return part.defaultValue;
  lookup.noteMissing(part.name);
  return undefined;
}

const KEY = /^[^\s,'${}]+$/;
const DEFAULT = /^\s*'([^']*)'\s*$/;

/** Parses `key` or `key, 'default'` (the inside of `${...}`); `undefined` when malformed. */
function parseVariable(inner: string): { name: string; defaultValue?: string } | undefined {
  const comma = inner.indexOf(',');
  const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
  if (!KEY.test(name)) return undefined;
  if (comma < 0) return { name };
  const d = DEFAULT.exec(inner.slice(comma + 1));
  return d === null ? undefined : { name, defaultValue: d[1] as string };
}

/**
 * Parses `${...}` references in `value`. Returns `undefined` when there is none (plain literal), so
 * the common case keeps its fast matchers. A `${` without a valid key and closing `}` stays literal text.
 */
export function parseTemplate(value: string): Template | undefined {
  if (!value.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  let found = false;
  while (i < value.length) {
    const open = value.indexOf('${', i);
    if (open < 0) break;
    const close = value.indexOf('}', open + 2);
    if (close < 0) break;
    const inner = value.slice(open + 2, close);
    const escape = inner === '*' || inner === '?' || inner === '$';
    const variable = escape ? undefined : parseVariable(inner);
    if (!escape && variable === undefined) {
      text += value.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    text += value.slice(i, open);
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    found = true;
    if (escape) parts.push({ kind: 'escape', text: inner });
    else {
      const name = variable?.name ?? '';
      const defaultValue = variable?.defaultValue;
      parts.push(
        defaultValue === undefined
          ? { kind: 'variable', key: name.toLowerCase(), name }
          : { kind: 'variable', key: name.toLowerCase(), name, defaultValue },
      );
    }
    i = close + 1;
  }
  text += value.slice(i);
  if (text !== '') parts.push({ kind: 'text', text });
  return found ? { source: value, parts } : undefined;
}

/** A resolved template: the text and which of its characters are wildcards. */
export interface ResolvedPattern {
  text: string;
  mask: Uint8Array;
}

/**
 * Substitutes every variable. Returns `undefined` when a variable has no value and no default: the
 * policy value then matches nothing (IAM-RES-03, IAM-C-04).
 */
export function resolveTemplate(template: Template, lookup: VariableLookup): string | undefined {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'variable') {
      const value = variableValue(part, lookup);
      if (value === undefined) return undefined;
      out += value;
    } else out += part.text;
  }
  return out;
}

/** As {@link resolveTemplate}, also marking which characters are wildcards (only policy text ones). */
export function resolveTemplatePattern(
  template: Template,
  lookup: VariableLookup,
): ResolvedPattern | undefined {
  const pieces: string[] = [];
  const wild: boolean[] = [];
  for (const part of template.parts) {
    let piece: string;
    if (part.kind === 'variable') {
      const value = variableValue(part, lookup);
      if (value === undefined) return undefined;
      piece = value;
    } else piece = part.text;
    pieces.push(piece);
    wild.push(part.kind === 'text');
  }
  const text = pieces.join('');
  const mask = new Uint8Array(text.length);
  let at = 0;
  pieces.forEach((piece, n) => {
    if (wild[n] === true) {
      for (let k = 0; k < piece.length; k++) {
        const c = piece.charCodeAt(k);
        mask[at + k] = c === 42 ? STAR : c === 63 ? ONE : LITERAL;
      }
    }
    at += piece.length;
  });
  return { text, mask };
}
