#!/usr/bin/env node
// Thin launcher: runs the bundled program (npm run build → dist/bundle/tandem.cjs) from V8's code
// cache (./code-cache.js). CommonJS (bin/package.json) because an ES module entry costs ~10 ms more.
'use strict';
const path = require('node:path');
const { loadProgram } = require('./code-cache.js');

// `tandem … | head` closes the pipe early: stop quietly rather than crash with an EPIPE stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const { main } = loadProgram(path.join(__dirname, '..', 'dist', 'bundle', 'tandem.cjs'), process.argv, process.env);
main(process.argv).then((code) => {
  process.exitCode = code;
});
