import { BoundedMemo } from './bounded-memo';

/**
 * Decisions remembered by HTTP method, then resource path: for a policy set that reads no request
 * context, the decision for a caller is a function of the method ARN, and the ARN is a function of
 * the two (methods hold no `/`). Keyed this way, a repeat needs no ARN text built and hashed.
 * Methods come from the framework's HTTP parser (a fixed handful of names, never attacker-sized);
 * paths are bounded per method.
 *
 * The first route remembered is held in fields, and the maps are only made for a second: one memo
 * lives per cached caller (an authorizer's answer, a credential), most callers use one route before
 * their entry expires, and two maps cost ~600 bytes of heap per caller (issue 11, measured with
 * `npm run bench -- memory`).
 */
export class RouteDecisionMemo<V> {
  private firstMethod: string | undefined;
  private firstPath: string | undefined;
  private firstValue: V | undefined;
  private byMethod: Map<string, BoundedMemo<string, V>> | undefined;

  /** @param pathsPerMethod paths remembered per method (beyond the first route) before that method's memo is cleared. */
  constructor(private readonly pathsPerMethod = 256) {}

  get(method: string, path: string): V | undefined {
    if (path === this.firstPath && method === this.firstMethod) return this.firstValue;
    return this.byMethod?.get(method)?.get(path);
  }

  set(method: string, path: string, value: V): void {
    if (
      this.firstMethod === undefined ||
      (path === this.firstPath && method === this.firstMethod)
    ) {
      this.firstMethod = method;
      this.firstPath = path;
      this.firstValue = value;
      return;
    }
    this.byMethod ??= new Map();
    let byPath = this.byMethod.get(method);
    if (byPath === undefined) {
      byPath = new BoundedMemo(this.pathsPerMethod);
      this.byMethod.set(method, byPath);
    }
    byPath.set(path, value);
  }
}
