// `tandem import --format eml FILE…` and `--format mbox FILE`: email into items through the core.
// The customer comes from From (matched or created by email); In-Reply-To/References thread a message
// into the item of an earlier Message-ID; mail from an agent's address is that agent's reply; bounces
// and auto-replies are skipped or flagged (never mixed in silently) unless asked to import them.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { convert as htmlToText } from 'html-to-text';
import { simpleParser, type ParsedMail } from 'mailparser';
import { listAgents, type Agent } from '../core/agents.js';
import type { Ctx } from '../core/context.js';
import { invalid } from '../core/errors.js';
import { SYSTEM, mutateItem } from '../core/item-mutate.js';
import { createItem, customerMessage, normaliseSubject, reply } from '../core/items.js';
import { ROLES, parseEnum, type Role } from '../core/vocabulary.js';
import { inOneTransaction } from './core-session.js';
import { Rollback, addProblem, bump, errorMessage, finish, newReport, type ImportOptions, type ImportReport } from './import-report.js';
import { openForReading, refuseBinary } from './line-reader.js';
import { classifyMail, type MachineMail } from './mail-classify.js';
import { splitMbox } from './mbox.js';

export const AUTO_REPLY_CHOICES = ['skip', 'flag', 'import'] as const;

export interface EmailOptions extends ImportOptions {
  /** What to do with bounces and auto-replies (default flag: imported, tagged, never reopening anything). */
  autoReplies?: string;
  /** Role of items opened by customers' mail (default support). */
  role?: string;
}

interface RawMessage {
  file: string;
  number: number | undefined;
  raw: Buffer;
}
interface Parsed extends RawMessage {
  mail: ParsedMail;
  date: Date;
  order: number;
  fallbackId: string;
}

function readFileBuffer(file: string): Buffer {
  const fd = openForReading(file);
  try {
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Split the files into raw messages; a file that is no mail at all is a problem of its own (skippable). */
export function readMessages(files: string[], format: 'eml' | 'mbox', onBadFile: (file: string, reason: string) => void): RawMessage[] {
  const out: RawMessage[] = [];
  for (const file of files) {
    const buf = readFileBuffer(file);
    try {
      refuseBinary(file, buf);
      if (format === 'mbox') {
        splitMbox(file, buf).forEach((raw, i) => void out.push({ file, number: i + 1, raw }));
      } else {
        if (!/^[\x21-\x39\x3b-\x7e]+:/.test(buf.subarray(0, 200).toString('latin1'))) {
          throw invalid(
            `${file} is not an email message (it does not start with a header line such as "From: …"; a mailbox? use --format mbox)`,
          );
        }
        out.push({ file, number: undefined, raw: buf });
      }
    } catch (e) {
      onBadFile(file, errorMessage(e).replace(`${file} `, '')); // the report names the file already
    }
  }
  return out;
}

export const attachmentsOf = (mail: ParsedMail) =>
  mail.attachments.map((a) => ({ name: a.filename ?? null, type: a.contentType, size: a.size }));

export function bodyOf(mail: ParsedMail): string {
  // mailparser leaves text empty for an HTML-only part inside multipart/alternative: convert it here.
  const source = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html, { wordwrap: false }) : '';
  const text = source
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();
  if (text) return text;
  const names = mail.attachments.map((a) => a.filename ?? a.contentType);
  return names.length ? `(no text; attachments: ${names.join(', ')})` : '(empty message)';
}

/** Parse one raw message. Only attachments' names, types and sizes are kept: their contents are let go. */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, { skipImageLinks: true });
  for (const a of mail.attachments) a.content = Buffer.alloc(0);
  return mail;
}

/** The id of a message that has no Message-ID: a hash of its bytes, so the same message always gets the same id. */
export function fallbackMessageId(raw: Buffer): string {
  return `<${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@tandem.import>`;
}

/** The Message-IDs a message answers, most specific first: In-Reply-To, then References newest first. */
export function referencesOf(mail: ParsedMail): string[] {
  return [mail.inReplyTo, ...(Array.isArray(mail.references) ? [...mail.references].reverse() : mail.references ? [mail.references] : [])]
    .filter((x): x is string => Boolean(x))
    .map((x) => x.trim());
}

export interface MailToApply {
  mail: ParsedMail;
  messageId: string;
  /** The item it threads into, or null for a new conversation. */
  itemId: number | null;
  machine: MachineMail | null;
  /** Role of items opened by customers' mail. */
  role: Role;
}

/**
 * One parsed message through the core: machine mail on a thread becomes a note and a tag (never a
 * customer message that reopens anything); an agent's mail is their reply; a customer's is a message;
 * mail on no thread opens an item. Used by the file import and by `tandem mail fetch`.
 */
