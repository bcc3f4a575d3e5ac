// Opening an IMAP connection for a mailbox (imapflow), with failures named by stage.
import { ImapFlow } from 'imapflow';
import { MailConnectError, describeConnectError, passwordOrStage } from './connect-errors.js';
import type { Mailbox } from './mailboxes.js';
import { mailboxPassword } from './password.js';

export async function connectImap(mb: Mailbox, env: NodeJS.ProcessEnv = process.env): Promise<ImapFlow> {
  const a = mb.imap;
  const pass = await passwordOrStage(() => mailboxPassword(mb, env));
  const client = new ImapFlow({
    host: a.host,
    port: a.port,
    secure: a.secure,
    auth: { user: a.user ?? '', pass: pass ?? '' },
    logger: false,
    tls: { servername: a.host },
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 5 * 60_000,
    // IDLE soon after each fetch (the default waits 15 s), and renew it before servers drop it.
    autoIdleDelay: 500,
    maxIdleTime: 10 * 60_000,
    // Plain imap:// is allowed only on loopback or with --insecure; STARTTLS is still used when offered.
    ...(a.secure ? {} : { doSTARTTLS: undefined }),
  });
  // A dropped connection is reported through the promise that is waiting, not as an unhandled event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    client.close();
    throw new MailConnectError(describeConnectError(e, a));
  }
  return client;
}
