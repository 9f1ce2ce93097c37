#!/usr/bin/env node
'use strict';
// `npm start`: builds the project when dist/ is missing or older than the sources, then starts the
// demo. Without COGNITO_USER_POOL_ID in the environment it runs with embedded local defaults
// (nothing to configure, offline): a local Cognito pool (cognito-local, via the launcher in
// scripts/local/cognito-local.ts), the demo SigV4 callers file, the example Lambda authorizers
// in-process, the in-process decision cache and the demo resource policy; then it prints a
// command per route that succeeds. With COGNITO_USER_POOL_ID set it starts the demo as configured.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const mainJs = path.join(root, 'dist', 'apps', 'demo', 'src', 'main.js');
// The demo imports the library by its package name (the api-gateway-auth workspace), built first.
const library = path.join(root, 'libs', 'gateway-auth');
const libraryJs = path.join(library, 'dist', 'index.js');

/** Newest modification time of the .ts/.json sources the build compiles. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
      }
    }
  };
  for (const dir of ['libs', 'apps', 'examples']) walk(path.join(root, dir));
  for (const file of [
    'tsconfig.json',
    'tsconfig.build.json',
    'package.json',
    'libs/gateway-auth/package.json',
    'libs/gateway-auth/tsconfig.build.json',
  ]) {
    newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  }
  return newest;
}

function builtAt(file) {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

function buildIfStale() {
  if (Math.min(builtAt(mainJs), builtAt(libraryJs)) >= newestSource()) return;
  process.stderr.write(
    'gateway-auth demo: building (dist/ is missing or older than the sources)...\n',
  );
  // What `npm run build` does: the library, then the demo against it.
  const tsc = require.resolve('typescript/bin/tsc');
  for (const project of [library, root]) {
    const result = spawnSync(
      process.execPath,
      [tsc, '-p', path.join(project, 'tsconfig.build.json')],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (result.status !== 0) {
      process.stderr.write('gateway-auth demo: the build failed (see above)\n');
      process.exit(1);
    }
  }
  // tsc does not touch unchanged outputs; mark the build as current.
  const now = new Date();
  fs.utimesSync(mainJs, now, now);
  fs.utimesSync(libraryJs, now, now);
}

async function startWithEmbeddedDefaults() {
  let launcher;
  try {
    process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.json');
    require('@swc-node/register');
    launcher = require(path.join(root, 'scripts', 'local', 'cognito-local.ts'));
  } catch (error) {
    process.stderr.write(
      'gateway-auth demo: the embedded local defaults need the development dependencies ' +
        `(npm install): ${error.message}\nSet COGNITO_USER_POOL_ID and IAM_CREDENTIALS_FILE to run without them.\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    'gateway-auth demo: starting a local Cognito user pool (cognito-local)...\n',
  );
  const cognito = await launcher.startLocalCognito();
  const credentialsFile = path.join(root, 'apps', 'demo', 'config', 'iam-credentials.json');
  const env = {
    ...process.env,
    HOST: process.env.HOST ?? '127.0.0.1',
    COGNITO_USER_POOL_ID: cognito.userPoolId,
    COGNITO_CLIENT_IDS: cognito.clientId,
    COGNITO_ISSUER: cognito.issuer,
    COGNITO_JWKS_URI: cognito.jwksUri,
    IAM_CREDENTIALS_FILE: process.env.IAM_CREDENTIALS_FILE ?? credentialsFile,
    RESOURCE_POLICY_FILE:
      process.env.RESOURCE_POLICY_FILE ??
      path.join(root, 'apps', 'demo', 'config', 'resource-policy.json'),
  };
  const { loadDemoConfigAndFiles } = require(
    path.join(root, 'dist', 'apps', 'demo', 'src', 'config', 'demo-files.js'),
  );
  const { startDemo } = require(
    path.join(root, 'dist', 'apps', 'demo', 'src', 'create-demo-app.js'),
  );
  const { formatRouteCommands } = require(
    path.join(root, 'dist', 'apps', 'demo', 'src', 'route-commands.js'),
  );
  let demo;
  try {
    const config = loadDemoConfigAndFiles(env);
    demo = await startDemo(config);
    const { idToken } = await cognito.signIn();
    const [readToken, writeToken] = await Promise.all([
      cognito.accessTokenWithScopes(['pets/read']),
      cognito.accessTokenWithScopes(['pets/write']),
    ]);
    const caller = JSON.parse(fs.readFileSync(env.IAM_CREDENTIALS_FILE, 'utf8')).credentials[0];
    process.stdout.write(
      formatRouteCommands({
        baseUrl: demo.url,
        region: config.api.region,
        idToken,
        readToken,
        writeToken,
        iamCaller: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey },
      }) + '\n\n',
    );
  } catch (error) {
    await demo?.close();
    await cognito.stop();
    throw error;
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.allSettled([demo.close(), cognito.stop()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function run() {
  buildIfStale();
  if (process.env.COGNITO_USER_POOL_ID) {
    await require(mainJs).main(process.env);
    return;
  }
  await startWithEmbeddedDefaults();
}

run().catch((error) => {
  process.stderr.write(`gateway-auth demo: ${error.message}\n`);
  process.exit(1);
});