export async function applyMail(
  c: Ctx,
  importer: Agent,
  agentByEmail: Map<string, Agent>,
  m: MailToApply,
): Promise<'note' | 'reply' | 'message' | 'item'> {
  const { mail, messageId, itemId, machine } = m;
  const sender = mail.from?.value[0];
  if (!sender?.address) throw invalid('the message has no From address');
  const fromAddress = sender.address.toLowerCase();
  const body = bodyOf(mail);
  const data = {
    from: fromAddress,
    ...(mail.attachments.length ? { attachments: attachmentsOf(mail) } : {}),
    ...(machine ? { auto: machine } : {}),
  };
  const agent = agentByEmail.get(fromAddress);
  if (itemId !== null && machine) {
    await mutateItem(c, itemId, SYSTEM, {}, async (row, trx) => {
      const hasTag = await trx
        .selectFrom('item_tags')
        .select('tag')
        .where('item_id', '=', row.id)
        .where('tag', '=', machine)
        .executeTakeFirst();
      return {
        set: {},
        events: [
          { type: 'note', body, data, messageId },
          ...(hasTag ? [] : [{ type: 'tag' as const, data: { added: [machine], removed: [] } }]),
        ],
        after: async (t) => {
          if (!hasTag) await t.insertInto('item_tags').values({ item_id: row.id, tag: machine }).execute();
        },
      };
    });
    return 'note';
  }
  if (itemId !== null && agent) {
    await reply(c, agent, itemId, body, { messageId, data });
    return 'reply';
  }
  if (itemId !== null) {
    await customerMessage(c, itemId, body, { messageId, data });
    return 'message';
  }
  const subject = normaliseSubject((mail.subject || '(no subject)').slice(0, 500));
  if (agent) {
    // An agent wrote first: an outbound conversation with the first recipient who is not an agent.
    const to = [mail.to]
      .flat()
      .flatMap((t) => t?.value ?? [])
      .map((a) => a.address?.toLowerCase())
      .find((a) => a && !agentByEmail.has(a));
    if (!to) throw invalid('a message from an agent to no customer address');
    await createItem(c, agent, {
      subject,
      body,
      customer: to,
      channel: 'email',
      direction: 'outbound',
      role: 'service',
      messageId,
      eventData: data,
    });
  } else {
    await createItem(c, importer, {
      subject,
      body,
      customer: { email: fromAddress, name: sender.name || undefined },
      channel: 'email',
      direction: 'inbound',
      role: m.role,
      priority: machine ? 'low' : 'normal',
      tags: machine ? [machine] : [],
      messageId,
      eventData: data,
    });
  }
  return 'item';
}

export async function importEmail(
  ctx: Ctx,
  importer: Agent,
  files: string[],
  format: 'eml' | 'mbox',
  opts: EmailOptions = {},
): Promise<ImportReport> {
  const autoReplies = parseEnum('--auto-replies', AUTO_REPLY_CHOICES, opts.autoReplies ?? 'flag');
  const role = parseEnum('--role', ROLES, opts.role ?? 'support');
  const report = newReport(format, files, Boolean(opts.dryRun));
  const raws = readMessages(files, format, (file, reason) => addProblem(report, { file, reason }));
  const where = (m: RawMessage) => ({ file: m.file, ...(m.number !== undefined ? { message: m.number } : {}) });

  // Parse everything first, then import oldest first, so a reply never arrives before what it answers.
  const parsed: Parsed[] = [];
  for (const [order, m] of raws.entries()) {
    try {
      const mail = await parseMail(m.raw);
      const fallbackId = fallbackMessageId(m.raw);
      parsed.push({
        ...m,
        raw: Buffer.alloc(0),
        fallbackId,
        mail,
        date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : ctx.clock(),
        order,
      });
    } catch (e) {
      addProblem(report, { ...where(m), reason: `cannot parse the message: ${errorMessage(e)}` });
    }
  }
  raws.length = 0;
  parsed.sort((a, b) => a.date.getTime() - b.date.getTime() || a.order - b.order);

  const agents = await listAgents(ctx, { includeInactive: true });
  const agentByEmail = new Map(agents.filter((a) => a.email).map((a) => [a.email!.toLowerCase(), a]));

  try {
    await inOneTransaction(ctx, async (session) => {
      const threadOf = async (ids: string[]): Promise<number | null> => {
        if (ids.length === 0) return null;
        const rows = await session.trx.selectFrom('events').select(['item_id', 'message_id']).where('message_id', 'in', ids).execute();
        for (const id of ids) {
          const hit = rows.find((r) => r.message_id === id);
          if (hit) return hit.item_id;
        }
        return null;
      };
      for (const [n, m] of parsed.entries()) {
        opts.onProgress?.(n, parsed.length);
        const mail = m.mail;
        const messageId = mail.messageId?.trim() || m.fallbackId;
        try {
          await session.record(async () => {
            const known = await session.trx.selectFrom('events').select('item_id').where('message_id', '=', messageId).executeTakeFirst();
            if (known) return bump(report.unchanged, 'message');
            const machine: MachineMail | null = autoReplies === 'import' ? null : classifyMail(mail);
            if (machine && autoReplies === 'skip') return bump(report.ignored, machine);
            const itemId = await threadOf(referencesOf(mail));
            const outcome = await applyMail(session.ctxAt(m.date), importer, agentByEmail, { mail, messageId, itemId, machine, role });
            bump(report.added, outcome);
            if (machine) bump(report.added, machine);
          });
        } catch (e) {
          addProblem(report, { ...where(m), reason: errorMessage(e) });
        }
      }
      opts.onProgress?.(parsed.length, parsed.length);
      if (opts.dryRun || (report.problemCount > 0 && !opts.skipInvalid)) throw new Rollback(report);
    });
    report.written = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return finish(report, opts);
}
