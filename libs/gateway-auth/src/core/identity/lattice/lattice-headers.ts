/** The headers VPC Lattice adds for HTTP targets (it strips any the client sent). */
export const LATTICE_IDENTITY_HEADER = 'x-amzn-lattice-identity';
export const LATTICE_IDENTITY_TAGS_HEADER = 'x-amzn-lattice-identity-tags';
export const LATTICE_NETWORK_HEADER = 'x-amzn-lattice-network';
export const LATTICE_TARGET_HEADER = 'x-amzn-lattice-target';
/** Every `x-amzn-lattice-*` header a target may receive (all removed before the handler). */
export const LATTICE_HEADERS: readonly string[] = [
  LATTICE_IDENTITY_HEADER,
  LATTICE_IDENTITY_TAGS_HEADER,
  LATTICE_NETWORK_HEADER,
  LATTICE_TARGET_HEADER,
];

const MAX_HEADER_LENGTH = 8192;

/**
 * Parses one VPC Lattice `key-0=value-0;key-1=value-1;...` header as AWS documents it: keys in any
 * order (new keys may appear: unknown ones are kept, callers ignore them), values may be empty,
 * `;` inside a value is escaped as `\;` (and `\` as `\\`), whitespace around entries is ignored.
 * Keys are compared case-insensitively (returned lower-cased).
 * @see https://docs.aws.amazon.com/vpc-lattice/latest/ug/http-targets.html
 * @returns `undefined` when the value is not such a map (an entry without `=`, an empty or
 *   repeated key, a dangling escape, over 8 KiB).
 */
export function parseLatticeHeader(value: string): Map<string, string> | undefined {
  if (value.length > MAX_HEADER_LENGTH) return undefined;
  const out = new Map<string, string>();
  let entry = '';
  const flush = (): boolean => {
    const text = entry.trim();
    entry = '';
    if (text === '') return true;
    const eq = text.indexOf('=');
    if (eq <= 0) return false;
    const key = text.slice(0, eq).trim().toLowerCase();
    if (key === '' || out.has(key)) return false;
    out.set(key, unescape(text.slice(eq + 1).trim()));
    return true;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      const next = value[i + 1];
      if (next === undefined) return undefined;
      // Keep the escape for the value's own unescape; `;` must not end the entry.
      entry += c + next;
      i++;
    } else if (c === ';') {
      if (!flush()) return undefined;
    } else {
      entry += c;
    }
  }
  return flush() ? out : undefined;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
