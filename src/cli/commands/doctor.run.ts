// `tandem doctor`: every check, a fix for each problem, exit 0 when all is well and 1 otherwise.
import { TandemError } from '../../core/errors.js';
import { runChecks, type Finding } from '../../doctor/checks.js';
import { defaultDatabaseSpec } from '../../store/open.js';
import type { Deps } from '../runtime.js';

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

export type DoctorOptions = Record<string, never>;

export async function runDoctor(_o: DoctorOptions, rt: Deps): Promise<void> {
  await rt.out.ready();
  // A config file Tandem cannot read is a finding, not a crash: the doctor goes on with the
  // database the config would not have changed (--db, $TANDEM_DB, else the default).
  let configError: string | null = null;
  try {
    void rt.config;
  } catch (e) {
    configError = (e as Error).message;
  }
  const spec = configError === null ? rt.dbPath : (rt.opts.db ?? defaultDatabaseSpec(rt.env));
  const findings: Finding[] = await runChecks({
    spec,
    env: rt.env,
    // Mailboxes and the outbox need the opened store (the schema check has passed by then).
    more: async () => {
      const { mailChecks } = await import('../../doctor/mail-checks.js');
      const { openStore } = await import('../../store/open.js');
      const store = await openStore(spec);
      try {
        return await mailChecks(store.db, rt.env);
      } finally {
        await store.close();
      }
    },
  });
  if (configError !== null) {
    const at = findings.findIndex((f) => f.check === 'config');
    const finding: Finding = {
      check: 'config',
      status: 'fail',
      message: configError,
      fix: 'correct the line it names (docs/configuration.md: Config file); every other command refuses to run until then',
    };
    if (at >= 0) findings.splice(at, 1, finding);
    else findings.push(finding);
  }
  const ok = findings.every((f) => f.status === 'ok');
  if (rt.out.json) rt.out.printJson({ ok, findings });
  else {
    for (const f of findings) {
      rt.io.stdout.write(`${MARK[f.status]} ${f.check.padEnd(13)} ${f.message}\n`);
      if (f.fix) rt.io.stdout.write(`  ${' '.repeat(13)} → ${f.fix}\n`);
    }
    const problems = findings.filter((f) => f.status !== 'ok').length;
    rt.io.stdout.write(ok ? '\nAll is well.\n' : `\n${problems} problem(s) found.\n`);
  }
  if (!ok) throw new TandemError('failure', '');
}
