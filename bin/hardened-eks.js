#!/usr/bin/env node
'use strict';
// The package ships TypeScript; tsx (a runtime dependency) compiles it on load, scoped to this require.
const tsx = require('tsx/cjs/api');

const { dispatch } = tsx.require('./hardened-eks.ts', __filename);
dispatch(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
