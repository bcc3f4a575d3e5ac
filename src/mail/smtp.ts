// Handing one stored mail to a mailbox's SMTP server (nodemailer's SMTP connection), and saying what
// the outcome means: sent; retry (4xx, or the connection failed before the message was complete); failed
// (5xx); uncertain (the connection was lost after the whole message was handed over, so the server may
// have taken it: never resent without an agent).
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { MailConnectError, describeConnectError, passwordOrStage } from './connect-errors.js';
import type { Mailbox } from './mailboxes.js';
import type { DeliveryOutcome } from './outbox.js';
import { mailboxPassword } from './password.js';

function field(e: unknown, key: string): unknown {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
}

function newConnection(mb: Mailbox): SMTPConnection {
  const a = mb.smtp;
  return new SMTPConnection({
    host: a.host,
    port: a.port,
    secure: a.secure,
    tls: { servername: a.host },
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 2 * 60_000,
    name: mb.address.split('@')[1],
  });
}

function connect(conn: SMTPConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    conn.once('error', reject);
    conn.connect(() => {
      conn.removeListener('error', reject);
      resolve();
    });
  });
}

function login(conn: SMTPConnection, user: string, pass: string): Promise<void> {
  return new Promise((resolve, reject) => conn.login({ user, pass }, (err) => (err ? reject(err) : resolve())));
}

/** Connect and log in; failures carry their stage (used by `mailbox verify` and by delivery). */
export async function openSmtp(mb: Mailbox, env: NodeJS.ProcessEnv = process.env): Promise<SMTPConnection> {
  const pass = mb.smtp.user ? await passwordOrStage(() => mailboxPassword(mb, env)) : null;
  const conn = newConnection(mb);
  conn.on('error', () => undefined); // reported through the waiting promise
  try {
    await connect(conn);
    if (mb.smtp.user) await login(conn, mb.smtp.user, pass ?? '');
  } catch (e) {
    conn.close();
    throw new MailConnectError(describeConnectError(e, mb.smtp));
  }
  return conn;
}

function serverWords(e: unknown): string {
  const response = String(field(e, 'response') ?? '').trim();
  return response || (e instanceof Error ? e.message : String(e));
}

export async function deliverMail(
  mb: Mailbox,
  envelope: { from: string; to: string },
  raw: Buffer,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeliveryOutcome> {
  let conn: SMTPConnection;
  try {
    conn = await openSmtp(mb, env);
  } catch (e) {
    // The message itself was never refused: a server down, a wrong password or a missing variable
    // is retried with backoff (and shows as retrying), so mail flows again once it is fixed.
    return { kind: 'retry', error: e instanceof Error ? e.message : String(e) };
  }
  let handedOver = false;
  const source = Readable.from([raw]);
  source.on('end', () => (handedOver = true));
  try {
    const response = await new Promise<string>((resolve, reject) => {
      conn.once('error', reject);
      conn.once('end', () => reject(Object.assign(new Error('connection closed'), { code: 'ECONNECTION' })));
      conn.send({ from: envelope.from, to: [envelope.to] }, source, (err, info) =>
        err ? reject(err) : resolve(String(info?.response ?? '250')),
      );
    });
    conn.quit();
    return { kind: 'sent', response };
  } catch (e) {
    conn.close();
    const code = Number(field(e, 'responseCode') ?? 0);
    const words = serverWords(e);
    if (code >= 500) return { kind: 'failed', error: words };
    if (code >= 400) return { kind: 'retry', error: words };
    // No answer from the server. Before the whole message was handed over it cannot have been
    // accepted (no final dot); after, it may have been.
    if (handedOver)
      return { kind: 'uncertain', error: `the connection was lost after the message was sent, before the server answered (${words})` };
    return { kind: 'retry', error: words };
  }
}
