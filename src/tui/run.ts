// Placeholder until the console lands: the CLI calls runConsole() when `tandem` runs on a terminal.
import type { Runtime } from '../cli/runtime.js';

export async function runConsole(rt: Runtime): Promise<void> {
  rt.out.print('The console is coming; meanwhile try `tandem inbox`.');
}
