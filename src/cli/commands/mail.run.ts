// `tandem mailbox …`, `tandem mail …` and `tandem outbox …`: email as a real channel, and the outbox
// every channel's replies wait in. The work is in src/mail; these only parse options and print.
import { TandemError, invalid, notFound, usage } from '../../core/errors.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { relativeTime } from '../../text/format.js';
import type { Deps } from '../runtime.js';
import type { FetchedMessage } from '../../mail/fetch.js';

// The mail code (imapflow, nodemailer, mailparser) loads only when a mail command runs.
const mailboxes = () => import('../../mail/mailboxes.js');
const outbox = () => import('../../mail/outbox.js');

/** Run until Ctrl-C or SIGTERM; the signal is handed to the long-running work. */
function untilInterrupted(): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: ac.signal,
    done: () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    },
  };
}

const stamp = () =>
  new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');

function logLine(rt: Deps, line: string): void {
  rt.out.warn(`${stamp()} ${sanitizeLine(line)}`);
}

async function pickMailboxes(rt: Deps, name: string | undefined) {
  const { getMailbox, listMailboxes } = await mailboxes();
  const db = (await rt.ctx()).store.db;
  if (name) return [await getMailbox(db, name)];
  const all = await listMailboxes(db);
  if (all.length === 0) throw notFound('no mailboxes yet: add one with `tandem mailbox add NAME --address … --imap … --smtp …`');
  return all;
}

