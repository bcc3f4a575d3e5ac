// `tandem doctor` wiring; the checks run in doctor.run.ts, loaded only when the doctor runs.
import type { Command } from 'commander';
import { ioOf, withJson } from '../command-kit.js';

export function registerDoctorCommand(program: Command): void {
  withJson(program.command('doctor'))
    .description('check the set-up: store, schema, file modes, config, PostgreSQL, mail, console; say how to fix what is wrong')
    .action(async (_o: unknown, cmd: Command) => {
      // Not lazyAction: a broken config file is one of the doctor's findings, not a refusal to run.
      const [{ runtimeFor }, { runDoctor }] = await Promise.all([import('../runtime.js'), import('./doctor.run.js')]);
      await runDoctor({}, runtimeFor(cmd, ioOf(cmd)));
    });
}
