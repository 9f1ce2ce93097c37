// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html (IAM-V-01..04)
import { parseTemplate, resolveTemplate, resolveTemplatePattern } from './policy-variables';

const lookup = (values: Record<string, string>) => {
  const missing: string[] = [];
  return {
    missing,
    single: (key: string) => values[key],
    noteMissing: (name: string) => missing.push(name),
  };
};

describe('policy variables', () => {
  it('leaves plain text alone', () => {
    expect(parseTemplate('home/alice')).toBeUndefined();
    expect(parseTemplate('a ${ b')).toBeUndefined();
    expect(parseTemplate('${}')).toBeUndefined();
  });

  it('substitutes keys case-insensitively (IAM-V-01)', () => {
    const t = parseTemplate('home/${AWS:UserName}/x');
    expect(t).toBeDefined();
    expect(resolveTemplate(t!, lookup({ 'aws:username': 'alice' }))).toBe('home/alice/x');
  });

  it('uses the default when the key is absent (IAM-V-04)', () => {
    const t = parseTemplate("${aws:PrincipalTag/team, 'company-wide'}")!;
    expect(resolveTemplate(t, lookup({}))).toBe('company-wide');
    expect(resolveTemplate(t, lookup({ 'aws:principaltag/team': 'pets' }))).toBe('pets');
  });

  it('resolves to nothing, and reports the key missing, without a value or default (IAM-C-04)', () => {
    const l = lookup({});
    expect(resolveTemplate(parseTemplate('${aws:username}')!, l)).toBeUndefined();
    expect(l.missing).toEqual(['aws:username']);
  });

  it('turns ${*} ${?} ${$} into literal characters, never wildcards (IAM-V-03)', () => {
    const t = parseTemplate('a*${*}${?}${$}')!;
    const p = resolveTemplatePattern(t, lookup({}))!;
    expect(p.text).toBe('a**?$');
    expect([...p.mask]).toEqual([0, 1, 0, 0, 0]);
  });

  it('keeps substituted values literal in patterns', () => {
    const p = resolveTemplatePattern(parseTemplate('x/${k}/*')!, lookup({ k: 'a*' }))!;
    expect(p.text).toBe('x/a*/*');
    expect([...p.mask]).toEqual([0, 0, 0, 0, 0, 1]);
  });
});
