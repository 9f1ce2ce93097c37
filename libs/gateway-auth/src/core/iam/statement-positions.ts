/**
 * Where each statement of a policy sits in its JSON source, as line/column pairs — what
 * `aws iam simulate-custom-policy` reports in `MatchedStatements[].StartPosition`/`EndPosition`.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Statement.html
 */

/** A 1-based line and column. */
export interface SourcePosition {
  Line: number;
  Column: number;
}

/** Start (the statement's `{`) and end (its `}`) of each statement, by statement index. */
export interface StatementSpan {
  start: SourcePosition;
  end: SourcePosition;
}

function skipString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return i;
}

/** The end (exclusive) of the JSON value starting at `at`. */
function skipValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === 34) return skipString(text, at);
  if (first !== 123 && first !== 91) {
    let i = at;
    while (i < text.length && !',}] \t\r\n'.includes(text.charAt(i))) i++;
    return i;
  }
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = skipString(text, i);
      continue;
    }
    if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && ' \t\r\n'.includes(text.charAt(i))) i++;
  return i;
}

function position(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { Line: line, Column: offset - lineStart + 1 };
}

/**
 * Finds the statements of the policy JSON `text` (which must already parse). Returns `[]` when the
 * top level has no `Statement`. Never throws.
 */
export function statementSpans(text: string): StatementSpan[] {
  const spans: StatementSpan[] = [];
  let i = skipSpace(text, 0);
  if (text.charAt(i) !== '{') return spans;
  i++;
  while (i < text.length) {
    i = skipSpace(text, i);
    if (text.charAt(i) !== '"') return spans;
    const keyEnd = skipString(text, i);
    const key = text.slice(i + 1, keyEnd - 1);
    i = skipSpace(text, keyEnd);
    if (text.charAt(i) !== ':') return spans;
    i = skipSpace(text, i + 1);
    const valueEnd = skipValue(text, i);
    if (key === 'Statement') {
      const span = (from: number, to: number): StatementSpan => ({
        start: position(text, from),
        end: position(text, to - 1),
      });
      if (text.charAt(i) === '{') spans.push(span(i, valueEnd));
      else if (text.charAt(i) === '[') {
        let j = skipSpace(text, i + 1);
        while (j < valueEnd && text.charAt(j) !== ']') {
          const end = skipValue(text, j);
          spans.push(span(j, end));
          j = skipSpace(text, end);
          if (text.charAt(j) === ',') j = skipSpace(text, j + 1);
        }
      }
      return spans;
    }
    i = skipSpace(text, valueEnd);
    if (text.charAt(i) === ',') i++;
    else return spans;
  }
  return spans;
}
