// Mailboxes: a support or service address with its IMAP and SMTP servers and where its password
// comes from. Adding, listing, showing and removing them; the secret itself never reaches the database.
import type { Selectable } from 'kysely';
import type { Ctx } from '../core/context.js';
import { nowIso } from '../core/context.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import { ROLES, parseEnum, type Role } from '../core/vocabulary.js';
import type { MailboxTable } from '../store/schema.js';
import type { Db } from '../store/store.js';
import { formatServerUrl, parseServerUrl, type ServerAddress } from './server-url.js';

export interface Mailbox {
  id: number;
  name: string;
  address: string;
  role: Role;
  fromName: string | null;
  imap: ServerAddress;
  smtp: ServerAddress;
  imapUrl: string;
  smtpUrl: string;
  passwordCmd: string | null;
  passwordEnv: string | null;
  insecure: boolean;
  createdAt: string;
}

export interface NewMailbox {
  name: string;
  address: string;
  imap: string;
  smtp: string;
  role?: string;
  fromName?: string | null;
  passwordCmd?: string | null;
  passwordEnv?: string | null;
  insecure?: boolean;
}

type MailboxRow = Selectable<MailboxTable>;

export function toMailbox(r: MailboxRow): Mailbox {
  const insecure = r.insecure === 1;
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    role: r.role,
    fromName: r.from_name,
    imap: parseServerUrl('imap', r.imap_url, { insecure }),
    smtp: parseServerUrl('smtp', r.smtp_url, { insecure }),
    imapUrl: r.imap_url,
    smtpUrl: r.smtp_url,
    passwordCmd: r.password_cmd,
    passwordEnv: r.password_env,
    insecure,
    createdAt: r.created_at,
  };
}

/** The JSON shape of `mailbox list|show --json`: where the password comes from, never the password. */
export function mailboxJson(mb: Mailbox) {
  return {
    name: mb.name,
    address: mb.address,
    role: mb.role,
    fromName: mb.fromName,
    imap: mb.imapUrl,
    smtp: mb.smtpUrl,
    password: mb.passwordCmd
      ? { from: 'command', command: mb.passwordCmd }
      : mb.passwordEnv
        ? { from: 'env', variable: mb.passwordEnv }
        : null,
    insecure: mb.insecure,
    createdAt: mb.createdAt,
  };
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

export function normaliseMailboxName(name: string): string {
  const n = name.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_.-]{0,39}$/.test(n))
    throw invalid(`mailbox name ${JSON.stringify(name)} must be 1-40 letters, digits, '_', '-' or '.'`);
  return n;
}

export async function addMailbox(ctx: Ctx, input: NewMailbox): Promise<Mailbox> {
  const name = normaliseMailboxName(input.name);
  const address = input.address.trim().toLowerCase();
  if (!EMAIL.test(address)) throw invalid(`--address ${JSON.stringify(input.address)} is not an email address`);
  const role = parseEnum('--role', ROLES, input.role ?? 'support');
  const insecure = Boolean(input.insecure);
  const imap = parseServerUrl('imap', input.imap, { insecure });
  const smtp = parseServerUrl('smtp', input.smtp, { insecure });
  const passwordCmd = input.passwordCmd?.trim() || null;
  const passwordEnv = input.passwordEnv?.trim() || null;
  if (passwordCmd && passwordEnv) throw invalid('give the password with --password-cmd or --password-env, not both');
  if (passwordEnv && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(passwordEnv)) {
    throw invalid(
      `--password-env takes the NAME of an environment variable (got ${JSON.stringify(passwordEnv)}); the password itself never goes on the command line`,
    );
  }
  if ((imap.user || smtp.user) && !passwordCmd && !passwordEnv) {
    throw invalid("the servers name a user, so the mailbox needs a password: --password-cmd 'pass show shop/mail' or --password-env VAR");
  }
  if (!imap.user) throw invalid('--imap needs a user: imaps://USER@HOST/FOLDER');
  const fromName = input.fromName?.replace(/[\r\n]+/g, ' ').trim() || null;
  const now = nowIso(ctx);
  return ctx.store.write(async (trx) => {
    const row = await trx
      .insertInto('mailboxes')
      .values({
        name,
        address,
        role,
        from_name: fromName,
        imap_url: formatServerUrl(imap),
        smtp_url: formatServerUrl(smtp),
        password_cmd: passwordCmd,
        password_env: passwordEnv,
        insecure: insecure ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw conflict(`a mailbox named ${name} already exists (tandem mailbox remove ${name} first)`);
    return toMailbox(row);
  });
}

export async function listMailboxes(db: Db): Promise<Mailbox[]> {
  const rows = await db.selectFrom('mailboxes').selectAll().orderBy('name').execute();
  return rows.map(toMailbox);
}

export async function getMailbox(db: Db, name: string): Promise<Mailbox> {
  const row = await db.selectFrom('mailboxes').selectAll().where('name', '=', name.trim().toLowerCase()).executeTakeFirst();
  if (!row) throw notFound(`no mailbox named ${JSON.stringify(name)} (see tandem mailbox list)`);
  return toMailbox(row);
}

export async function getMailboxById(db: Db, id: number): Promise<Mailbox | null> {
  const row = await db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMailbox(row) : null;
}

export interface MailboxStatus {
  cursors: { folder: string; uidvalidity: string; lastUid: string; updatedAt: string }[];
  fetched: Record<string, number>;
  outbox: Record<string, number>;
}

/** What a mailbox has done: its cursors, fetched mail by state, its outbox by state. */
export async function mailboxStatus(db: Db, mb: Mailbox): Promise<MailboxStatus> {
  const [cursors, fetched, outbox] = await Promise.all([
    db.selectFrom('mail_cursors').selectAll().where('mailbox_id', '=', mb.id).orderBy('folder').execute(),
    db
      .selectFrom('mail_messages')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('mailbox_id', '=', mb.id)
      .groupBy('state')
      .execute(),
    db
      .selectFrom('outbox')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('mailbox_id', '=', mb.id)
      .groupBy('state')
      .execute(),
  ]);
  return {
    cursors: cursors.map((c) => ({ folder: c.folder, uidvalidity: c.uidvalidity, lastUid: c.last_uid, updatedAt: c.updated_at })),
    fetched: Object.fromEntries(fetched.map((r) => [r.state, Number(r.n)])),
    outbox: Object.fromEntries(outbox.map((r) => [r.state, Number(r.n)])),
  };
}

export async function removeMailbox(ctx: Ctx, name: string): Promise<Mailbox> {
  return ctx.store.write(async (trx) => {
    const mb = await getMailbox(trx, name);
    const waiting = await trx
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('mailbox_id', '=', mb.id)
      .where('state', 'in', ['queued', 'sending', 'retry'])
      .executeTakeFirstOrThrow();
    if (Number(waiting.n) > 0) {
      throw conflict(
        `mailbox ${mb.name} still has ${waiting.n} repl${Number(waiting.n) === 1 ? 'y' : 'ies'} waiting to go out; send them (tandem mail send) or cancel them (tandem outbox cancel ID) first`,
      );
    }
    await trx.deleteFrom('mail_cursors').where('mailbox_id', '=', mb.id).execute();
    await trx.updateTable('mail_messages').set({ mailbox_id: null }).where('mailbox_id', '=', mb.id).execute();
    await trx.updateTable('outbox').set({ mailbox_id: null }).where('mailbox_id', '=', mb.id).execute();
    await trx.deleteFrom('mailboxes').where('id', '=', mb.id).execute();
    return mb;
  });
}
