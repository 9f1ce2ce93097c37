import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors';
import { loadOptionalDependency } from '../optional-dependency';
import { pathKey } from './json-path';

/** Limits on reading a definition; every one refuses a hostile file before it costs much. */
export interface ParseLimits {
  /** Largest file, bytes. Default 6 MiB (API Gateway's import body limit). */
  maxBytes?: number;
  /** Most YAML alias (`*anchor`) uses. Default 200. */
  maxAliases?: number;
  /** Most values (scalars, maps, lists) once aliases are expanded. Default 500,000. */
  maxNodes?: number;
  /** Deepest nesting. Default 128. */
  maxDepth?: number;
}

/** CloudFormation's YAML short forms (`!Ref X` is `{ "Ref": "X" }`, `!Sub s` is `{ "Fn::Sub": s }`). */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
] as const;

/** Each short form as a scalar, sequence and mapping tag; conversion happens in {@link toValue}. */
const CUSTOM_TAGS = SHORT_FORMS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string): string => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown): unknown => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown): unknown => value },
]);

/**
 * Reads a definition file's text (JSON, or YAML with CloudFormation short forms) into plain values,
 * within {@link ParseLimits}: size, alias uses (YAML bombs), expanded size and depth.
 * @returns the value, or every problem found with its position.
 */
export function parseDocumentText(
  text: string,
  limits: ParseLimits = {},
): { value: unknown; issues: ConfigIssue[] } {
  const maxBytes = limits.maxBytes ?? 6 * 1024 * 1024;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return {
      value: undefined,
      issues: [
        {
          path: '$',
          message: `the file is ${bytes} bytes, over the ${maxBytes}-byte limit (apiDefinition.maxBytes)`,
        },
      ],
    };
  }
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '')
    return { value: undefined, issues: [{ path: '$', message: 'the file is empty' }] };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJson(trimmed, limits);
  return parseYaml(trimmed, limits);
}

