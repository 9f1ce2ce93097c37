import { BoundedMemo } from './bounded-memo';

/**
 * Decisions remembered by HTTP method, then resource path: for a policy set that reads no request
 * context, the decision for a caller is a function of the method ARN, and the ARN is a function of
 * the two (methods hold no `/`). Keyed this way, a repeat needs no ARN text built and hashed.
 * Methods come from the framework's HTTP parser (a fixed handful of names, never attacker-sized);
 * paths are bounded per method.
 */
export class RouteDecisionMemo<V> {
  private readonly byMethod = new Map<string, BoundedMemo<string, V>>();

  /** @param pathsPerMethod paths remembered per method before that method's memo is cleared. */
  constructor(private readonly pathsPerMethod = 256) {}

  get(method: string, path: string): V | undefined {
    return this.byMethod.get(method)?.get(path);
  }

  set(method: string, path: string, value: V): void {
    let byPath = this.byMethod.get(method);
    if (byPath === undefined) {
      byPath = new BoundedMemo(this.pathsPerMethod);
      this.byMethod.set(method, byPath);
    }
    byPath.set(path, value);
  }
}
