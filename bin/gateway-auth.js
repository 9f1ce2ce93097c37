#!/usr/bin/env node
'use strict';
// The `gateway-auth` CLI. Runs the compiled library (npm run build, done by `npm install` via prepare).
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(
  __dirname,
  '..',
  'dist',
  'libs',
  'gateway-auth',
  'src',
  'cli',
  'main.js',
);
if (!fs.existsSync(compiled)) {
  process.stderr.write('gateway-auth: not built yet; run `npm run build` first\n');
  process.exit(2);
}
require(compiled)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
