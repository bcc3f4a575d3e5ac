// `tandem mail fetch`: new mail from a mailbox's IMAP folder into items. Per mailbox and folder the
// cursor keeps UIDVALIDITY and the last UID applied; each message (raw bytes kept) is applied in one
// transaction together with the cursor's advance, so a fetch run twice, two fetchers at once or a fetch
// killed half way never doubles or skips a message. A UIDVALIDITY change rescans the folder and relies
// on the unique Message-ID. A message that cannot be parsed or applied is kept, marked failed, and
// the fetch goes on.
import type { ImapFlow } from 'imapflow';
import type { ParsedMail } from 'mailparser';
import { listAgents, type Agent } from '../core/agents.js';
import type { Ctx } from '../core/context.js';
import { inOneTransaction } from '../io/core-session.js';
import { errorMessage } from '../io/import-report.js';
import { applyMail, fallbackMessageId, parseMail, referencesOf } from '../io/import-email.js';
import { classifyMail } from '../io/mail-classify.js';
import type { MailMessageState } from '../store/schema.js';
import { violationOf } from '../store/engine-errors.js';
import { connectImap } from './imap.js';
import { MailConnectError, describeConnectError } from './connect-errors.js';
import type { Mailbox } from './mailboxes.js';
import { findThread } from './thread.js';

export interface FetchedMessage {
  uid: string;
  messageId: string;
  subject: string;
  from: string | null;
  /** applied: became an item/message/reply/note; duplicate: seen before; failed: kept, not applied; already: another fetcher took it. */
  state: MailMessageState | 'already';
  outcome: string | null;
  itemId: number | null;
  error: string | null;
}

export interface FetchReport {
  mailbox: string;
  folder: string;
  uidvalidity: string;
  /** True when the server's UIDVALIDITY changed since the last fetch (the folder was rescanned). */
  reset: boolean;
  messages: FetchedMessage[];
}

export interface FetchOptions {
  env?: NodeJS.ProcessEnv;
  /** Called after each message is committed. */
  onMessage?: (m: FetchedMessage, mb: Mailbox) => void;
  /** Only mail the server received on or after this day (IMAP SINCE): a first fetch that skips old years. */
  since?: Date;
}

const CHUNK = 25;

