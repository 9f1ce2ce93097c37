// Each public definition's route table equals the one checked by hand (test/api-definitions/
// catalogue.ts); for SAM translator tests, reading SAM's input gives the same table as reading the
// CloudFormation SAM itself generates from it (an oracle we did not write).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock, planApiDefinition, silentLogger, toRouteTable } from 'api-gateway-auth';
import { authorizerRow, CATALOGUE, FIXTURES, routeRow } from '../../api-definitions/catalogue';

const context = { clock: fixedClock(0), logger: silentLogger };

function table(file: string, parameters?: Record<string, string>) {
  const plan = planApiDefinition({ file: join(FIXTURES, file), parameters }, context);
  for (const source of plan.applied?.ownedKeySources ?? []) source.close?.();
  if (!plan.definition) throw new Error(`${file}: ${JSON.stringify(plan.issues)}`);
  return { plan, table: toRouteTable(plan.definition, plan.unresolved, plan.issues) };
}

describe.each(CATALOGUE)('$file', (entry) => {
  it('reads the hand-checked route table and authorizers', () => {
    const { table: t } = table(entry.file, entry.parameters);
    expect(t.routes.map(routeRow).sort()).toEqual([...entry.routes].sort());
    expect(t.authorizers.map(authorizerRow).sort()).toEqual([...entry.authorizers].sort());
  });

  it('names exactly the parameters a deployment would supply, and needs nothing once given', () => {
    const bare = table(entry.file);
    expect(bare.plan.unresolved.sort()).toEqual([...entry.unresolved].sort());
    const given = table(entry.file, entry.parameters);
    expect(given.plan.unresolved).toEqual([]);
  });

  if (entry.samOutput) {
    const output = entry.samOutput;
    it("gives the same route table as the CloudFormation SAM's transform generates", () => {
      const fromInput = table(entry.file, entry.parameters).table;
      const fromOutput = table(output, entry.parameters).table;
      expect(fromOutput.routes.map(routeRow).sort()).toEqual(fromInput.routes.map(routeRow).sort());
      expect(fromOutput.authorizers.map(authorizerRow).sort()).toEqual(
        fromInput.authorizers.map(authorizerRow).sort(),
      );
    });
  }
});

it('the catalogue covers at least ten definitions and every format and authorizer kind', () => {
  expect(CATALOGUE.length).toBeGreaterThanOrEqual(10);
  const formats = new Set(CATALOGUE.map((e) => table(e.file, e.parameters).table.api?.format));
  expect([...formats].sort()).toEqual(['cloudformation', 'openapi-3', 'sam', 'swagger-2']);
  const kinds = new Set(CATALOGUE.flatMap((e) => e.routes.map((r) => r.split(' ')[2])));
  expect([...kinds].sort()).toEqual(['AWS_IAM', 'COGNITO_USER_POOLS', 'CUSTOM', 'JWT', 'NONE']);
  const types = new Set(CATALOGUE.flatMap((e) => e.authorizers.map((a) => a.split(' ')[1])));
  expect([...types].sort()).toEqual(['COGNITO_USER_POOLS', 'JWT', 'REQUEST', 'TOKEN']);
  // Every fixture file is in the catalogue, and the README names each.
  const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
  for (const entry of CATALOGUE) expect(readme).toContain(entry.file.split('/')[1]);
});
