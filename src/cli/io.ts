// The streams and environment one CLI run talks to: the process's own, or a test's (main(argv, io)).
// Nothing here loads anything: the wiring and main.ts import it on every start.

/** Where output goes: process.stdout/stderr, or a test's capture. */
type CliSink = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
/** Where `-` reads from. */
type CliSource = NodeJS.ReadableStream & { isTTY?: boolean };

export interface CliIO {
  stdout: CliSink;
  stderr: CliSink;
  stdin: CliSource;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
