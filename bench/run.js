#!/usr/bin/env node
'use strict';
// `npm run bench`: runs every bench/*.bench.ts in its own process (TypeScript through @swc-node),
// one after another so they do not compete for the two cores. `npm run bench -- iam` runs the
// benches whose file name contains "iam".
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const filter = process.argv[2];
const files = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${filter ?? '*'}`);
  process.exit(2);
}
// Node flags a bench needs: the memory bench collects garbage around each phase, and keeps the
// bytecode of idle functions (V8 would free it mid-run and phases would measure that as negative).
const nodeFlags = { 'memory.bench.ts': ['--expose-gc', '--no-flush-bytecode'] };
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(
    process.execPath,
    [...(nodeFlags[file] ?? []), '-r', '@swc-node/register', path.join(__dirname, file)],
    {
      stdio: 'inherit',
      env: { ...process.env, SWC_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
    },
  );
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
