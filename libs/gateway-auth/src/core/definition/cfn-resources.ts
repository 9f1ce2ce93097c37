import type { ConfigIssue } from '../errors';
import { Unresolved } from './api-definition';
import type { IntrinsicResolver } from './intrinsics';
import { isRecord, pathKey } from './json-path';

/** One template resource of a given type, with where it is. */
export interface TemplateResource {
  id: string;
  properties: Record<string, unknown>;
  /** `$.Resources.<id>.Properties`. */
  at: string;
}

/**
 * The resources of `type` that exist (their `Condition` holds), in template order. A resource whose
 * condition depends on a missing parameter is reported and left out.
 */
export function resourcesOfType(
  template: Record<string, unknown>,
  type: string,
  resolver: IntrinsicResolver,
  issues: ConfigIssue[],
): TemplateResource[] {
  const resources = isRecord(template.Resources) ? template.Resources : {};
  const out: TemplateResource[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || resource.Type !== type) continue;
    const base = `$.Resources${pathKey(id)}`;
    if (typeof resource.Condition === 'string') {
      const present = resolver.condition(resource.Condition, `${base}.Condition`);
      if (present === false) continue;
      if (present instanceof Unresolved) {
        issues.push({
          path: `${base}.Condition`,
          message: `whether ${id} exists depends on ${present.names.join(', ')}: supply them as parameters`,
        });
        continue;
      }
    }
    out.push({
      id,
      properties: isRecord(resource.Properties) ? resource.Properties : {},
      at: `${base}.Properties`,
    });
  }
  return out;
}

/** The logical id a `{ "Ref": id }` (or a bare id string) names; `undefined` for anything else. */
export function refTarget(value: unknown): string | undefined {
  if (isRecord(value) && typeof value.Ref === 'string' && Object.keys(value).length === 1)
    return value.Ref;
  return undefined;
}

/** The resource a `{ "Fn::GetAtt": [id, attribute] }` names, when the attribute is `attribute`. */
export function getAttTarget(value: unknown, attribute: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const arg = value['Fn::GetAtt'];
  if (Array.isArray(arg) && arg.length === 2 && arg[1] === attribute && typeof arg[0] === 'string')
    return arg[0];
  if (typeof arg === 'string' && arg.endsWith(`.${attribute}`))
    return arg.slice(0, -attribute.length - 1);
  return undefined;
}

/** A name property (`Name`) when it resolves to a string, else the logical id. */
export function nameOf(resource: TemplateResource, resolver: IntrinsicResolver): string {
  const name = resolver.resolve(resource.properties.Name, `${resource.at}.Name`);
  return typeof name === 'string' && name !== '' ? name : resource.id;
}

/** A resolved property that must be a list of strings (a single string counts as one). */
export function stringListProperty(value: unknown): unknown[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as unknown[]) : [value];
}
