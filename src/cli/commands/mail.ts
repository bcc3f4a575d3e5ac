// `tandem mailbox …`, `tandem mail …` and `tandem outbox …`: email as a real channel, and the outbox
// every channel's replies wait in. The work is in src/mail; these only parse options and print.
import type { Command } from 'commander';
import { TandemError, invalid, notFound, usage } from '../../core/errors.js';
import { withRuntime, withJson } from '../command-kit.js';
import type { Runtime } from '../runtime.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { relativeTime } from '../../text/format.js';

// The mail code (imapflow, nodemailer, mailparser) loads only when a mail command runs.
const mailboxes = () => import('../../mail/mailboxes.js');
const outbox = () => import('../../mail/outbox.js');

const toInt = (what: string) => (v: string) => {
  if (!/^\d+$/.test(v.trim())) throw invalid(`${what} takes a whole number (got ${JSON.stringify(v)})`);
  return Number(v);
};

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

const stamp = () => new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function logLine(rt: Runtime, line: string): void {
  rt.out.warn(`${stamp()} ${sanitizeLine(line)}`);
}

async function pickMailboxes(rt: Runtime, name: string | undefined) {
  const { getMailbox, listMailboxes } = await mailboxes();
  const db = (await rt.ctx()).store.db;
  if (name) return [await getMailbox(db, name)];
  const all = await listMailboxes(db);
  if (all.length === 0) throw notFound('no mailboxes yet: add one with `tandem mailbox add NAME --address … --imap … --smtp …`');
  return all;
}

