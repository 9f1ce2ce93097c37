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
import { Option } from 'commander';
import { namedValues, oneOf } from './cli-arguments';
import type { CliContext } from './cli-context';
import { EXIT, UsageError, type CliIo } from './cli-io';

/** The flags of `gateway-auth import`, as commander parses them. */
interface ImportFlags {
  /** `--parameter NAME=VALUE`, collected. */
  parameter?: Record<string, string>;
  api?: string;
  apiType?: 'REST' | 'HTTP';
  output: 'table' | 'json';
  served?: string;
  app?: string;
  writeConfig?: string;
  decorators?: boolean;
  rootSecurity?: 'ignore' | 'apply';
  multipleAuthorizers?: 'error' | 'first';
}

/**
 * Registers `gateway-auth import FILE`: the route table of an API Gateway definition (OpenAPI
 * export, SAM or CloudFormation template), its drift against a service, and the equivalent options
 * or decorators (docs/cli.md).
 */
export function importCommand(cli: CliContext): void {
  const command = cli.command('import');
  command
    .description(
      'read an API Gateway definition (OpenAPI export, SAM, CloudFormation): the auth of every route',
    )
    .argument('<file>', 'the definition, JSON or YAML')
    .option(
      '--parameter <name=value...>',
      'a value the template leaves to deploy time (repeatable): a template parameter, AWS::Region, MyUserPool.Arn, MyFunction.Arn, Fn::ImportValue:ExportName',
      namedValues('=', 'NAME=VALUE'),
    )
    .option('--api <logical-id>', 'the API to read when the template defines several')
    .addOption(
      new Option(
        '--api-type <type>',
        "a stand-alone OpenAPI document's family (default: detected)",
      ).argParser(oneOf(['REST', 'HTTP'] as const, { caseInsensitive: true })),
    )
    .addOption(
      new Option('--output <format>', 'table, or json (the stable shape of docs/cli.md)')
        .default('table')
        .choices(['table', 'json']),
    )
    .option(
      '--served <file>',
      'routes the service serves (JSON list of "METHOD /path"): print drift',
    )
    .option(
      '--app <module>',
      'a compiled Nest module (MODULE[#EXPORT], default AppModule): print drift',
    )
    .option('--write-config <file>', 'write the equivalent gateway-auth options (JSON)')
    .option('--decorators', 'print the decorator each route needs')
    .addOption(
      new Option(
        '--root-security <mode>',
        'root-level security: ignore (default, OAS-02) or apply',
      ).choices(['ignore', 'apply']),
    )
    .addOption(
      new Option(
        '--multiple-authorizers <mode>',
        'an operation naming two authorizers: error (default, Q-OAS-1) or first',
      ).choices(['error', 'first']),
    )
    .addHelpText(
      'after',
      '\nexit codes: 0 every route readable and nothing missing, 1 problems, missing parameters or drift, 2 usage error',
    )
    .action((file: string, flags: ImportFlags) =>
      cli.run(command, () => runImport(file, flags, cli.io)),
    );
}

/**
 * `gateway-auth import`: the route table of a definition, its drift against a service, and the
 * equivalent options or decorators.
 * @returns the exit code (0 clean, 1 problems, missing parameters or drift).
 * @throws UsageError for an unreadable --served file.
 */
async function runImport(file: string, flags: ImportFlags, io: CliIo): Promise<number> {
  const options: ApiDefinitionOptions = {
    file,
    parameters: flags.parameter ?? {},
    api: flags.api,
    apiType: flags.apiType,
    rootSecurity: flags.rootSecurity,
    multipleAuthorizers: flags.multipleAuthorizers,
  };
  const plan = planApiDefinition(options, { clock: systemClock, logger: silentLogger });
  for (const source of plan.applied?.ownedKeySources ?? []) source.close?.();
  if (!plan.definition) {
    if (flags.output === 'json') {
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
    } else {
      io.err(
        `gateway-auth import: ${file}: ${plan.issues.length} problem(s)\n${plan.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      );
    }
    return EXIT.NEGATIVE;
  }
  const table: RouteTable & { drift?: DriftReport } = toRouteTable(
    plan.definition,
    plan.unresolved,
    plan.issues,
  );
  let served: ServedRoute[] | undefined;
  if (flags.served !== undefined) served = readServed(flags.served);
  if (flags.app !== undefined) served = await bootRoutes(flags.app);
  if (served) {
    const router =
      plan.applied?.router ??
      new DefinitionRouter(
        plan.definition.kind,
        plan.definition.routes.map((route) => ({ route, value: null })),
      );
    table.drift = compareRoutes({ definition: plan.definition, router, basePath: '' }, served);
  }
  if (flags.writeConfig !== undefined) {
    if (!plan.applied) {
      io.err(
        'gateway-auth import: --write-config needs a definition without problems or missing parameters',
      );
    } else {
      // The output file is the one the user names.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      writeFileSync(flags.writeConfig, JSON.stringify(equivalentOptions(plan), null, 2) + '\n');
    }
  }
  if (flags.output === 'json') io.out(JSON.stringify(table, null, 2));
  else io.out(formatTable(table));
  if (flags.decorators) io.out(decoratorLines(table));
  const drifted =
    table.drift !== undefined && table.drift.uncovered.length + table.drift.notServed.length > 0;
  return plan.issues.length > 0 || plan.unresolved.length > 0 || drifted ? EXIT.NEGATIVE : EXIT.OK;
}

/** `["GET /pets/:id", {"method": "POST", "path": "/pets"}]` from a JSON file. */
function readServed(file: string): ServedRoute[] {
  let list: unknown;
  try {
    // The user names the file.
    // eslint-disable-next-line security/detect-non-literal-fs-filename
    list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`--served: cannot read ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(list)) throw new UsageError(`--served: ${file} is not a JSON list of routes`);
  return list.map((item: unknown) => {
    if (typeof item === 'string') {
      const [method, path] = item.trim().split(/\s+/);
      if (method && path) return { method, path };
    } else if (typeof item === 'object' && item !== null) {
      const { method, path } = item as { method?: unknown; path?: unknown };
      if (typeof method === 'string' && typeof path === 'string') return { method, path };
    }
    throw new UsageError(`--served: ${JSON.stringify(item)} is not "METHOD /path"`);
  });
}

/** Boots a compiled Nest module (no listening) and lists the routes its Express adapter serves. */
async function bootRoutes(spec: string): Promise<ServedRoute[]> {
  const [modulePath, exportName = 'AppModule'] = spec.split('#') as [string, string | undefined];
  const loaded = (await import(resolvePath(modulePath))) as Record<string, unknown>;
  const appModule =
    loaded[exportName] ?? (loaded.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof appModule !== 'function')
    throw new UsageError(`--app: ${modulePath} exports no ${exportName}`);
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
