import type { ConfigIssue } from '../errors';
import { Unresolved } from './api-definition';
import { pathKey as key } from './json-path';

/** `AWS::NoValue`: the property or list item is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A template's top-level sections the resolver reads. */
export interface TemplateSections {
  Parameters?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources?: Record<string, unknown>;
}

/** What {@link IntrinsicResolver} is given besides the template. */
export interface ResolverOptions {
  /**
   * Values the user supplies, by name: template parameters (`Stage`), pseudo parameters
   * (`AWS::Region`), resource references (`MyUserPool`), attributes (`MyUserPool.Arn`) and imports
   * (`Fn::ImportValue:SharedPoolArn`).
   */
  parameters?: Readonly<Record<string, string>>;
  /** Reads an `AWS::Include` location (relative to the template); absent: includes are refused. */
  readInclude?: (location: string) => unknown;
}

const PSEUDO = new Set([
  'AWS::Region',
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
]);

const MAX_DEPTH = 100;

/**
 * Resolves CloudFormation intrinsic functions (`Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`,
 * `Fn::If`...) against the user's parameters and the template's defaults. What cannot be known
 * before deployment becomes an {@link Unresolved} naming the parameter that would supply it, so a
 * report can list exactly what the user must give. Malformed intrinsics are collected in
 * {@link issues} with their JSON paths.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
export class IntrinsicResolver {
  readonly issues: ConfigIssue[] = [];
  private readonly parameters: ReadonlyMap<string, string>;
  private readonly conditionValues = new Map<string, boolean | Unresolved>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly template: TemplateSections,
    private readonly options: ResolverOptions = {},
  ) {
    this.parameters = new Map(Object.entries(options.parameters ?? {}));
  }

  /** Whether `name` is a resource of the template. */
  hasResource(name: string): boolean {
    return Object.hasOwn(this.template.Resources ?? {}, name);
  }

  /**
   * `value` with every intrinsic function applied; unknown values become {@link Unresolved},
   * `AWS::NoValue` items and properties are dropped.
   */
  resolve(value: unknown, path: string): unknown {
    const out = this.walk(value, path, 0);
    return out === NO_VALUE ? undefined : out;
  }

  /** A template condition by name: true, false, or unresolved (a parameter it compares is missing). */
  condition(name: string, path: string): boolean | Unresolved {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const conditions = this.template.Conditions ?? {};
    if (!Object.hasOwn(conditions, name)) {
      this.issues.push({ path, message: `condition ${JSON.stringify(name)} is not in Conditions` });
      return false;
    }
    if (this.evaluating.has(name)) {
      this.issues.push({ path, message: `condition ${JSON.stringify(name)} depends on itself` });
      return false;
    }
    this.evaluating.add(name);
    const result = this.truth(conditions[name], `$.Conditions${key(name)}`, 0);
    this.evaluating.delete(name);
    this.conditionValues.set(name, result);
    return result;
  }

  private walk(value: unknown, path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) {
      this.issues.push({ path, message: `intrinsic functions nested deeper than ${MAX_DEPTH}` });
      return new Unresolved([], '?');
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((item, i) => {
        const resolved = this.walk(item, `${path}[${i}]`, depth + 1);
        if (resolved !== NO_VALUE) out.push(resolved);
      });
      return out;
    }
    if (typeof value !== 'object' || value === null || value instanceof Unresolved) return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0] as [string, unknown];
      if (fn === 'Ref' || fn.startsWith('Fn::')) return this.intrinsic(fn, arg, path, depth);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = this.walk(v, `${path}${key(k)}`, depth + 1);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown, path: string, depth: number): unknown {
    const at = `${path}${key(fn)}`;
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg) : this.bad(at, 'Ref takes a name');
      case 'Fn::GetAtt':
        return this.getAtt(this.walk(arg, at, depth + 1), at);
      case 'Fn::Sub':
        return this.sub(arg, at, depth);
      case 'Fn::Join':
        return this.join(this.walk(arg, at, depth + 1), at);
      case 'Fn::Select': {
        const a = this.walk(arg, at, depth + 1);
        if (!Array.isArray(a) || a.length !== 2) return this.bad(at, 'takes [index, list]');
        const [index, list] = a as [unknown, unknown];
        if (index instanceof Unresolved) return index;
        if (list instanceof Unresolved) return list;
        const i = typeof index === 'number' ? index : Number(index);
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
          return this.bad(at, 'the index is not in the list');
        }
        return list[i] as unknown;
      }
      case 'Fn::Split': {
        const a = this.walk(arg, at, depth + 1);
        if (!Array.isArray(a) || a.length !== 2 || typeof a[0] !== 'string') {
          return this.bad(at, 'takes [delimiter, string]');
        }
        if (a[1] instanceof Unresolved) return a[1];
        if (typeof a[1] !== 'string') return this.bad(at, 'takes [delimiter, string]');
        return a[1].split(a[0]);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
          return this.bad(at, 'takes [condition, value if true, value if false]');
        }
        const cond = this.condition(arg[0], at);
        if (cond instanceof Unresolved) return cond;
        return this.walk(cond ? arg[1] : arg[2], `${at}[${cond ? 1 : 2}]`, depth + 1);
      }
      case 'Fn::FindInMap': {
        const a = this.walk(arg, at, depth + 1);
        if (!Array.isArray(a) || a.length < 3) return this.bad(at, 'takes [map, key, key]');
        const unresolved = a.find((v) => v instanceof Unresolved);
        if (unresolved !== undefined) return unresolved;
        const [map, k1, k2] = a.map(String) as [string, string, string];
        const mappings = this.template.Mappings ?? {};
        const first = Object.hasOwn(mappings, map)
          ? (mappings[map] as Record<string, unknown>)
          : undefined;
        const second =
          first && Object.hasOwn(first, k1) ? (first[k1] as Record<string, unknown>) : undefined;
        if (!second || !Object.hasOwn(second, k2))
          return this.bad(at, `no mapping ${map}.${k1}.${k2}`);
        return this.walk(second[k2], `$.Mappings${key(map)}${key(k1)}${key(k2)}`, depth + 1);
      }
      case 'Fn::ImportValue': {
        const name = this.walk(arg, at, depth + 1);
        if (name instanceof Unresolved) return name;
        if (typeof name !== 'string') return this.bad(at, 'takes an export name');
        return (
          this.parameter(`Fn::ImportValue:${name}`) ??
          new Unresolved([`Fn::ImportValue:${name}`], `\${Fn::ImportValue:${name}}`)
        );
      }
      case 'Fn::Base64': {
        const text = this.walk(arg, at, depth + 1);
        if (text instanceof Unresolved || typeof text !== 'string') return text;
        return Buffer.from(text).toString('base64');
      }
      case 'Fn::ToJsonString': {
        const v = this.walk(arg, at, depth + 1);
        return containsUnresolved(v)
          ? new Unresolved(collect([v]), '${Fn::ToJsonString}')
          : JSON.stringify(v);
      }
      case 'Fn::Length': {
        const v = this.walk(arg, at, depth + 1);
        return Array.isArray(v)
          ? v.length
          : v instanceof Unresolved
            ? v
            : this.bad(at, 'takes a list');
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return this.truth({ [fn]: arg }, path, depth);
      case 'Fn::Transform':
        return this.transform(arg, at, depth);
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
        return new Unresolved([fn], `\${${fn}}`);
      default:
        return this.bad(at, `${fn} is not a CloudFormation intrinsic function`);
    }
  }

  private ref(name: string): unknown {
    const supplied = this.parameter(name);
    if (supplied !== undefined) return this.asParameterValue(name, supplied);
    if (PSEUDO.has(name)) return this.pseudo(name);
    const parameters = this.template.Parameters ?? {};
    if (Object.hasOwn(parameters, name)) {
      const definition = parameters[name] as { Default?: unknown } | undefined;
      if (definition?.Default !== undefined && definition.Default !== null) {
        const value = definition.Default;
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          return this.asParameterValue(name, String(value));
        }
        return this.asParameterValue(
          name,
          Array.isArray(value) ? value.join(',') : JSON.stringify(value),
        );
      }
      return new Unresolved([name], `\${${name}}`);
    }
    if (this.hasResource(name)) {
      const derived = this.resourceRef(name);
      return derived ?? new Unresolved([name], `\${${name}}`);
    }
    // Not in this template (a typo, or a value of another stack): the user may still supply it.
    return new Unresolved([name], `\${${name}}`);
  }

  /** List-typed parameters (`CommaDelimitedList`, `List<...>`) are lists. */
  private asParameterValue(name: string, value: string): unknown {
    const definition = (this.template.Parameters ?? {})[name] as { Type?: unknown } | undefined;
    const type = typeof definition?.Type === 'string' ? definition.Type : '';
    if (type === 'CommaDelimitedList' || type.startsWith('List<'))
      return value.split(',').map((s) => s.trim());
    return value;
  }

  private pseudo(name: string): unknown {
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Partition': {
        const region = this.parameter('AWS::Region');
        if (region === undefined) return 'aws';
        return region.startsWith('cn-')
          ? 'aws-cn'
          : region.startsWith('us-gov-')
            ? 'aws-us-gov'
            : 'aws';
      }
      case 'AWS::URLSuffix':
        return this.parameter('AWS::Region')?.startsWith('cn-')
          ? 'amazonaws.com.cn'
          : 'amazonaws.com';
      default:
        return new Unresolved([name], `\${${name}}`);
    }
  }

  /** A resource's `Ref` value when the template fixes it (a function's `FunctionName`). */
  private resourceRef(name: string): string | Unresolved | undefined {
    const resource = this.resourceOf(name);
    if (!resource) return undefined;
    if (
      resource.Type === 'AWS::Lambda::Function' ||
      resource.Type === 'AWS::Serverless::Function'
    ) {
      const fnName = this.walk(
        resource.Properties?.FunctionName,
        `$.Resources${key(name)}.Properties.FunctionName`,
        1,
      );
      if (typeof fnName === 'string') return fnName;
    }
    return undefined;
  }

  private getAtt(arg: unknown, path: string): unknown {
    if (arg instanceof Unresolved) return arg;
    if (
      !Array.isArray(arg) ||
      arg.length !== 2 ||
      typeof arg[0] !== 'string' ||
      typeof arg[1] !== 'string'
    ) {
      return this.bad(path, 'takes [resource, attribute]');
    }
    const [resource, attribute] = arg as [string, string];
    const name = `${resource}.${attribute}`;
    const supplied = this.parameter(name);
    if (supplied !== undefined) return supplied;
    if (!this.hasResource(resource)) return new Unresolved([name], `\${${name}}`);
    return this.derivedAttribute(resource, attribute) ?? new Unresolved([name], `\${${name}}`);
  }

  /** Attributes computable from other values: a function's ARN, a user pool's ARN and URL. */
  private derivedAttribute(resource: string, attribute: string): unknown {
    const type = this.resourceOf(resource)?.Type;
    const region = this.ref('AWS::Region');
    const account = this.ref('AWS::AccountId');
    const partition = this.pseudo('AWS::Partition') as string;
    const idOf = (): unknown => {
      const supplied = this.parameter(resource);
      return (
        supplied ??
        this.resourceRef(resource) ??
        new Unresolved([`${resource}.${attribute}`], `\${${resource}.${attribute}}`)
      );
    };
    const build = (parts: unknown[]): unknown => {
      const missing = parts.filter((p): p is Unresolved => p instanceof Unresolved);
      if (missing.length > 0) {
        // The attribute itself is the simplest thing to supply.
        return new Unresolved([`${resource}.${attribute}`], `\${${resource}.${attribute}}`);
      }
      return parts.join('');
    };
    if (
      (type === 'AWS::Lambda::Function' || type === 'AWS::Serverless::Function') &&
      attribute === 'Arn'
    ) {
      return build([`arn:${partition}:lambda:`, region, ':', account, ':function:', idOf()]);
    }
    if (type === 'AWS::Cognito::UserPool') {
      if (attribute === 'Arn')
        return build([`arn:${partition}:cognito-idp:`, region, ':', account, ':userpool/', idOf()]);
      if (attribute === 'ProviderURL')
        return build(['cognito-idp.', region, '.amazonaws.com/', idOf()]);
      if (attribute === 'ProviderName')
        return build(['cognito-idp.', region, '.amazonaws.com/', idOf()]);
    }
    return undefined;
  }

  private sub(arg: unknown, path: string, depth: number): unknown {
    let template: unknown = arg;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || typeof arg[1] !== 'object' || arg[1] === null) {
        return this.bad(path, 'takes a string or [string, variables]');
      }
      template = this.walk(arg[0], `${path}[0]`, depth + 1);
      variables = arg[1] as Record<string, unknown>;
    }
    if (template instanceof Unresolved) return template;
    if (typeof template !== 'string')
      return this.bad(path, 'takes a string or [string, variables]');
    const names: string[] = [];
    let display = '';
    let text = '';
    let last = 0;
    for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
      const literal = template.slice(last, match.index);
      text += literal;
      display += literal;
      last = (match.index ?? 0) + match[0].length;
      const inner = match[1] as string;
      if (inner.startsWith('!')) {
        text += `\${${inner.slice(1)}}`;
        display += `\${${inner.slice(1)}}`;
        continue;
      }
      const name = inner.trim();
      let value: unknown;
      if (Object.hasOwn(variables, name)) {
        value = this.walk(variables[name], `${path}[1]${key(name)}`, depth + 1);
      } else if (name.includes('.') && !PSEUDO.has(name)) {
        const dot = name.indexOf('.');
        value = this.getAtt([name.slice(0, dot), name.slice(dot + 1)], path);
      } else {
        value = this.ref(name);
      }
      if (value instanceof Unresolved) {
        for (const n of value.names) if (!names.includes(n)) names.push(n);
        display += value.display;
      } else if (
        typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean'
      ) {
        text += String(value);
        display += String(value);
      } else {
        return this.bad(path, `\${${name}} is not a string`);
      }
    }
    text += template.slice(last);
    display += template.slice(last);
    return names.length > 0 ? new Unresolved(names, display) : text;
  }

  private join(arg: unknown, path: string): unknown {
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
      return this.bad(path, 'takes [delimiter, list]');
    }
    const [delimiter, list] = arg as [string, unknown];
    if (list instanceof Unresolved) return list;
    if (!Array.isArray(list)) return this.bad(path, 'takes [delimiter, list]');
    const names = collect(list);
    const display = list
      .map((v) => (v instanceof Unresolved ? v.display : String(v)))
      .join(delimiter);
    if (names.length > 0) return new Unresolved(names, display);
    if (list.some((v) => typeof v === 'object' && v !== null))
      return this.bad(path, 'list items must be strings');
    return display;
  }

  private transform(arg: unknown, path: string, depth: number): unknown {
    const spec = this.walk(arg, path, depth + 1) as {
      Name?: unknown;
      Parameters?: { Location?: unknown };
    };
    if (spec?.Name !== 'AWS::Include') {
      return this.bad(path, 'only the AWS::Include transform is supported');
    }
    const location = spec.Parameters?.Location;
    if (location instanceof Unresolved) return location;
    if (typeof location !== 'string')
      return this.bad(`${path}.Parameters.Location`, 'must be a string');
    if (!this.options.readInclude) {
      return this.bad(
        `${path}.Parameters.Location`,
        `cannot read ${location}: give the definition as a file path`,
      );
    }
    if (/^s3:\/\//i.test(location) || /^https?:\/\//i.test(location)) {
      return this.bad(
        `${path}.Parameters.Location`,
        `${location} is remote: download it and point Location at the local copy`,
      );
    }
    try {
      return this.walk(this.options.readInclude(location), path, depth + 1);
    } catch (error) {
      return this.bad(`${path}.Parameters.Location`, (error as Error).message);
    }
  }

  /** Evaluates a condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`). */
  private truth(expression: unknown, path: string, depth: number): boolean | Unresolved {
    if (depth > MAX_DEPTH) return this.badTruth(path, 'conditions nested too deeply');
    if (typeof expression === 'boolean') return expression;
    if (typeof expression !== 'object' || expression === null || Array.isArray(expression)) {
      return this.badTruth(path, 'is not a condition');
    }
    const entries = Object.entries(expression);
    if (entries.length !== 1) return this.badTruth(path, 'is not a condition');
    const [fn, arg] = entries[0] as [string, unknown];
    const at = `${path}${key(fn)}`;
    if (fn === 'Condition') {
      return typeof arg === 'string' ? this.condition(arg, at) : this.badTruth(at, 'takes a name');
    }
    if (fn === 'Fn::Equals') {
      if (!Array.isArray(arg) || arg.length !== 2) return this.badTruth(at, 'takes two values');
      const a = this.walk(arg[0], `${at}[0]`, depth + 1);
      const b = this.walk(arg[1], `${at}[1]`, depth + 1);
      const names = collect([a, b]);
      if (names.length > 0) return new Unresolved(names, `\${${names.join('}, ${')}}`);
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    if (fn === 'Fn::Not' || fn === 'Fn::And' || fn === 'Fn::Or') {
      if (!Array.isArray(arg) || arg.length === 0)
        return this.badTruth(at, 'takes a list of conditions');
      const values = arg.map((item, i) => this.truth(item, `${at}[${i}]`, depth + 1));
      if (fn === 'Fn::Not') {
        const v = values[0] as boolean | Unresolved;
        return v instanceof Unresolved ? v : !v;
      }
      const decided = fn === 'Fn::And' ? values.includes(false) : values.includes(true);
      if (decided) return fn !== 'Fn::And';
      const names = collect(values);
      if (names.length > 0) return new Unresolved(names, `\${${names.join('}, ${')}}`);
      return fn === 'Fn::And';
    }
    return this.badTruth(at, `${fn} is not a condition function`);
  }

  private parameter(name: string): string | undefined {
    return this.parameters.get(name);
  }

  private resourceOf(
    name: string,
  ): { Type?: unknown; Properties?: Record<string, unknown> } | undefined {
    const resources = this.template.Resources ?? {};
    return Object.hasOwn(resources, name)
      ? (resources[name] as { Type?: unknown; Properties?: Record<string, unknown> })
      : undefined;
  }

  private bad(path: string, message: string): Unresolved {
    this.issues.push({ path, message });
    return new Unresolved([], '?');
  }

  private badTruth(path: string, message: string): boolean {
    this.issues.push({ path, message });
    return false;
  }
}

/** Whether a resolved value still holds an {@link Unresolved} anywhere. */
export function containsUnresolved(value: unknown): boolean {
  return collect([value]).length > 0 || hasUnresolvedNode(value, 0);
}

function hasUnresolvedNode(value: unknown, depth: number): boolean {
  if (value instanceof Unresolved) return true;
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((v) => hasUnresolvedNode(v, depth + 1));
}

function collect(values: readonly unknown[]): string[] {
  const names: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (value instanceof Unresolved) {
      for (const n of value.names) if (!names.includes(n)) names.push(n);
    } else if (typeof value === 'object' && value !== null) {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  for (const v of values) visit(v, 0);
  return names;
}
