// The TypeScript snippets of the docs, extracted to be compiled against the packed package.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './consumer-project';

export interface Snippet {
  /** Where it comes from, `docs/x.md:LINE`. */
  source: string;
  code: string;
}

/** The markdown files whose snippets must compile: the README, docs/, the package's README. */
export function documentedFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md'), join(ROOT, 'libs', 'gateway-auth', 'README.md'), ...docs];
}

/**
 * Every fenced ```ts / ```typescript block, except those marked partial (```ts partial): a
 * fragment shown inside a larger context (an options excerpt, a method body) on purpose.
 */
export function extractSnippets(file: string): { snippets: Snippet[]; partial: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let partial = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[i] as string);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
    if (/\bpartial\b/.test(open[2] ?? '')) partial++;
    else {
      snippets.push({
        source: `${relative(ROOT, file)}:${start}`,
        code: lines.slice(start, end).join('\n'),
      });
    }
    i = end;
  }
  return { snippets, partial };
}
