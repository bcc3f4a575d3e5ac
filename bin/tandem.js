#!/usr/bin/env node
// Thin launcher: the program is the bundled CLI (npm run build).
import { main } from '../dist/bundle/tandem.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