/** Connect, fetch what is new, log out. */
export async function fetchMailbox(ctx: Ctx, importer: Agent, mb: Mailbox, opts: FetchOptions = {}): Promise<FetchReport> {
  const client = await connectImap(mb, opts.env);
  try {
    return await fetchNew(ctx, importer, mb, client, opts);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Fetch what is new on an open connection (used by the one-shot fetch and by --watch). */
export async function fetchNew(ctx: Ctx, importer: Agent, mb: Mailbox, client: ImapFlow, opts: FetchOptions = {}): Promise<FetchReport> {
  const folder = mb.imap.folder;
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(folder);
  } catch (e) {
    const p = describeConnectError(e, mb.imap);
    throw new MailConnectError(
      p.stage === 'server'
        ? {
            stage: 'folder',
            message: `${mb.imap.kind.toUpperCase()} ${mb.imap.host}: cannot open folder ${folder}: ${p.message.replace(/^[^:]*: /, '')}`,
          }
        : p,
    );
  }
  try {
    const box = client.mailbox;
    if (!box) throw new Error(`folder ${folder} is not selected`);
    const uidvalidity = String(box.uidValidity);
    const cursor = await ctx.store.db
      .selectFrom('mail_cursors')
      .selectAll()
      .where('mailbox_id', '=', mb.id)
      .where('folder', '=', folder)
      .executeTakeFirst();
    const reset = Boolean(cursor && cursor.uidvalidity !== uidvalidity);
    const last = cursor && !reset ? Number(cursor.last_uid) : 0;
    const report: FetchReport = { mailbox: mb.name, folder, uidvalidity, reset, messages: [] };
    // (uidNext is not used to skip the search: on a connection kept open it is not refreshed by new mail.)
    const found = await client.search({ uid: `${last + 1}:*`, ...(opts.since ? { since: opts.since } : {}) }, { uid: true });
    // `N:*` names the newest message even when N is past it: keep only UIDs above the cursor.
    const uids = (found || []).filter((u) => u > last).sort((a, b) => a - b);
    if (uids.length === 0) return report;
    const agents = await listAgents(ctx, { includeInactive: true });
    const agentByEmail = new Map(agents.filter((a) => a.email).map((a) => [a.email!.toLowerCase(), a]));
    for (let i = 0; i < uids.length; i += CHUNK) {
      const chunk = uids.slice(i, i + CHUNK);
      const fetched: { uid: number; source: Buffer; internalDate: Date | null }[] = [];
      for await (const m of client.fetch(chunk.join(','), { uid: true, source: true, internalDate: true }, { uid: true })) {
        if (m.uid > last && m.source)
          fetched.push({ uid: m.uid, source: m.source, internalDate: m.internalDate instanceof Date ? m.internalDate : null });
      }
      fetched.sort((a, b) => a.uid - b.uid);
      for (const f of fetched) {
        const done = await applyFetched(ctx, importer, agentByEmail, mb, folder, uidvalidity, f);
        report.messages.push(done);
        opts.onMessage?.(done, mb);
      }
    }
    return report;
  } finally {
    lock.release();
  }
}

async function applyFetched(
  ctx: Ctx,
  importer: Agent,
  agentByEmail: Map<string, Agent>,
  mb: Mailbox,
  folder: string,
  uidvalidity: string,
  f: { uid: number; source: Buffer; internalDate: Date | null },
): Promise<FetchedMessage> {
  // Parse before taking the write lock: the lock is held only for the writes.
  let mail: ParsedMail | null = null;
  let parseError: string | null = null;
  try {
    mail = await parseMail(f.source);
  } catch (e) {
    parseError = `cannot parse the message: ${errorMessage(e)}`;
  }
  const messageId = (mail?.messageId?.trim() || fallbackMessageId(f.source)).slice(0, 998);
  const subject = (mail?.subject ?? '').slice(0, 500);
  const from = mail?.from?.value[0]?.address?.toLowerCase() ?? null;
  const now = ctx.clock();
  const at = f.internalDate && f.internalDate.getTime() < now.getTime() ? f.internalDate : now;
  const uid = String(f.uid);
  const base = { uid, messageId, subject, from };

  return inOneTransaction(ctx, async (session) => {
    const trx = session.trx;
    const nowText = now.toISOString();
    const cursor = await trx
      .selectFrom('mail_cursors')
      .selectAll()
      .where('mailbox_id', '=', mb.id)
      .where('folder', '=', folder)
      .executeTakeFirst();
    if (cursor && cursor.uidvalidity === uidvalidity && Number(cursor.last_uid) >= f.uid) {
      return { ...base, state: 'already', outcome: null, itemId: null, error: null };
    }
    const advance = () =>
      trx
        .insertInto('mail_cursors')
        .values({ mailbox_id: mb.id, folder, uidvalidity, last_uid: uid, updated_at: nowText })
        .onConflict((oc) => oc.columns(['mailbox_id', 'folder']).doUpdateSet({ uidvalidity, last_uid: uid, updated_at: nowText }))
        .execute();
    const inserted = await trx
      .insertInto('mail_messages')
      .values({
        mailbox_id: mb.id,
        folder,
        uidvalidity,
        uid,
        message_id: messageId,
        subject: subject || null,
        from_address: from,
        raw: f.source.toString('base64'),
        size: f.source.length,
        state: 'failed',
        outcome: null,
        error: null,
        item_id: null,
        fetched_at: nowText,
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      await advance();
      return { ...base, state: 'duplicate', outcome: null, itemId: null, error: null };
    }
    let state: MailMessageState = 'applied';
    let outcome: string | null = null;
    let itemId: number | null = null;
    let error: string | null = parseError;
    if (!mail) {
      state = 'failed';
    } else {
      const known = await trx.selectFrom('events').select('item_id').where('message_id', '=', messageId).executeTakeFirst();
      if (known) {
        // Imported from a file before, or Tandem's own reply coming back (a copy to the mailbox).
        state = 'duplicate';
        itemId = known.item_id;
      } else {
        try {
          const machine = classifyMail(mail);
          const thread = from ? await findThread(trx, referencesOf(mail), subject, from) : null;
          outcome = await session.record(() =>
            applyMail(session.ctxAt(at), importer, agentByEmail, {
              mail: mail!,
              messageId,
              itemId: thread?.itemId ?? null,
              machine,
              role: mb.role,
            }),
          );
          const ev = await trx.selectFrom('events').select('item_id').where('message_id', '=', messageId).executeTakeFirst();
          itemId = ev?.item_id ?? null;
          if (machine) outcome = `${outcome} (${machine})`;
        } catch (e) {
          // The store failing (busy, disk full, connection lost) is not the message's fault: stop
          // here without advancing the cursor, so the next fetch tries it again.
          if (isStoreFailure(e)) throw e;
          state = 'failed';
          error = errorMessage(e);
        }
      }
    }
    await trx.updateTable('mail_messages').set({ state, outcome, item_id: itemId, error }).where('id', '=', inserted.id).execute();
    await advance();
    return { ...base, state, outcome, itemId, error };
  });
}

export interface FetchedMailEntry {
  id: number;
  mailbox: string | null;
  folder: string;
  uid: string;
  messageId: string;
  from: string | null;
  subject: string | null;
  size: number;
  state: MailMessageState;
  outcome: string | null;
  itemId: number | null;
  error: string | null;
  fetchedAt: string;
}

/** Fetched mail, newest first (failed ones are what an agent looks at). */
export async function listFetchedMail(ctx: Ctx, opts: { state?: MailMessageState; limit?: number } = {}): Promise<FetchedMailEntry[]> {
  let q = ctx.store.db
    .selectFrom('mail_messages as mm')
    .leftJoin('mailboxes as m', 'm.id', 'mm.mailbox_id')
    .select([
      'mm.id',
      'm.name',
      'mm.folder',
      'mm.uid',
      'mm.message_id',
      'mm.from_address',
      'mm.subject',
      'mm.size',
      'mm.state',
      'mm.outcome',
      'mm.item_id',
      'mm.error',
      'mm.fetched_at',
    ]);
  if (opts.state) q = q.where('mm.state', '=', opts.state);
  const rows = await q
    .orderBy('mm.id', 'desc')
    .limit(opts.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    mailbox: r.name,
    folder: r.folder,
    uid: r.uid,
    messageId: r.message_id,
    from: r.from_address,
    subject: r.subject,
    size: r.size,
    state: r.state,
    outcome: r.outcome,
    itemId: r.item_id,
    error: r.error,
    fetchedAt: r.fetched_at,
  }));
}

/** A fetched message's bytes exactly as the server gave them. */
export async function fetchedMailRaw(ctx: Ctx, id: number): Promise<Buffer | null> {
  const row = await ctx.store.db.selectFrom('mail_messages').select('raw').where('id', '=', id).executeTakeFirst();
  return row ? Buffer.from(row.raw, 'base64') : null;
}

/**
 * An error of the database itself rather than of the message: busy, unreachable, or (PostgreSQL) a
 * serialization failure, which must leave the transaction so the store can run it again.
 */
function isStoreFailure(e: unknown): boolean {
  const v = violationOf(e);
  return v === 'busy' || v === 'unavailable' || v === 'serialization';
}
