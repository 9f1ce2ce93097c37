import { ConfigError } from '../errors';
import { resolverOf, type AccessLogEntry, type VariableResolver } from './context-variables';

/**
 * How values are escaped so that no value can break the line's syntax. `auto` (default) picks `json`
 * for a format starting with `{`, `xml` for `<`, `csv` for one whose variables are separated by
 * commas, else `clf`. `none` substitutes raw values, exactly as API Gateway does (a `"` in a
 * User-Agent then breaks a JSON line there too).
 */
export type AccessLogEscaping = 'auto' | 'json' | 'xml' | 'csv' | 'clf' | 'none';

/** One piece of a compiled format: literal text, or a variable with its escaping. */
type Segment =
  { literal: string } | { resolve: VariableResolver; escape: (value: string) => string };

/** A format string compiled once: {@link render} substitutes one request's values. */
export interface CompiledAccessLogFormat {
  readonly escaping: Exclude<AccessLogEscaping, 'auto'>;
  /** The variables the format uses (names without `$context.`). */
  readonly variables: readonly string[];
  render(entry: AccessLogEntry): string;
}

/**
 * `$context.name`, `$context.a.b.c`, `$context.authorizer.claims['custom:role']`. Not global: a
 * `/g` regex carries `lastIndex` between uses, so each compile makes its own global copy.
 */
// Linear: each repetition starts with a literal '.', and the format is operator configuration.
// eslint-disable-next-line security/detect-unsafe-regex
const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*(?:\['[^'\r\n]*'\])?)/;

/**
 * Compiles an API Gateway access-log format (as set on a stage's `accessLogSettings.format`).
 * Only `$context` variables are substituted, as in API Gateway; a value that is empty or unknown
 * here prints `-`.
 * @throws ConfigError naming each variable API Gateway does not have, and a format without
 *   `$context.requestId` or `$context.extendedRequestId` (API Gateway refuses those too).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html
 */
export function compileAccessLogFormat(
  format: string,
  escaping: AccessLogEscaping = 'auto',
  path = 'accessLog.format',
): CompiledAccessLogFormat {
  const issues = [];
  if (/[\r\n]/.test(format.replace(/[\r\n]+$/, ''))) {
    issues.push({ path, message: 'must be a single line (API Gateway refuses line breaks)' });
  }
  const chosen = escaping === 'auto' ? detectEscaping(format) : escaping;
  const segments: Segment[] = [];
  const variables: string[] = [];
  let last = 0;
  // Quote state of the literal text so far: whether a variable sits inside a JSON string or a
  // quoted CSV field.
  let quoted = false;
  const scan = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (chosen === 'json' && quoted && c === '\\') i++;
      else if (c === '"' && (chosen === 'json' || chosen === 'csv')) quoted = !quoted;
    }
  };
  const line = format.replace(/[\r\n]+$/, '');
  for (const match of line.matchAll(new RegExp(VARIABLE, 'g'))) {
    const name = match[1] as string;
    const literal = line.slice(last, match.index);
    if (literal) segments.push({ literal });
    scan(literal);
    const resolve = resolverOf(name);
    if (resolve === undefined) {
      issues.push({
        path,
        message: `$context.${name} is not an API Gateway access-log variable (docs/observability.md lists them)`,
      });
    } else {
      variables.push(name);
      segments.push({ resolve, escape: escaperFor(chosen, quoted) });
    }
    last = (match.index ?? 0) + match[0].length;
  }
  const tail = line.slice(last);
  if (tail) segments.push({ literal: tail });
  if (!variables.includes('requestId') && !variables.includes('extendedRequestId')) {
    issues.push({
      path,
      message:
        'must include $context.requestId or $context.extendedRequestId (as API Gateway requires)',
    });
  }
  if (issues.length > 0) throw new ConfigError('access log format', issues);
  return {
    escaping: chosen,
    variables,
    render(entry: AccessLogEntry): string {
      let out = '';
      for (const segment of segments) {
        if ('literal' in segment) {
          out += segment.literal;
          continue;
        }
        const value = segment.resolve(entry);
        const text = value === undefined || value === '' ? '-' : String(value);
        out += segment.escape(text);
      }
      return out;
    },
  };
}

function detectEscaping(format: string): Exclude<AccessLogEscaping, 'auto'> {
  const trimmed = format.trimStart();
  if (trimmed.startsWith('{')) return 'json';
  if (trimmed.startsWith('<')) return 'xml';
  // `$context.a,$context.b`: variables separated by commas and no spaces between them.
  if (/\$context\.[A-Za-z0-9_.]+,\$context\./.test(format) && !/\s/.test(format.trim())) {
    return 'csv';
  }
  return 'clf';
}

function escaperFor(
  escaping: Exclude<AccessLogEscaping, 'auto'>,
  quoted: boolean,
): (value: string) => string {
  switch (escaping) {
    case 'json':
      return quoted ? jsonStringContent : jsonValue;
    case 'xml':
      return xmlText;
    case 'csv':
      return quoted ? csvQuotedContent : csvField;
    case 'clf':
      return clfValue;
    case 'none':
      return (value) => value;
  }
}

/** Inside a JSON string: the value's JSON string form without its quotes. */
function jsonStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Outside a JSON string: numbers and literals as they are, anything else as a JSON string. */
function jsonValue(value: string): string {
  if (value === 'true' || value === 'false' || value === 'null') return value;
  return value !== '' && String(Number(value)) === value ? value : JSON.stringify(value);
}

/** Control characters as `\xhh`, as Apache's log modules write them. */
function hexControls(value: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      out += value.slice(from, i) + `\\x${code.toString(16).padStart(2, '0')}`;
      from = i + 1;
    }
  }
  return from === 0 ? value : out + value.slice(from);
}

function xmlText(value: string): string {
  return hexControls(value).replace(/[&<>"']/g, (c) => XML_ENTITIES[c] as string);
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** A CSV field of its own (RFC 4180): quoted, with quotes doubled, when it holds `,` or `"`. */
function csvField(value: string): string {
  const safe = hexControls(value);
  return /[",]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Inside a field the format already quotes: quotes doubled. */
function csvQuotedContent(value: string): string {
  return hexControls(value).replace(/"/g, '""');
}

/** Common Log Format: `"` and `\` escaped with a backslash, control characters as `\xhh`. */
function clfValue(value: string): string {
  return hexControls(value.replace(/["\\]/g, (c) => `\\${c}`));
}
