#!/usr/bin/env node
'use strict';
// The package ships TypeScript; tsx (a runtime dependency) compiles it on load, scoped to this require.
const tsx = require('tsx/cjs/api');

// Node.js's on-disk compile cache for everything the command loads (see compile-cache.ts).
tsx.require('./compile-cache.ts', __filename);

const { dispatch } = tsx.require('./hardened-eks.ts', __filename);
dispatch(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
