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

/**
 * The process's own streams, each opened on first use: Node builds a stream object (and loads net, tty
 * or fs streams for it) the first time one is touched, and most commands never read stdin or write
 * to stderr.
 */
export function processIO(): CliIO {
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  };
}
