// Runs the JSON decision tables in test/iam/decision-tables (each case cites the AWS documentation
// page its expected decision comes from). The tables are data, so other engines can run them too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import {
  compilePolicy,
  evaluatePolicies,
  validatePolicy,
  type CompiledPolicy,
  type Decision,
  type EvaluationRequest,
  type PolicyKind,
  type PolicySet,
} from '.';

const DIR = join(__dirname, '../../../../../test/iam/decision-tables');

interface DecisionCase {
  id: string;
  title: string;
  doc: string;
  refs: string[];
  policies: {
    identity: unknown[];
    resource?: unknown;
    boundary?: unknown[];
    resourceAccountId?: string;
  };
  request: EvaluationRequest;
  expected: { decision: Decision; matched?: string[] };
}

interface ValidationCase {
  id: string;
  title: string;
  doc: string;
  kind: PolicyKind;
  document: unknown;
  expected: { valid: boolean; paths?: string[] };
}

function load<T>(file: string): T[] {
  return (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { cases: T[] }).cases;
}

const decisionFiles = readdirSync(DIR).filter(
  (f) => f.endsWith('.json') && f !== 'validation.json',
);

function policySet(c: DecisionCase): PolicySet {
  const set: PolicySet = {
    identityPolicies: c.policies.identity.map((d, i) => compilePolicy(d, `identity[${i}]`)),
  };
  if (c.policies.resource !== undefined) {
    set.resourcePolicy = compilePolicy(c.policies.resource, 'resource', { kind: 'resource' });
  }
  if (c.policies.boundary !== undefined) {
    set.permissionsBoundary = c.policies.boundary.map((d, i): CompiledPolicy =>
      compilePolicy(d, `boundary[${i}]`, { kind: 'boundary' }),
    );
  }
  if (c.policies.resourceAccountId !== undefined) {
    set.resourceAccountId = c.policies.resourceAccountId;
  }
  return set;
}

describe('IAM decision tables (test/iam/decision-tables)', () => {
  const all = decisionFiles.flatMap((f) => load<DecisionCase>(f));

  it('hold at least 150 cases, each citing an AWS documentation page', () => {
    expect(all.length).toBeGreaterThanOrEqual(150);
    for (const c of all) expect(c.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
  });

  describe.each(decisionFiles)('%s', (file) => {
    it.each(load<DecisionCase>(file).map((c) => [`${c.id} ${c.title}`, c] as const))(
      '%s',
      (_name, c) => {
        const set = policySet(c);
        const result = evaluatePolicies(set, c.request);
        expect(result.decision).toBe(c.expected.decision);
        if (c.expected.matched !== undefined) {
          expect(result.matchedStatements.map((s) => `${s.policyId}#${s.index}`)).toEqual(
            c.expected.matched,
          );
        }
        // The explain path must reach the same decision as the hot path.
        const explained = evaluatePolicies(set, c.request, { explain: true });
        expect(explained.decision).toBe(result.decision);
        expect(explained.matchedStatements).toEqual(result.matchedStatements);
      },
    );
  });
});

describe('IAM validation table (test/iam/decision-tables/validation.json)', () => {
  it.each(load<ValidationCase>('validation.json').map((c) => [`${c.id} ${c.title}`, c] as const))(
    '%s',
    (_name, c) => {
      const issues = validatePolicy(c.document, { kind: c.kind });
      if (c.expected.valid) {
        expect(issues).toEqual([]);
        expect(() => compilePolicy(c.document, c.id, { kind: c.kind })).not.toThrow();
        return;
      }
      expect(issues.map((i) => i.path)).toEqual(c.expected.paths);
      for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
      expect(() => compilePolicy(c.document, c.id, { kind: c.kind })).toThrow(ConfigError);
    },
  );
});
