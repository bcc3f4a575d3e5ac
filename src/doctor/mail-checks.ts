// The doctor's mail checks: each mailbox logs in to both servers (the password fetched as `mail` does,
// never printed), and the outbox's failed and uncertain deliveries are counted.
import type { Db } from '../store/store.js';
import type { Finding } from './checks.js';

export async function mailChecks(db: Db, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const { listMailboxes } = await import('../mail/mailboxes.js');
  const { verifyMailbox } = await import('../mail/verify.js');
  const out: Finding[] = [];
  const mailboxes = await listMailboxes(db);
  if (mailboxes.length === 0)
    out.push({ check: 'mail', status: 'ok', message: 'no mailbox set up (email is optional: `tandem mailbox add`)' });
  for (const mb of mailboxes) {
    let r: Awaited<ReturnType<typeof verifyMailbox>>;
    try {
      r = await verifyMailbox(mb, env);
    } catch (e) {
      out.push({ check: `mailbox ${mb.name}`, status: 'fail', message: (e as Error).message, fix: `tandem mailbox verify ${mb.name}` });
      continue;
    }
    for (const [side, c] of [
      ['IMAP', r.imap],
      ['SMTP', r.smtp],
    ] as const) {
      out.push(
        c.ok
          ? { check: `mailbox ${mb.name}`, status: 'ok', message: c.message }
          : {
              check: `mailbox ${mb.name}`,
              status: 'fail',
              message: `${side}: ${c.message}`,
              fix:
                c.stage === 'authentication' || c.stage === 'password'
                  ? `check the password command or variable (tandem mailbox show ${mb.name})`
                  : `tandem mailbox verify ${mb.name}`,
            },
      );
    }
  }
  const rows = await db
    .selectFrom('outbox')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['failed', 'uncertain'])
    .groupBy('state')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  if (n('failed') + n('uncertain') === 0) out.push({ check: 'outbox', status: 'ok', message: 'no failed or uncertain deliveries' });
  else {
    out.push({
      check: 'outbox',
      status: 'warn',
      message: `${n('failed')} failed and ${n('uncertain')} uncertain deliveries`,
      fix: '`tandem outbox --state failed` / `--state uncertain`, then `tandem outbox retry ID` (an uncertain one may have arrived: check first)',
    });
  }
  return out;
}
