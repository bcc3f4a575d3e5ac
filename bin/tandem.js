#!/usr/bin/env node
// Thin launcher: the program is the bundled CLI (npm run build).
import { main } from '../dist/bundle/tandem.js';

// `tandem … | head` closes the pipe early: stop quietly rather than crash with an EPIPE stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
