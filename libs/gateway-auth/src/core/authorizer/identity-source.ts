import type { ConfigIssue } from '../errors';
import { CONTEXT_VARIABLES } from './authorizer-options';
import type { HttpRequest } from '../http-request';
import type { RequestView } from './request-view';

/** One parsed identity source (LR-02, HL-04). */
export interface IdentitySource {
  kind: 'header' | 'querystring' | 'stageVariable' | 'context';
  name: string;
  /** `name` lowercased, for header lookups (computed once at parse time). */
  key: string;
  /** As configured, for messages. */
  expression: string;
}

const REST =
  /^(?:method\.request\.(header|querystring)\.(.+)|(stageVariables)\.(.+)|(context)\.(.+))$/;
const HTTP =
  /^(?:\$request\.(header|querystring)\.(.+)|\$(stageVariables)\.(.+)|\$(context)\.(.+))$/;

/**
 * Parses identity-source expressions (a comma-separated string or a list) in the REST
 * (`method.request.header.X`) or HTTP API (`$request.header.X`) syntax.
 */
export function parseIdentitySources(
  value: string | readonly string[] | undefined,
  syntax: 'rest' | 'http',
  path: string,
): { sources: IdentitySource[]; issues: ConfigIssue[] } {
  const list = (typeof value === 'string' ? value.split(',') : (value ?? []))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const sources: IdentitySource[] = [];
  const issues: ConfigIssue[] = [];
  for (const expression of list) {
    const match = (syntax === 'rest' ? REST : HTTP).exec(expression);
    const kind = match?.[1] ?? match?.[3] ?? match?.[5];
    const name = match?.[2] ?? match?.[4] ?? match?.[6];
    if (!kind || !name) {
      issues.push({
        path,
        message:
          syntax === 'rest'
            ? `"${expression}" is not method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<variable>`
            : `"${expression}" is not $request.header.<name>, $request.querystring.<name>, $stageVariables.<name> or $context.<variable>`,
      });
      continue;
    }
    if (kind === 'context' && !(CONTEXT_VARIABLES as readonly string[]).includes(name)) {
      issues.push({
        path,
        message: `context variable "${name}" is not supported as an identity source; use one of ${CONTEXT_VARIABLES.join(', ')}`,
      });
      continue;
    }
    sources.push({
      kind: kind === 'stageVariables' ? 'stageVariable' : (kind as IdentitySource['kind']),
      name,
      key: name.toLowerCase(),
      expression,
    });
  }
  return { sources, issues };
}

/**
 * The value of each source, in order, or `undefined` when any is missing, null or empty (LR-03,
 * HL-04: 401 without invoking). Repeated headers and query parameters are joined with `,`.
 */
export function resolveIdentitySources(
  sources: readonly IdentitySource[],
  view: RequestView,
  stageVariables: Readonly<Record<string, string>>,
): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    let value: string | undefined;
    switch (source.kind) {
      case 'header':
        value = headerSourceValue(view.request, source.key);
        break;
      case 'querystring':
        value = view.queryValues(source.name).join(',');
        break;
      case 'stageVariable':
        value = stageVariables[source.name];
        break;
      case 'context':
        value = view.contextVariable(source.name);
        break;
    }
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

/** A header identity source's value (`key` lowercase): repeated headers joined with `,`. */
export function headerSourceValue(request: HttpRequest, key: string): string | undefined {
  const raw = request.headers[key];
  return typeof raw === 'string' || raw === undefined ? raw : raw.join(',');
}
