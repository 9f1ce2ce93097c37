import type { CompiledStatement } from './compiled-policy';

/**
 * An index over the statements of a policy, so a request only runs the statements whose
 * `Resource` could match it. Each ARN resource entry has a literal prefix in its resource part (after
 * the fifth colon) up to its first wildcard or policy variable; cut at its last `/`, that prefix is a
 * necessary condition (the request's resource part must start with it and a `/`). Statements with
 * `"*"`, `NotResource` or no such prefix are always candidates. The index only skips statements that
 * cannot apply, so it never changes a decision; `explain` bypasses it and reports every statement.
 */
export interface StatementIndex {
  /** Orders of statements checked for every request. */
  readonly always: readonly number[];
  /** Resource-part prefix (without its trailing `/`) -> orders. */
  readonly byPrefix: ReadonlyMap<string, readonly number[]>;
  /** `lengths[n] === 1` when some key in `byPrefix` is n characters long. */
  readonly lengths: Uint8Array;
  /** Orders of statements listed under more than one key (they may be found twice). */
  readonly multiKeyed: ReadonlySet<number>;
}

/** The position just after the fifth colon, or -1 when `text` has fewer. */
export function resourcePartStart(text: string): number {
  let at = -1;
  for (let k = 0; k < 5; k++) {
    at = text.indexOf(':', at + 1);
    if (at < 0) return -1;
  }
  return at + 1;
}

/** The index key of one resource entry, or `undefined` when it must always be checked. */
function keyOf(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const start = resourcePartStart(resource);
  if (start < 0) return undefined;
  let end = resource.length;
  for (const stop of ['*', '?', '${']) {
    const at = resource.indexOf(stop, start);
    if (at >= 0 && at < end) end = at;
  }
  const slash = resource.lastIndexOf('/', end - 1);
  if (slash < start) return undefined;
  return resource.slice(start, slash);
}

/** Builds the index of a policy's statements (orders are positions in `statements`). */
export function buildStatementIndex(statements: readonly CompiledStatement[]): StatementIndex {
  const always: number[] = [];
  const byPrefix = new Map<string, number[]>();
  const multiKeyed = new Set<number>();
  let maxLength = 0;
  {
    for (let order = 0; order < statements.length; order++) {
      const st = statements[order] as CompiledStatement;
      const keys = new Set<string>();
      let unkeyed = st.notResource;
      if (!unkeyed) {
        for (const r of st.resourceArns) {
          const key = keyOf(r);
          if (key === undefined) {
            unkeyed = true;
            break;
          }
          keys.add(key);
        }
      }
      if (unkeyed || keys.size === 0) {
        always.push(order);
        continue;
      }
      if (keys.size > 1) multiKeyed.add(order);
      for (const key of keys) {
        const list = byPrefix.get(key);
        if (list === undefined) byPrefix.set(key, [order]);
        else list.push(order);
        if (key.length > maxLength) maxLength = key.length;
      }
    }
  }
  const lengths = new Uint8Array(maxLength + 1);
  for (const key of byPrefix.keys()) lengths[key.length] = 1;
  return { always, byPrefix, lengths, multiKeyed };
}
