import { readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { systemClock } from '../core/clock';
import { planApiDefinition, type DefinitionPlan } from '../core/definition/apply-definition';
import { DefinitionRouter } from '../core/definition/definition-router';
import type { ApiDefinitionOptions } from '../core/definition/definition-options';
import { compareRoutes, type DriftReport, type ServedRoute } from '../core/definition/drift-report';
import { parseApiGatewayPath, toFrameworkRoute } from '../core/definition/route-template';
import { toRouteTable, type RouteTable } from '../core/definition/route-table';
import { silentLogger } from '../core/logger';
import { expressRoutes } from '../express/express-routes';
import type { CliIo } from './main';

const IMPORT_USAGE = `usage: gateway-auth import FILE [options]

Reads an API Gateway definition — an OpenAPI 3 / Swagger 2 export with x-amazon-apigateway-*
extensions, an AWS SAM template or a CloudFormation template (JSON or YAML) — and prints the auth of
every route as API Gateway would create it, the authorizers, and the parameters still needed.

options:
  --parameter NAME=VALUE ...   a value the template leaves to deploy time (repeatable): a template
                               parameter, AWS::Region, MyUserPool.Arn, MyFunction.Arn,
                               Fn::ImportValue:ExportName
  --api LOGICAL_ID             the API to read when the template defines several
  --api-type REST|HTTP         the family of a stand-alone OpenAPI document (default: detected)
  --output table|json          default table; json prints the stable shape of docs/cli.md
  --served FILE                routes the service serves (JSON list of "METHOD /path"): print drift
  --app MODULE[#EXPORT]        a compiled Nest module (default export AppModule): boot it without
                               listening, read its routes and print drift
  --write-config FILE          write the equivalent gateway-auth options (JSON) for decorators users
  --decorators                 print the decorator each route needs
  --root-security ignore|apply root-level security (default ignore, as API Gateway: OAS-02)
  --multiple-authorizers error|first
                               an operation naming two authorizers (default error, Q-OAS-1)
  -h, --help                   this text

exit codes: 0 every route readable and nothing missing, 1 problems or missing parameters, 2 usage`;

class UsageError extends Error {}

interface ImportArgs {
  file: string;
  parameters: Record<string, string>;
  api?: string;
  apiType?: 'REST' | 'HTTP';
  output: 'table' | 'json';
  served?: string;
  app?: string;
  writeConfig?: string;
  decorators: boolean;
  rootSecurity?: 'ignore' | 'apply';
  multipleAuthorizers?: 'error' | 'first';
}

/**
 * `gateway-auth import`: the route table of a definition, its drift against a service, and the
 * equivalent options or decorators.
 * @returns the exit code (0 clean, 1 problems or missing parameters, 2 usage error).
 */
export async function runImport(args: readonly string[], io: CliIo): Promise<number> {
  let parsed: ImportArgs;
  try {
    if (args.includes('-h') || args.includes('--help')) {
      io.out(IMPORT_USAGE);
      return 0;
    }
    parsed = parseImportArgs(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gateway-auth import: ${error.message}\n\n${IMPORT_USAGE}`);
      return 2;
    }
    throw error;
  }
  const options: ApiDefinitionOptions = {
    file: parsed.file,
    parameters: parsed.parameters,
    api: parsed.api,
    apiType: parsed.apiType,
    rootSecurity: parsed.rootSecurity,
    multipleAuthorizers: parsed.multipleAuthorizers,
  };
  const plan = planApiDefinition(options, { clock: systemClock, logger: silentLogger });
  for (const source of plan.applied?.ownedKeySources ?? []) source.close?.();
  if (!plan.definition) {
    if (parsed.output === 'json')
      io.out(
        JSON.stringify(
          {
            routes: [],
            authorizers: [],
            unresolved: plan.unresolved,
            issues: plan.issues,
            apis: plan.apis,
          },
          null,
          2,
        ),
      );
    else
      io.err(
        `gateway-auth import: ${parsed.file}: ${plan.issues.length} problem(s)\n${plan.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      );
    return 1;
  }
  const table: RouteTable & { drift?: DriftReport } = toRouteTable(
    plan.definition,
    plan.unresolved,
    plan.issues,
  );
  let served: ServedRoute[] | undefined;
  try {
    if (parsed.served !== undefined) served = readServed(parsed.served);
    if (parsed.app !== undefined) served = await bootRoutes(parsed.app);
  } catch (error) {
    io.err(`gateway-auth import: ${(error as Error).message}`);
    return 2;
  }
  if (served) {
    const router =
      plan.applied?.router ??
      new DefinitionRouter(
        plan.definition.kind,
        plan.definition.routes.map((route) => ({ route, value: null })),
      );
    table.drift = compareRoutes({ definition: plan.definition, router, basePath: '' }, served);
  }
  if (parsed.writeConfig !== undefined) {
    if (!plan.applied) {
      io.err(
        'gateway-auth import: --write-config needs a definition without problems or missing parameters',
      );
    } else {
      // The output file is the one the user names.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      writeFileSync(parsed.writeConfig, JSON.stringify(equivalentOptions(plan), null, 2) + '\n');
    }
  }
  if (parsed.output === 'json') io.out(JSON.stringify(table, null, 2));
  else io.out(formatTable(table));
  if (parsed.decorators) io.out(decoratorLines(table));
  const drifted =
    table.drift !== undefined && table.drift.uncovered.length + table.drift.notServed.length > 0;
  return plan.issues.length > 0 || plan.unresolved.length > 0 || drifted ? 1 : 0;
}

function parseImportArgs(args: readonly string[]): ImportArgs {
  const out: ImportArgs = { file: '', parameters: {}, output: 'table', decorators: false };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--parameter=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[++i];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--parameter': {
        const first = value();
        const pairs = [first];
        while (
          args[i + 1] !== undefined &&
          !(args[i + 1] as string).startsWith('-') &&
          (args[i + 1] as string).includes('=')
        )
          pairs.push(args[++i] as string);
        for (const pair of pairs) {
          const eq = pair.indexOf('=');
          if (eq <= 0)
            throw new UsageError(`--parameter takes NAME=VALUE, got ${JSON.stringify(pair)}`);
          out.parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        break;
      }
      case '--api':
        out.api = value();
        break;
      case '--api-type': {
        const v = value().toUpperCase();
        if (v !== 'REST' && v !== 'HTTP') throw new UsageError('--api-type takes REST or HTTP');
        out.apiType = v;
        break;
      }
      case '--output': {
        const v = value();
        if (v !== 'table' && v !== 'json') throw new UsageError('--output takes table or json');
        out.output = v;
        break;
      }
      case '--served':
        out.served = value();
        break;
      case '--app':
        out.app = value();
        break;
      case '--write-config':
        out.writeConfig = value();
        break;
      case '--decorators':
        out.decorators = true;
        break;
      case '--root-security': {
        const v = value();
        if (v !== 'ignore' && v !== 'apply')
          throw new UsageError('--root-security takes ignore or apply');
        out.rootSecurity = v;
        break;
      }
      case '--multiple-authorizers': {
        const v = value();
        if (v !== 'error' && v !== 'first')
          throw new UsageError('--multiple-authorizers takes error or first');
        out.multipleAuthorizers = v;
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        files.push(arg);
    }
  }
  if (files.length !== 1)
    throw new UsageError(
      files.length === 0 ? 'FILE is required' : `one FILE, got ${files.join(' ')}`,
    );
  out.file = files[0] as string;
  return out;
}

/** `["GET /pets/:id", {"method": "POST", "path": "/pets"}]` from a JSON file. */
function readServed(file: string): ServedRoute[] {
  // The user names the file.
  // eslint-disable-next-line security/detect-non-literal-fs-filename
  const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a JSON list of routes`);
  return list.map((item: unknown) => {
    if (typeof item === 'string') {
      const [method, path] = item.trim().split(/\s+/);
      if (method && path) return { method, path };
    } else if (typeof item === 'object' && item !== null) {
      const { method, path } = item as { method?: unknown; path?: unknown };
      if (typeof method === 'string' && typeof path === 'string') return { method, path };
    }
    throw new Error(`${file}: ${JSON.stringify(item)} is not "METHOD /path"`);
  });
}

/** Boots a compiled Nest module (no listening) and lists the routes its Express adapter serves. */
async function bootRoutes(spec: string): Promise<ServedRoute[]> {
  const [modulePath, exportName = 'AppModule'] = spec.split('#') as [string, string | undefined];
  const loaded = (await import(resolvePath(modulePath))) as Record<string, unknown>;
  const appModule =
    loaded[exportName] ?? (loaded.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof appModule !== 'function') throw new Error(`${modulePath} exports no ${exportName}`);
  const { NestFactory } = await import('@nestjs/core');
  const app = await NestFactory.create(appModule as never, { logger: false });
  try {
    await app.init();
    return expressRoutes(app.getHttpAdapter().getInstance());
  } finally {
    await app.close();
  }
}

function formatTable(table: RouteTable & { drift?: DriftReport }): string {
  const rows = [['METHOD', 'PATH', 'AUTH', 'AUTHORIZER', 'SCOPES', 'API KEY', 'CACHE TTL']];
  const ttl = new Map(table.authorizers.map((a) => [a.name, a.ttlSeconds]));
  for (const r of table.routes) {
    const seconds = r.authorizer === null ? undefined : ttl.get(r.authorizer);
    rows.push([
      r.method,
      r.path,
      r.auth,
      r.authorizer ?? '-',
      r.scopes.join(' ') || '-',
      r.apiKeyRequired ? 'yes' : 'no',
      seconds === undefined || seconds === null ? '-' : `${seconds}s`,
    ]);
  }
  const lines = [
    `${table.api?.name ?? 'API'} (${table.api?.kind ?? '?'} API, ${table.api?.format ?? '?'}): ${table.routes.length} routes`,
    ...columns(rows),
  ];
  if (table.authorizers.length > 0) {
    lines.push(
      '',
      ...columns([
        ['AUTHORIZER', 'TYPE', 'IDENTITY SOURCE', 'CACHE TTL'],
        ...table.authorizers.map((a) => [
          a.name,
          a.type,
          a.identitySource.join(', ') || '-',
          a.ttlSeconds === null ? '-' : `${a.ttlSeconds}s`,
        ]),
      ]),
    );
  }
  if (table.unresolved.length > 0)
    lines.push(
      '',
      'unresolved (give them with --parameter NAME=VALUE):',
      ...table.unresolved.map((n) => `  ${n}`),
    );
  if (table.issues && table.issues.length > 0)
    lines.push('', 'problems:', ...table.issues.map((i) => `  ${i.path}: ${i.message}`));
  if (table.warnings && table.warnings.length > 0)
    lines.push('', 'warnings:', ...table.warnings.map((w) => `  ${w}`));
  const drift = table.drift;
  if (drift) {
    lines.push('', 'drift:');
    lines.push(`  in the definition, not served: ${drift.notServed.join(', ') || 'none'}`);
    if (drift.preflightsNotServed.length > 0)
      lines.push(
        `  CORS preflights not served (your CORS middleware answers them): ${drift.preflightsNotServed.join(', ')}`,
      );
    lines.push(
      `  served, not in the definition (refused): ${drift.uncovered.join(', ') || 'none'}`,
    );
    if (drift.unmodelled.length > 0)
      lines.push(`  served with paths API Gateway cannot express: ${drift.unmodelled.join(', ')}`);
  }
  return lines.join('\n');
}

function columns(rows: string[][]): string[] {
  const widths = (rows[0] as string[]).map((_, c) =>
    Math.max(...rows.map((r) => (r[c] ?? '').length)),
  );
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] as number)))
      .join('  ')
      .trimEnd(),
  );
}

/** What a decorators user writes instead of `apiDefinition`, route by route. */
function decoratorLines(table: RouteTable): string {
  const lines = ['', 'decorators:'];
  for (const r of table.routes) {
    const segments = r.path === '$default' ? undefined : parseApiGatewayPath(r.path);
    const nestPath =
      segments === undefined || typeof segments === 'string'
        ? '*'
        : toFrameworkRoute(segments).slice(1);
    const verb = r.method === 'ANY' ? 'All' : r.method.charAt(0) + r.method.slice(1).toLowerCase();
    const scopes = r.scopes.length > 0 ? `, scopes: ${JSON.stringify(r.scopes)}` : '';
    const decorator =
      r.auth === 'NONE'
        ? '@Public()'
        : r.auth === 'AWS_IAM'
          ? '@IamAuth()'
          : r.auth === 'CUSTOM'
            ? `@CustomAuthorizer(${JSON.stringify(r.authorizer)})`
            : `@CognitoAuth({ authorizer: ${JSON.stringify(r.authorizer)}${scopes} })`;
    lines.push(
      `  ${r.method} ${r.path}: ${decorator} @${verb}(${JSON.stringify(nestPath)})${r.apiKeyRequired ? '  (API key required: not expressible as a decorator)' : ''}`,
    );
  }
  return lines.join('\n');
}

/** The gateway-auth options a decorators user configures instead of `apiDefinition`. */
function equivalentOptions(plan: DefinitionPlan): unknown {
  const applied = plan.applied;
  if (!applied) return {};
  const strip = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, v: unknown) =>
        key === 'keySource' || (key === 'jwksUri' && v === '') ? undefined : v,
      ),
    );
  return {
    authorizers: strip(applied.authorizers),
    cognitoAuthorizers: strip(applied.cognitoAuthorizers),
    ...(applied.resourcePolicy ? { resourcePolicy: applied.resourcePolicy } : {}),
    ...(applied.gatewayResponses ? { gatewayResponses: applied.gatewayResponses } : {}),
  };
}
