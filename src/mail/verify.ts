// `tandem mailbox verify`: log in to both servers and say exactly what failed (name lookup,
// connection, TLS, authentication, missing folder), or what was found.
import type { ConnectStage } from './connect-errors.js';
import { MailConnectError, describeConnectError } from './connect-errors.js';
import { connectImap } from './imap.js';
import type { Mailbox } from './mailboxes.js';
import { openSmtp } from './smtp.js';

interface ServerCheck {
  ok: boolean;
  stage: ConnectStage | null;
  message: string;
}

export interface VerifyResult {
  mailbox: string;
  imap: ServerCheck & { messages: number | null };
  smtp: ServerCheck;
}

function failed(e: unknown, fallback: Mailbox['imap']): ServerCheck {
  const p = e instanceof MailConnectError ? e.problem : describeConnectError(e, fallback);
  return { ok: false, stage: p.stage, message: p.message };
}

export async function verifyMailbox(mb: Mailbox, env: NodeJS.ProcessEnv = process.env): Promise<VerifyResult> {
  const imapWhere = `IMAP ${mb.imap.host}:${mb.imap.port}`;
  let imap: VerifyResult['imap'];
  try {
    const client = await connectImap(mb, env);
    try {
      const st = await client.status(mb.imap.folder, { messages: true });
      if (!st) throw new Error('no STATUS answer');
      const n = st.messages ?? 0;
      imap = {
        ok: true,
        stage: null,
        message: `${imapWhere}: logged in as ${mb.imap.user}; folder ${mb.imap.folder} has ${n} message${n === 1 ? '' : 's'}`,
        messages: n,
      };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      imap = {
        ok: false,
        stage: 'folder',
        message: `${imapWhere}: logged in, but folder ${mb.imap.folder} cannot be opened (missing?): ${why}`,
        messages: null,
      };
    } finally {
      await client.logout().catch(() => client.close());
    }
  } catch (e) {
    imap = { ...failed(e, mb.imap), messages: null };
  }
  let smtp: ServerCheck;
  try {
    const conn = await openSmtp(mb, env);
    conn.quit();
    smtp = {
      ok: true,
      stage: null,
      message: `SMTP ${mb.smtp.host}:${mb.smtp.port}: ${mb.smtp.user ? `logged in as ${mb.smtp.user}` : 'connected (no login)'}`,
    };
  } catch (e) {
    smtp = failed(e, mb.smtp);
  }
  return { mailbox: mb.name, imap, smtp };
}
