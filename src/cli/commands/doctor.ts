// `tandem doctor`: every check, a fix for each problem, exit 0 when all is well and 1 otherwise.
import type { Command } from 'commander';
import { TandemError } from '../../core/errors.js';
import { runChecks, type Finding } from '../../doctor/checks.js';
import { withJson } from '../command-kit.js';
import { runtimeFor } from '../runtime.js';

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

export function registerDoctorCommand(program: Command): void {
  withJson(program.command('doctor'))
    .description('check the set-up: store, schema, file modes, config, PostgreSQL, mail, console; say how to fix what is wrong')
    .action(async (_o: unknown, cmd: Command) => {
      const rt = runtimeFor(cmd);
      await rt.out.ready();
      const findings: Finding[] = await runChecks({ spec: rt.dbPath, env: rt.env });
      const ok = findings.every((f) => f.status === 'ok');
      if (rt.out.json) rt.out.printJson({ ok, findings });
      else {
        for (const f of findings) {
          process.stdout.write(`${MARK[f.status]} ${f.check.padEnd(13)} ${f.message}\n`);
          if (f.fix) process.stdout.write(`  ${' '.repeat(13)} → ${f.fix}\n`);
        }
        const problems = findings.filter((f) => f.status !== 'ok').length;
        process.stdout.write(ok ? '\nAll is well.\n' : `\n${problems} problem(s) found.\n`);
      }
      if (!ok) throw new TandemError('failure', '');
    });
}