function describeFetched(m: import('../../mail/fetch.js').FetchedMessage): string {
  const what = m.state === 'applied' ? `${m.outcome}${m.itemId ? ` on #${m.itemId}` : ''}`
    : m.state === 'duplicate' ? `already here${m.itemId ? ` (#${m.itemId})` : ''}`
      : m.state === 'already' ? 'taken by another fetcher'
        : `FAILED (kept): ${m.error}`;
  return `uid ${m.uid} ${m.from ?? '(no sender)'} “${m.subject}”: ${what}`;
}

export function registerMailCommands(program: Command): void {
  // ------------------------------------------------------------------------------------------
  const mailbox = program.command('mailbox').description('mailboxes: support or service addresses with their IMAP and SMTP servers');

  withJson(mailbox.command('add'))
    .description('add a mailbox; the password comes from --password-cmd or --password-env, never the command line')
    .argument('<name>', 'a short name, e.g. support')
    .requiredOption('--address <email>', 'the address customers write to (Reply-To of every reply)')
    .requiredOption('--imap <url>', 'imaps://USER@HOST[:PORT][/FOLDER] (folder default INBOX)')
    .requiredOption('--smtp <url>', 'smtps://USER@HOST[:PORT] (smtp:// uses STARTTLS when offered)')
    .option('--role <role>', 'role of items its mail opens: support | service', 'support')
    .option('--from-name <name>', 'sender name on replies (default: the replying agent\'s name)')
    .option('--password-cmd <command>', 'a command that prints the password, run each time (e.g. \'pass show shop/mail\')')
    .option('--password-env <VAR>', 'the name of an environment variable holding the password')
    .option('--insecure', 'allow plain imap:// or smtp:// to a host that is not loopback')
    .action(withRuntime(async (rt, name: string, o: { address: string; imap: string; smtp: string; role?: string; fromName?: string; passwordCmd?: string; passwordEnv?: string; insecure?: boolean }) => {
      const { addMailbox, mailboxJson } = await mailboxes();
      const mb = await addMailbox(await rt.ctx(), { name, ...o });
      if (rt.out.json) return rt.out.printJson(mailboxJson(mb));
      if (!rt.out.tty) return rt.out.print(mb.name);
      rt.out.print(`Added mailbox ${mb.name} <${mb.address}> (${mb.role}): ${mb.imapUrl}, ${mb.smtpUrl}`);
      rt.out.print(`Check it with \`tandem mailbox verify ${mb.name}\`, then start \`tandem mail run\`.`);
    }));

  withJson(mailbox.command('list'))
    .description('list mailboxes (never their passwords)')
    .action(withRuntime(async (rt) => {
      const { listMailboxes, mailboxJson } = await mailboxes();
      const list = await listMailboxes((await rt.ctx()).store.db);
      if (rt.out.json) return rt.out.printJson(list.map(mailboxJson));
      rt.out.table(list, [
        { header: 'NAME', value: (m) => m.name },
        { header: 'ADDRESS', value: (m) => m.address },
        { header: 'ROLE', value: (m) => m.role },
        { header: 'IMAP', value: (m) => m.imapUrl, flex: true },
        { header: 'SMTP', value: (m) => m.smtpUrl },
        { header: 'PASSWORD', value: (m) => (m.passwordCmd ? 'command' : m.passwordEnv ? `$${m.passwordEnv}` : 'none') },
      ], { empty: 'No mailboxes yet: tandem mailbox add NAME --address … --imap … --smtp …' });
    }));

  withJson(mailbox.command('show'))
    .description('a mailbox with its fetch cursors and its mail and outbox counts')
    .argument('<name>')
    .action(withRuntime(async (rt, name: string) => {
      const { getMailbox, mailboxJson, mailboxStatus } = await mailboxes();
      const db = (await rt.ctx()).store.db;
      const mb = await getMailbox(db, name);
      const status = await mailboxStatus(db, mb);
      if (rt.out.json) return rt.out.printJson({ ...mailboxJson(mb), ...status });
      const counts = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
      rt.out.fields([
        ['Name', mb.name], ['Address', mb.address], ['Role', mb.role], ['From name', mb.fromName],
        ['IMAP', mb.imapUrl], ['SMTP', mb.smtpUrl],
        ['Password', mb.passwordCmd ? `from the command ${mb.passwordCmd}` : mb.passwordEnv ? `from $${mb.passwordEnv}` : 'none'],
        ['Insecure', mb.insecure ? 'yes (plain text allowed)' : null],
        ...status.cursors.map((c): [string, string] => [`Folder ${c.folder}`, `UIDVALIDITY ${c.uidvalidity}, up to UID ${c.lastUid}, fetched ${c.updatedAt}`]),
        ['Fetched', counts(status.fetched)], ['Outbox', counts(status.outbox)],
      ]);
    }));

  withJson(mailbox.command('verify'))
    .description('log in to both servers and say exactly what failed: name lookup, connection, TLS, authentication, missing folder')
    .argument('<name>')
    .action(withRuntime(async (rt, name: string) => {
      const { getMailbox } = await mailboxes();
      const { verifyMailbox } = await import('../../mail/verify.js');
      const mb = await getMailbox((await rt.ctx()).store.db, name);
      const r = await verifyMailbox(mb, rt.env);
      if (rt.out.json) rt.out.printJson(r);
      else {
        for (const [what, c] of [['IMAP', r.imap], ['SMTP', r.smtp]] as const) {
          // Servers' words are quoted: never let them drive the terminal.
          const line = sanitizeLine(c.ok ? `${what} ok: ${c.message}` : `${what} FAILED (${c.stage}): ${c.message}`);
          rt.out.print(rt.out.tty ? (c.ok ? rt.out.c.green(line) : rt.out.c.red(line)) : line);
        }
      }
      if (!r.imap.ok || !r.smtp.ok) throw new TandemError('failure', '');
    }));

  withJson(mailbox.command('remove'))
    .description('remove a mailbox (refused while replies wait to go out through it)')
    .argument('<name>')
    .action(withRuntime(async (rt, name: string) => {
      const { removeMailbox, mailboxJson } = await mailboxes();
      const mb = await removeMailbox(await rt.ctx(), name);
      if (rt.out.json) return rt.out.printJson(mailboxJson(mb));
      rt.out.note(`Removed mailbox ${mb.name}; its fetched mail and outbox history stay.`);
    }));

  // ------------------------------------------------------------------------------------------
  const mail = program.command('mail').description('fetch mail into items and deliver replies');

  withJson(mail.command('fetch'))
    .description('fetch new mail from every mailbox (or one) into items; fetching again adds nothing')
    .option('--mailbox <name>', 'only this mailbox')
    .option('--watch', 'stay connected (IMAP IDLE), fetch new mail within seconds, reconnect with backoff; Ctrl-C stops')
    .option('-v, --verbose', 'a line per message as it is committed')
    .option('--since <when>', 'only mail received on or after this day (e.g. 2026-03-01 or 30d): a first fetch that skips years of old mail')
    .action(withRuntime(async (rt, o: { mailbox?: string; watch?: boolean; verbose?: boolean; since?: string }) => {
      const ctx = await rt.ctx();
      const since = o.since ? (await import('../../core/time.js')).parseWhen(o.since, ctx.clock(), 'past') : undefined;
      const me = await rt.me();
      const list = await pickMailboxes(rt, o.mailbox);
      const onMessage = (m: import('../../mail/fetch.js').FetchedMessage, mb: { name: string }) => {
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
          const kinds = ['item', 'message', 'reply', 'note'].map((k) => [k, applied.filter((m) => m.outcome?.startsWith(k)).length] as const).filter(([, n]) => n > 0);
          const parts = [
            `${applied.length} new${kinds.length ? ` (${kinds.map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ')})` : ''}`,
            by('duplicate') ? `${by('duplicate')} already here` : '', by('failed') ? `${by('failed')} failed (kept: tandem mail list --failed)` : '',
          ].filter(Boolean);
          rt.out.note(`${r.mailbox} ${r.folder}: ${parts.join(', ')}${r.reset ? ' · UIDVALIDITY changed: folder rescanned' : ''}`);
        }
      }
      for (const e of errors) rt.out.warn(`tandem: ${sanitizeLine(e)}`);
      if (errors.length) throw new TandemError('failure', '');
    }));

  withJson(mail.command('send'))
    .description('deliver the email outbox once (replies waiting to retry go when their backoff ends)')
    .option('--now', 'also send replies waiting to retry now, without waiting for their backoff')
    .action(withRuntime(async (rt, o: { now?: boolean }) => {
      const { sendQueue } = await import('../../mail/send.js');
      const r = await sendQueue(await rt.ctx(), { env: rt.env, ignoreBackoff: o.now });
      if (rt.out.json) return rt.out.printJson(r);
      if (r.recovered) rt.out.warn(`${r.recovered} repl${r.recovered === 1 ? 'y was' : 'ies were'} left half sent by a sender that stopped: now uncertain (tandem outbox --state uncertain)`);
      for (const x of r.results) rt.out.note(`outbox ${x.id} (#${x.itemId}) to ${x.recipient ?? '?'}: ${x.state}: ${sanitizeLine(x.detail)}`);
      if (r.results.length === 0) rt.out.note('Nothing to send.');
      if (r.results.some((x) => x.state === 'failed' || x.state === 'uncertain')) throw new TandemError('failure', '');
    }));

  mail.command('run')
    .description('the mail daemon: watch every mailbox (IDLE) and deliver the outbox, until Ctrl-C')
    .option('--mailbox <name>', 'only this mailbox')
    .option('--send-every <seconds>', 'how often the outbox is delivered', toInt('--send-every'), 5)
    .action(withRuntime(async (rt, o: { mailbox?: string; sendEvery: number }) => {
      const ctx = await rt.ctx();
      const me = await rt.me();
      const list = await pickMailboxes(rt, o.mailbox);
      const { runMail } = await import('../../mail/run.js');
      const { signal, done } = untilInterrupted();
      logLine(rt, `mail run: ${list.map((m) => m.name).join(', ')}; outbox every ${o.sendEvery} s; Ctrl-C stops`);
      try {
        await runMail(ctx, me, list, {
          signal, env: rt.env, sendEveryMs: Math.max(1, o.sendEvery) * 1000, log: (l) => logLine(rt, l),
          onMessage: (m, mb) => logLine(rt, `${mb.name}: ${describeFetched(m)}`),
          onSent: (x) => logLine(rt, `outbox ${x.id} (#${x.itemId}) to ${x.recipient ?? '?'}: ${x.state}: ${x.detail}`),
        });
      } finally {
        done();
      }
      logLine(rt, 'mail run: stopped');
    }));

  withJson(mail.command('list'))
    .description('fetched mail, newest first; --failed for messages that could not be applied (kept)')
    .option('--failed', 'only messages that failed')
    .option('--state <state>', 'applied | duplicate | skipped | failed')
    .option('-n, --limit <n>', 'at most', toInt('--limit'), 100)
    .action(withRuntime(async (rt, o: { failed?: boolean; state?: string; limit: number }) => {
      const { listFetchedMail } = await import('../../mail/fetch.js');
      const { parseEnum } = await import('../../core/vocabulary.js');
      const state = o.failed ? 'failed' : o.state ? parseEnum('--state', ['applied', 'duplicate', 'skipped', 'failed'] as const, o.state) : undefined;
      const list = await listFetchedMail(await rt.ctx(), { state, limit: o.limit });
      if (rt.out.json) return rt.out.printJson(list);
      rt.out.table(list, [
        { header: 'ID', value: (m) => String(m.id), align: 'right' },
        { header: 'MAILBOX', value: (m) => m.mailbox ?? '' },
        { header: 'UID', value: (m) => m.uid, align: 'right' },
        { header: 'STATE', value: (m) => m.state, color: (m, t, c) => (m.state === 'failed' ? c.red(t) : t) },
        { header: 'ITEM', value: (m) => (m.itemId ? '#' + m.itemId : ''), align: 'right' },
        { header: 'FROM', value: (m) => m.from ?? '' },
        { header: 'SUBJECT / ERROR', value: (m) => (m.state === 'failed' ? m.error ?? '' : m.subject ?? ''), flex: true },
      ], { empty: o.failed ? 'No failed mail.' : 'No mail fetched yet.' });
    }));

  mail.command('show')
    .description('write a fetched message\'s raw bytes to standard output (e.g. to re-import or inspect a failed one)')
    .argument('<id>', 'id from `tandem mail list`')
    .action(withRuntime(async (rt, id: string) => {
      const { fetchedMailRaw } = await import('../../mail/fetch.js');
      const raw = /^\d+$/.test(id) ? await fetchedMailRaw(await rt.ctx(), Number(id)) : null;
      if (!raw) throw notFound(`no fetched message ${JSON.stringify(id)} (see tandem mail list)`);
      if (process.stdout.isTTY) throw usage('the raw message is binary-safe bytes: redirect it, e.g. `tandem mail show ID > message.eml`');
      await new Promise<void>((resolve) => process.stdout.write(raw, () => resolve()));
    }));

  // ------------------------------------------------------------------------------------------
  const ob = withJson(program.command('outbox'))
    .description('replies waiting for delivery, and what became of them; scripts deliver other channels with --follow and ack')
    .option('--state <state>', 'queued | sending | retry | sent | failed | uncertain | cancelled')
    .option('--channel <channel>', 'email, sms, whatsapp, chat, social')
    .option('--item <id>', 'only this item\'s replies')
    .option('--follow', 'stream replies of --channel as they are queued, taking each for delivery (then `outbox ack ID`)')
    .option('-n, --limit <n>', 'at most', toInt('--limit'), 200)
    .action(withRuntime(async (rt, o: { state?: string; channel?: string; item?: string; follow?: boolean; limit: number }) => {
      const ctx = await rt.ctx();
      const m = await outbox();
      if (o.follow) {
        if (!o.channel) throw usage('--follow needs --channel (e.g. --channel sms)');
        const { signal, done } = untilInterrupted();
        try {
          await m.followChannel(ctx, o.channel, signal, (e) => {
            if (rt.out.json) process.stdout.write(JSON.stringify(e) + '\n');
            else rt.out.print(`${e.id}\t#${e.itemId}\t${sanitizeLine(e.recipient ?? '')}\t${sanitizeLine(e.body)}`);
          });
        } finally {
          done();
        }
        return;
      }
      const { parseItemId } = await import('../../core/item-view.js');
      const list = await m.listOutbox(ctx.store.db, { state: o.state, channel: o.channel, itemId: o.item ? parseItemId(o.item) : undefined, limit: o.limit });
      if (rt.out.json) return rt.out.printJson(list);
      const now = ctx.clock();
      rt.out.table(list, [
        { header: 'ID', value: (e) => String(e.id), align: 'right' },
        { header: 'ITEM', value: (e) => '#' + e.itemId, align: 'right' },
        { header: 'CHANNEL', value: (e) => e.channel },
        { header: 'STATE', value: (e) => e.state, color: (e, t, c) => (e.state === 'failed' || e.state === 'uncertain' ? c.red(t) : e.state === 'sent' ? c.green(t) : c.yellow(t)) },
        { header: 'TRIES', value: (e) => String(e.attempts), align: 'right' },
        { header: 'TO', value: (e) => e.recipient ?? '' },
        { header: 'WHEN', value: (e) => (rt.out.tty ? relativeTime(e.updatedAt, now) : e.updatedAt) },
        { header: 'LAST ERROR / SUBJECT', value: (e) => e.lastError ?? e.subject ?? '', flex: true },
      ], { empty: o.state ? `No ${o.state} replies.` : 'The outbox is empty.' });
    }));

  const outboxAction = (name: string, description: string, run: (rt: Runtime, id: number, o: { failed?: string }) => Promise<import('../../mail/outbox.js').OutboxEntry>, sentence: (e: import('../../mail/outbox.js').OutboxEntry) => string) =>
    withJson(ob.command(name)).description(description).argument('<id>', 'outbox id (see tandem outbox)')
      .action(withRuntime(async (rt, id: string, o: { failed?: string }) => {
        const { parseOutboxId } = await outbox();
        const e = await run(rt, parseOutboxId(id), o);
        if (rt.out.json) return rt.out.printJson(e);
        rt.out.note(sentence(e));
      }));

  outboxAction('retry', 'send a failed, uncertain or retrying reply again (now); the same mail, the same Message-ID',
    async (rt, id) => (await outbox()).retryOutbox(await rt.ctx(), await rt.me(), id),
    (e) => `Outbox ${e.id} (#${e.itemId}) queued again; \`tandem mail send\` or a running \`tandem mail run\` delivers it.`);
  outboxAction('cancel', 'never send this reply (it stays in the thread as written)',
    async (rt, id) => (await outbox()).cancelOutbox(await rt.ctx(), await rt.me(), id),
    (e) => `Outbox ${e.id} (#${e.itemId}) cancelled.`);
  outboxAction('ack', 'record a script\'s delivery: sent, or --failed REASON', async (rt, id, o) => {
    if (o.failed !== undefined && !o.failed.trim()) throw invalid('--failed needs a reason');
    return (await outbox()).ackOutbox(await rt.ctx(), await rt.me(), id, o.failed ?? null);
  }, (e) => `Outbox ${e.id} (#${e.itemId}) ${e.state}${e.lastError && e.state === 'failed' ? `: ${e.lastError}` : ''}.`)
    .option('--failed <reason>', 'the delivery failed, with the provider\'s words');
}
