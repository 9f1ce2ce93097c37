#!/usr/bin/env node
'use strict';
// The `gateway-auth` CLI (docs/cli.md). In this repository the library must be built first
// (`npm run build`); the published package ships dist/.
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(compiled)) {
  process.stderr.write('gateway-auth: not built yet; run `npm run build` first\n');
  process.exit(2);
}
require(compiled)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