function describeFetched(m: FetchedMessage): string {
  const what =
    m.state === 'applied'
      ? `${m.outcome}${m.itemId ? ` on #${m.itemId}` : ''}`
      : m.state === 'duplicate'
        ? `already here${m.itemId ? ` (#${m.itemId})` : ''}`
        : m.state === 'already'
          ? 'taken by another fetcher'
          : `FAILED (kept): ${m.error}`;
  return `uid ${m.uid} ${m.from ?? '(no sender)'} “${m.subject}”: ${what}`;
}

export type AddFlags = {
  address: string;
  imap: string;
  smtp: string;
  role?: string;
  fromName?: string;
  passwordCmd?: string;
  passwordEnv?: string;
  insecure?: boolean;
};
export type AddOptions = AddFlags & { name: string };

export async function runAdd(o: AddOptions, rt: Deps): Promise<void> {
  const { addMailbox, mailboxJson } = await mailboxes();
  const mb = await addMailbox(await rt.ctx(), o);
  if (rt.out.json) return rt.out.printJson(mailboxJson(mb));
  if (!rt.out.tty) return rt.out.print(mb.name);
  rt.out.print(`Added mailbox ${mb.name} <${mb.address}> (${mb.role}): ${mb.imapUrl}, ${mb.smtpUrl}`);
  rt.out.print(`Check it with \`tandem mailbox verify ${mb.name}\`, then start \`tandem mail run\`.`);
}

export type ListOptions = Record<string, never>;

export async function runList(_o: ListOptions, rt: Deps): Promise<void> {
  const { listMailboxes, mailboxJson } = await mailboxes();
  const list = await listMailboxes((await rt.ctx()).store.db);
  if (rt.out.json) return rt.out.printJson(list.map(mailboxJson));
  rt.out.table(
    list,
    [
      { header: 'NAME', value: (m) => m.name },
      { header: 'ADDRESS', value: (m) => m.address },
      { header: 'ROLE', value: (m) => m.role },
      { header: 'IMAP', value: (m) => m.imapUrl, flex: true },
      { header: 'SMTP', value: (m) => m.smtpUrl },
      { header: 'PASSWORD', value: (m) => (m.passwordCmd ? 'command' : m.passwordEnv ? `$${m.passwordEnv}` : 'none') },
    ],
    { empty: 'No mailboxes yet: tandem mailbox add NAME --address … --imap … --smtp …' },
  );
}

export interface ShowOptions {
  name: string;
}

export async function runShow(o: ShowOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const { getMailbox, mailboxJson, mailboxStatus } = await mailboxes();
  const db = (await rt.ctx()).store.db;
  const mb = await getMailbox(db, name);
  const status = await mailboxStatus(db, mb);
  if (rt.out.json) return rt.out.printJson({ ...mailboxJson(mb), ...status });
  const counts = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ') || 'none';
  rt.out.fields([
    ['Name', mb.name],
    ['Address', mb.address],
    ['Role', mb.role],
    ['From name', mb.fromName],
    ['IMAP', mb.imapUrl],
    ['SMTP', mb.smtpUrl],
    ['Password', mb.passwordCmd ? `from the command ${mb.passwordCmd}` : mb.passwordEnv ? `from $${mb.passwordEnv}` : 'none'],
    ['Insecure', mb.insecure ? 'yes (plain text allowed)' : null],
    ...status.cursors.map((c): [string, string] => [
      `Folder ${c.folder}`,
      `UIDVALIDITY ${c.uidvalidity}, up to UID ${c.lastUid}, fetched ${c.updatedAt}`,
    ]),
    ['Fetched', counts(status.fetched)],
    ['Outbox', counts(status.outbox)],
  ]);
}

export interface VerifyOptions {
  name: string;
}

export async function runVerify(o: VerifyOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const { getMailbox } = await mailboxes();
  const { verifyMailbox } = await import('../../mail/verify.js');
  const mb = await getMailbox((await rt.ctx()).store.db, name);
  const r = await verifyMailbox(mb, rt.env);
  if (rt.out.json) rt.out.printJson(r);
  else {
    for (const [what, c] of [
      ['IMAP', r.imap],
      ['SMTP', r.smtp],
    ] as const) {
      // Servers' words are quoted: never let them drive the terminal.
      const line = sanitizeLine(c.ok ? `${what} ok: ${c.message}` : `${what} FAILED (${c.stage}): ${c.message}`);
      rt.out.print(rt.out.tty ? (c.ok ? rt.out.c.green(line) : rt.out.c.red(line)) : line);
    }
  }
  if (!r.imap.ok || !r.smtp.ok) throw new TandemError('failure', '');
}

export interface RemoveOptions {
  name: string;
}

export async function runRemove(o: RemoveOptions, rt: Deps): Promise<void> {
  const { name } = o;
  const { removeMailbox, mailboxJson } = await mailboxes();
  const mb = await removeMailbox(await rt.ctx(), name);
  if (rt.out.json) return rt.out.printJson(mailboxJson(mb));
  rt.out.note(`Removed mailbox ${mb.name}; its fetched mail and outbox history stay.`);
}

export type FetchOptions = { mailbox?: string; watch?: boolean; verbose?: boolean; since?: string };

export async function runFetch(o: FetchOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const since = o.since ? (await import('../../core/time.js')).parseWhen(o.since, ctx.clock(), 'past') : undefined;
  const me = await rt.me();
  const list = await pickMailboxes(rt, o.mailbox);
  const onMessage = (m: FetchedMessage, mb: { name: string }) => {
    if (o.verbose || o.watch || m.state === 'failed') logLine(rt, `${mb.name}: ${describeFetched(m)}`);
  };
  if (o.watch) {
    const { runMail } = await import('../../mail/run.js');
    const { signal, done } = untilInterrupted();
    try {
      await runMail(ctx, me, list, { signal, env: rt.env, sendEveryMs: 0, log: (l) => logLine(rt, l), onMessage, since });
    } finally {
      done();
    }
    return;
  }
  const { fetchMailbox } = await import('../../mail/fetch.js');
  const reports = [];
  const errors: string[] = [];
  for (const mb of list) {
    try {
      reports.push(await fetchMailbox(ctx, me, mb, { env: rt.env, onMessage, since }));
    } catch (e) {
      errors.push(`${mb.name}: ${(e as Error).message}`);
    }
  }
  if (rt.out.json) rt.out.printJson({ mailboxes: reports, errors });
  else {
    for (const r of reports) {
      const by = (s: string) => r.messages.filter((m) => m.state === s).length;
      const applied = r.messages.filter((m) => m.state === 'applied');
      const kinds = ['item', 'message', 'reply', 'note']
        .map((k) => [k, applied.filter((m) => m.outcome?.startsWith(k)).length] as const)
        .filter(([, n]) => n > 0);
      const parts = [
        `${applied.length} new${kinds.length ? ` (${kinds.map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ')})` : ''}`,
        by('duplicate') ? `${by('duplicate')} already here` : '',
        by('failed') ? `${by('failed')} failed (kept: tandem mail list --failed)` : '',
      ].filter(Boolean);
      rt.out.note(`${r.mailbox} ${r.folder}: ${parts.join(', ')}${r.reset ? ' · UIDVALIDITY changed: folder rescanned' : ''}`);
    }
  }
  for (const e of errors) rt.out.warn(`tandem: ${sanitizeLine(e)}`);
  if (errors.length) throw new TandemError('failure', '');
}

export type SendOptions = { now?: boolean };

export async function runSend(o: SendOptions, rt: Deps): Promise<void> {
  const { sendQueue } = await import('../../mail/send.js');
  const r = await sendQueue(await rt.ctx(), { env: rt.env, ignoreBackoff: o.now });
  if (rt.out.json) return rt.out.printJson(r);
  if (r.recovered)
    rt.out.warn(
      `${r.recovered} repl${r.recovered === 1 ? 'y was' : 'ies were'} left half sent by a sender that stopped: now uncertain (tandem outbox --state uncertain)`,
    );
  for (const x of r.results) rt.out.note(`outbox ${x.id} (#${x.itemId}) to ${x.recipient ?? '?'}: ${x.state}: ${sanitizeLine(x.detail)}`);
  if (r.results.length === 0) rt.out.note('Nothing to send.');
  if (r.results.some((x) => x.state === 'failed' || x.state === 'uncertain')) throw new TandemError('failure', '');
}

export type RunOptions = { mailbox?: string; sendEvery: number };

export async function runRun(o: RunOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const me = await rt.me();
  const list = await pickMailboxes(rt, o.mailbox);
  const { runMail } = await import('../../mail/run.js');
  const { signal, done } = untilInterrupted();
  logLine(rt, `mail run: ${list.map((m) => m.name).join(', ')}; outbox every ${o.sendEvery} s; Ctrl-C stops`);
  try {
    await runMail(ctx, me, list, {
      signal,
      env: rt.env,
      sendEveryMs: Math.max(1, o.sendEvery) * 1000,
      log: (l) => logLine(rt, l),
      onMessage: (m, mb) => logLine(rt, `${mb.name}: ${describeFetched(m)}`),
      onSent: (x) => logLine(rt, `outbox ${x.id} (#${x.itemId}) to ${x.recipient ?? '?'}: ${x.state}: ${x.detail}`),
    });
  } finally {
    done();
  }
  logLine(rt, 'mail run: stopped');
}

export type List2Options = { failed?: boolean; state?: string; limit: number };

export async function runList2(o: List2Options, rt: Deps): Promise<void> {
  const { listFetchedMail } = await import('../../mail/fetch.js');
  const { parseEnum } = await import('../../core/vocabulary.js');
  const state = o.failed
    ? 'failed'
    : o.state
      ? parseEnum('--state', ['applied', 'duplicate', 'skipped', 'failed'] as const, o.state)
      : undefined;
  const list = await listFetchedMail(await rt.ctx(), { state, limit: o.limit });
  if (rt.out.json) return rt.out.printJson(list);
  rt.out.table(
    list,
    [
      { header: 'ID', value: (m) => String(m.id), align: 'right' },
      { header: 'MAILBOX', value: (m) => m.mailbox ?? '' },
      { header: 'UID', value: (m) => m.uid, align: 'right' },
      { header: 'STATE', value: (m) => m.state, color: (m, t, c) => (m.state === 'failed' ? c.red(t) : t) },
      { header: 'ITEM', value: (m) => (m.itemId ? '#' + m.itemId : ''), align: 'right' },
      { header: 'FROM', value: (m) => m.from ?? '' },
      { header: 'SUBJECT / ERROR', value: (m) => (m.state === 'failed' ? (m.error ?? '') : (m.subject ?? '')), flex: true },
    ],
    { empty: o.failed ? 'No failed mail.' : 'No mail fetched yet.' },
  );
}

export interface Show2Options {
  id: string;
}

export async function runShow2(o: Show2Options, rt: Deps): Promise<void> {
  const { id } = o;
  const { fetchedMailRaw } = await import('../../mail/fetch.js');
  const raw = /^\d+$/.test(id) ? await fetchedMailRaw(await rt.ctx(), Number(id)) : null;
  if (!raw) throw notFound(`no fetched message ${JSON.stringify(id)} (see tandem mail list)`);
  if (rt.io.stdout.isTTY) throw usage('the raw message is binary-safe bytes: redirect it, e.g. `tandem mail show ID > message.eml`');
  await new Promise<void>((resolve) => rt.io.stdout.write(raw, () => resolve()));
}

export type OutboxOptions = { state?: string; channel?: string; item?: string; follow?: boolean; limit: number };

export async function runOutbox(o: OutboxOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const m = await outbox();
  if (o.follow) {
    if (!o.channel) throw usage('--follow needs --channel (e.g. --channel sms)');
    const { signal, done } = untilInterrupted();
    try {
      await m.followChannel(ctx, o.channel, signal, (e) => {
        if (rt.out.json) rt.io.stdout.write(JSON.stringify(e) + '\n');
        else rt.out.print(`${e.id}\t#${e.itemId}\t${sanitizeLine(e.recipient ?? '')}\t${sanitizeLine(e.body)}`);
      });
    } finally {
      done();
    }
    return;
  }
  const { parseItemId } = await import('../../core/item-view.js');
  const list = await m.listOutbox(ctx.store.db, {
    state: o.state,
    channel: o.channel,
    itemId: o.item ? parseItemId(o.item) : undefined,
    limit: o.limit,
  });
  if (rt.out.json) return rt.out.printJson(list);
  const now = ctx.clock();
  rt.out.table(
    list,
    [
      { header: 'ID', value: (e) => String(e.id), align: 'right' },
      { header: 'ITEM', value: (e) => '#' + e.itemId, align: 'right' },
      { header: 'CHANNEL', value: (e) => e.channel },
      {
        header: 'STATE',
        value: (e) => e.state,
        color: (e, t, c) => (e.state === 'failed' || e.state === 'uncertain' ? c.red(t) : e.state === 'sent' ? c.green(t) : c.yellow(t)),
      },
      { header: 'TRIES', value: (e) => String(e.attempts), align: 'right' },
      { header: 'TO', value: (e) => e.recipient ?? '' },
      { header: 'WHEN', value: (e) => (rt.out.tty ? relativeTime(e.updatedAt, now) : e.updatedAt) },
      { header: 'LAST ERROR / SUBJECT', value: (e) => e.lastError ?? e.subject ?? '', flex: true },
    ],
    { empty: o.state ? `No ${o.state} replies.` : 'The outbox is empty.' },
  );
}

export type OutboxChangeOptions = { id: string; failed?: string };

/** `outbox retry|cancel|ack ID`: one change to an outbox entry, printed as JSON or a sentence. */
export async function runOutboxChange(verb: 'retry' | 'cancel' | 'ack', o: OutboxChangeOptions, rt: Deps): Promise<void> {
  const m = await outbox();
  const id = m.parseOutboxId(o.id);
  let e: import('../../mail/outbox.js').OutboxEntry;
  if (verb === 'retry') e = await m.retryOutbox(await rt.ctx(), await rt.me(), id);
  else if (verb === 'cancel') e = await m.cancelOutbox(await rt.ctx(), await rt.me(), id);
  else {
    if (o.failed !== undefined && !o.failed.trim()) throw invalid('--failed needs a reason');
    e = await m.ackOutbox(await rt.ctx(), await rt.me(), id, o.failed ?? null);
  }
  if (rt.out.json) return rt.out.printJson(e);
  rt.out.note(
    verb === 'retry'
      ? `Outbox ${e.id} (#${e.itemId}) queued again; \`tandem mail send\` or a running \`tandem mail run\` delivers it.`
      : verb === 'cancel'
        ? `Outbox ${e.id} (#${e.itemId}) cancelled.`
        : `Outbox ${e.id} (#${e.itemId}) ${e.state}${e.lastError && e.state === 'failed' ? `: ${e.lastError}` : ''}.`,
  );
}