function parseJson(text: string, limits: ParseLimits): { value: unknown; issues: ConfigIssue[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      value: undefined,
      issues: [{ path: '$', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const issues: ConfigIssue[] = [];
  checkShape(value, limits, issues);
  return { value: issues.length > 0 ? undefined : value, issues };
}

/** Depth and size of an already parsed JSON value (JSON has no aliases, but can still be deep). */
function checkShape(value: unknown, limits: ParseLimits, issues: ConfigIssue[]): void {
  const maxDepth = limits.maxDepth ?? 128;
  const maxNodes = limits.maxNodes ?? 500_000;
  let nodes = 0;
  const stack: Array<{ value: unknown; depth: number; path: string }> = [
    { value, depth: 0, path: '$' },
  ];
  while (stack.length > 0) {
    const top = stack.pop() as { value: unknown; depth: number; path: string };
    if (++nodes > maxNodes) {
      issues.push({ path: '$', message: `more than ${maxNodes} values: refused as too large` });
      return;
    }
    if (top.depth > maxDepth) {
      issues.push({ path: top.path, message: `nested deeper than ${maxDepth} levels` });
      return;
    }
    if (typeof top.value === 'object' && top.value !== null) {
      for (const [key, child] of Object.entries(top.value)) {
        if (key === '__proto__') {
          issues.push({
            path: `${top.path}${pathKey(key)}`,
            message: 'the key __proto__ is not allowed',
          });
          return;
        }
        stack.push({ value: child, depth: top.depth + 1, path: `${top.path}${pathKey(key)}` });
      }
    }
  }
}

function parseYaml(text: string, limits: ParseLimits): { value: unknown; issues: ConfigIssue[] } {
  let yaml: typeof Yaml;
  try {
    // YAML definitions need the optional peer dependency `yaml` (JSON needs nothing).
    yaml = loadOptionalDependency<typeof Yaml>('yaml', 'apiDefinition (a YAML definition)');
  } catch (error) {
    if (error instanceof ConfigError) return { value: undefined, issues: [...error.issues] };
    throw error;
  }
  let doc: Document.Parsed;
  const lines = new yaml.LineCounter();
  try {
    doc = yaml.parseDocument(text, {
      customTags: CUSTOM_TAGS,
      uniqueKeys: true,
      prettyErrors: false,
      lineCounter: lines,
    });
  } catch (error) {
    return {
      value: undefined,
      issues: [{ path: '$', message: `not valid YAML: ${(error as Error).message}` }],
    };
  }
  const issues: ConfigIssue[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    const at = lines.linePos(error.pos[0]);
    issues.push({
      path: '$',
      message: `line ${at.line}, column ${at.col}: ${error.message.split('\n')[0] ?? error.message}`,
    });
  }
  if (issues.length > 0) return { value: undefined, issues };
  const state: WalkState = {
    yaml,
    doc,
    aliases: 0,
    nodes: 0,
    maxAliases: limits.maxAliases ?? 200,
    maxNodes: limits.maxNodes ?? 500_000,
    maxDepth: limits.maxDepth ?? 128,
    expanding: new Set(),
  };
  try {
    return { value: toValue(doc.contents, '$', 0, state), issues };
  } catch (error) {
    if (error instanceof LimitError)
      return { value: undefined, issues: [{ path: error.path, message: error.message }] };
    throw error;
  }
}

interface WalkState {
  yaml: typeof Yaml;
  doc: Document.Parsed;
  aliases: number;
  nodes: number;
  maxAliases: number;
  maxNodes: number;
  maxDepth: number;
  /** Anchored nodes being expanded: an alias inside its own anchor is a cycle. */
  expanding: Set<Node>;
}

class LimitError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A YAML node as a plain value; CloudFormation tags become their JSON intrinsic form. */
function toValue(node: unknown, path: string, depth: number, state: WalkState): unknown {
  if (++state.nodes > state.maxNodes) {
    throw new LimitError(
      path,
      `more than ${state.maxNodes} values once aliases are expanded: refused (a YAML bomb?)`,
    );
  }
  if (depth > state.maxDepth)
    throw new LimitError(path, `nested deeper than ${state.maxDepth} levels`);
  if (node === null || node === undefined) return null;
  const { isAlias, isMap, isScalar, isSeq } = state.yaml;
  if (isAlias(node)) {
    if (++state.aliases > state.maxAliases) {
      throw new LimitError(
        path,
        `more than ${state.maxAliases} YAML aliases: refused (a YAML bomb?)`,
      );
    }
    const target = node.resolve(state.doc);
    if (target === undefined) throw new LimitError(path, `alias *${node.source} has no anchor`);
    if (state.expanding.has(target))
      throw new LimitError(path, `alias *${node.source} refers to itself`);
    state.expanding.add(target);
    try {
      return toValue(target, path, depth + 1, state);
    } finally {
      state.expanding.delete(target);
    }
  }
  let value: unknown;
  if (isScalar(node)) {
    value = node.value;
    if (typeof value === 'bigint') value = Number(value);
  } else if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
        throw new LimitError(path, 'a mapping key must be a plain string');
      }
      const name = String(key);
      if (name === '__proto__')
        throw new LimitError(`${path}${pathKey(name)}`, 'the key __proto__ is not allowed');
      out[name] = toValue(pair.value, `${path}${pathKey(name)}`, depth + 1, state);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item, i) => toValue(item, `${path}[${i}]`, depth + 1, state));
  } else {
    throw new LimitError(path, 'unsupported YAML node');
  }
  const tag = (node as { tag?: string }).tag;
  if (tag === undefined || !tag.startsWith('!')) return value;
  const name = tag.slice(1);
  if (!(SHORT_FORMS as readonly string[]).includes(name)) {
    throw new LimitError(path, `unknown tag ${tag}`);
  }
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}
