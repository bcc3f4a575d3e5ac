#!/usr/bin/env node
// Thin launcher: the program lives in the built CLI.
import { main } from '../dist/src/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
