// `tandem import --format csv-messages FILE`: conversations exported one message per row (helpdesk
// comment exports, social-media support threads), through the core. Rows are grouped by a
// conversation column, or by following reply-to ids back to the root message. A yes/no column, the
// --agent-author values, or an agent's handle/email/name says who wrote each message. Messages are
// applied in time order: the first customer message opens the item, agent messages are replies (so
// first response time is right), later customer messages reopen a resolved item as usual.
import { listAgents, type Agent } from '../core/agents.js';
import type { Ctx } from '../core/context.js';
import { findOrCreateCustomerByNameOrEmail } from '../core/customers.js';
import { usage } from '../core/errors.js';
import { createItem, customerMessage, note, reply } from '../core/items.js';
import { ROLES, parseEnum } from '../core/vocabulary.js';
import { parseCsvDate } from './csv-dates.js';
import { detectColumns, looksLikeEmail, type FieldSpec } from './csv-detect.js';
import { inspectTable, type InspectReport } from './csv-inspect.js';
import { guessChannel } from './csv-mapping.js';
import { runRowsThroughCore, type RowTask } from './csv-core-import.js';
import { present, readCsvTable, type CsvTable } from './csv-table.js';
import { parseYesNo } from './csv-values.js';
import { fallbackExternalId } from './csv-identity.js';
import { RecordError, addProblem, bump, newReport, type ImportOptions, type ImportReport } from './import-report.js';

export const MESSAGE_FIELDS = [
  'conversation',
  'messageId',
  'replyTo',
  'author',
  'fromCustomer',
  'public',
  'body',
  'createdAt',
  'subject',
  'channel',
] as const;
export type MessageField = (typeof MESSAGE_FIELDS)[number];

export interface CsvMessagesOptions extends ImportOptions {
  map?: string[];
  dateFormat?: string;
  encoding?: string;
  delimiter?: string;
  /** Authors who are agents (the company's own account…), when there is no yes/no column. */
  agentAuthors?: string[];
  role?: string;
  idPrefix?: string;
}

function messageSpecs(dateFormat?: string): FieldSpec<MessageField>[] {
  const isDate = (v: string) => {
    try {
      parseCsvDate(v, 'date', dateFormat);
      return true;
    } catch {
      return false;
    }
  };
  return [
    {
      field: 'conversation',
      about: 'which conversation the message belongs to',
      names: [
        'conversation',
        'conversation id',
        'ticket id',
        'ticket',
        'thread id',
        'thread',
        'case id',
        'issue key',
        'chat id',
        'ticket number',
      ],
      contains: ['conversation', 'thread', 'ticket'],
    },
    {
      field: 'messageId',
      about: "the message's own id",
      names: ['message id', 'comment id', 'tweet id', 'post id', 'id', 'reply id', 'event id'],
      contains: ['messageid', 'commentid', 'tweetid', 'postid'],
    },
    {
      field: 'replyTo',
      about: 'the id of the message it answers (follows chains to the root)',
      names: ['in response to tweet id', 'in reply to', 'in reply to id', 'reply to', 'parent id', 'parent message id', 'in response to'],
      contains: ['inresponseto', 'inreplyto', 'replyto', 'parent'],
    },
    {
      field: 'author',
      about: 'who wrote it (handle, email or name)',
      names: ['author', 'author id', 'author email', 'author name', 'from', 'sender', 'user', 'user id', 'screen name', 'commenter'],
      contains: ['author', 'sender'],
    },
    {
      field: 'fromCustomer',
      about: 'yes when the customer wrote it (true/false, yes/no, 1/0)',
      names: ['inbound', 'from customer', 'is customer', 'incoming', 'direction', 'is inbound'],
      check: { test: (v) => parseYesNo(v) !== null, what: 'yes/no values', minShare: 0.9, exactToo: true },
    },
    {
      field: 'public',
      about: 'no for an internal note (Zendesk\'s "Public", true/false)',
      names: ['public', 'is public', 'public comment'],
      check: { test: (v) => parseYesNo(v) !== null, what: 'yes/no values', minShare: 0.9, exactToo: true },
    },
    {
      field: 'body',
      about: 'the message text',
      names: ['text', 'body', 'message', 'comment', 'content', 'html body', 'plain body'],
      contains: ['text', 'body', 'message'],
      excludes: ['id'],
    },
    {
      field: 'createdAt',
      about: 'when it was written',
      names: ['created at', 'created', 'date', 'timestamp', 'sent at', 'time', 'posted at'],
      contains: ['created', 'date', 'time', 'sent', 'posted'],
      check: { test: isDate, what: 'dates', minShare: 0.6, exactToo: true },
    },
    {
      field: 'subject',
      about: "the conversation's subject (default: the first message's first words)",
      names: ['subject', 'title', 'summary'],
    },
    { field: 'channel', about: 'where it was written (email, chat, social…)', names: ['channel', 'via', 'source', 'platform'] },
  ];
}

const REQUIRED: MessageField[][] = [['conversation', 'replyTo'], ['body'], ['createdAt']];

function detect(table: CsvTable, opts: CsvMessagesOptions, required: boolean) {
  return detectColumns(
    messageSpecs(opts.dateFormat),
    table.header,
    table.rows,
    opts.map,
    required
      ? REQUIRED.map((fields) => ({
          fields,
          hint: fields.includes('replyTo') ? 'or --map replyTo=COLUMN for reply-to chains' : undefined,
        }))
      : [],
  );
}

export function inspectCsvMessages(file: string, opts: CsvMessagesOptions = {}): InspectReport {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const detection = detect(table, opts, false);
  const report = inspectTable(file, 'csv-messages', table, detection, REQUIRED);
  const c = detection.columns;
  if (c.has('conversation')) report.notes.push('Conversations are grouped by the conversation column.');
  else if (c.has('replyTo')) report.notes.push('Conversations are found by following reply-to ids back to their first message.');
  report.notes.push(
    c.has('fromCustomer')
      ? 'Who wrote each message: the yes/no column.'
      : 'Who wrote each message: agents by handle, email or name, and the --agent-author values; everyone else is the customer.',
  );
  return report;
}

interface Message {
  line: number;
  order: number;
  id: string | null;
  replyTo: string | null;
  conversation: string | null;
  author: string;
  fromCustomer: boolean | null;
  /** False for an internal note. */
  isPublic: boolean;
  body: string;
  at: string;
  subject: string | null;
  channel: string | null;
}

const firstWords = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? line.slice(0, 79).replace(/\s+\S*$/, '') + '…' : line;
};

export async function importCsvMessages(ctx: Ctx, importer: Agent, file: string, opts: CsvMessagesOptions = {}): Promise<ImportReport> {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const { columns } = detect(table, opts, true);
  if (!columns.has('conversation') && !columns.has('messageId')) {
    throw usage(
      `reply-to chains need the messages' own ids: name that column with --map messageId=COLUMN (columns: ${table.header.join(', ')})`,
    );
  }
  if (!columns.has('fromCustomer') && !columns.has('author')) {
    throw usage(
      'nothing says who wrote each message: name a yes/no column with --map fromCustomer=COLUMN, or an author column with --map author=COLUMN',
    );
  }
  const role = parseEnum('--role', ROLES, opts.role ?? 'support');
  const prefix = opts.idPrefix ?? '';
  const report = newReport('csv-messages', [file], Boolean(opts.dryRun));
  const agents = await listAgents(ctx, { includeInactive: true });
  const agentByKey = new Map<string, Agent>();
  for (const a of agents) for (const k of [a.handle, a.email, a.name]) if (k) agentByKey.set(k.toLowerCase(), a);
  const agentAuthors = new Set(
    (opts.agentAuthors ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
  );

  // Read every row first: the order they are applied in is time order, not file order.
  const messages: Message[] = [];
  table.rows.forEach((row, order) => {
    const cell = (f: MessageField) => {
      const i = columns.get(f);
      return i === undefined ? undefined : present(row.cells[i])?.trim();
    };
    try {
      const body = cell('body');
      if (!body) throw new RecordError('body: the message is empty');
      const createdAt = cell('createdAt');
      if (!createdAt) throw new RecordError('createdAt: no date');
      const yesNo = cell('fromCustomer');
      const fromCustomer = yesNo === undefined ? null : parseYesNo(yesNo);
      if (yesNo !== undefined && fromCustomer === null) throw new RecordError(`fromCustomer: ${JSON.stringify(yesNo)} is not yes or no`);
      const publicText = cell('public');
      const isPublic = publicText === undefined ? true : parseYesNo(publicText);
      if (isPublic === null) throw new RecordError(`public: ${JSON.stringify(publicText)} is not yes or no`);
      messages.push({
        line: row.line,
        order,
        id: cell('messageId') ?? null,
        replyTo: cell('replyTo') ?? null,
        conversation: cell('conversation') ?? null,
        author: cell('author') ?? '',
        fromCustomer,
        isPublic,
        body,
        at: parseCsvDate(createdAt, 'createdAt', opts.dateFormat),
        subject: cell('subject') ?? null,
        channel: cell('channel') ?? null,
      });
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      addProblem(report, { file, line: row.line, reason: e.message });
    }
  });

  // Which conversation each message is in: its column, or the root of its reply-to chain.
  const byId = new Map(messages.filter((m) => m.id).map((m) => [m.id!, m]));
  const rootOf = (m: Message): string => {
    let cur = m;
    const seen = new Set<Message>();
    while (cur.replyTo && byId.has(cur.replyTo) && !seen.has(cur)) {
      seen.add(cur);
      cur = byId.get(cur.replyTo)!;
    }
    return cur.replyTo && !byId.has(cur.replyTo) ? `reply:${cur.replyTo}` : `root:${cur.id ?? cur.line}`;
  };
  const conversationOf = (m: Message) => (columns.has('conversation') && m.conversation ? `conv:${m.conversation}` : rootOf(m));

  const isAgent = (m: Message): Agent | 'company' | null => {
    const key = m.author.toLowerCase().replace(/^@/, '');
    const agent = key ? agentByKey.get(key) : undefined;
    if (!m.isPublic) return agent ?? 'company'; // only agents write internal notes
    if (m.fromCustomer === true) return null;
    if (m.fromCustomer === false) return agent ?? 'company';
    if (agent) return agent;
    return agentAuthors.has(key) ? 'company' : null;
  };

  messages.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  const groups = new Map<string, Message[]>();
  for (const m of messages) {
    const key = conversationOf(m);
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  const occurrences = new Map<string, number>();
  const itemOf = new Map<string, number>();
  const tasks: RowTask[] = messages.map((m) => ({
    line: m.line,
    run: async (session) => {
      const key = conversationOf(m);
      const group = groups.get(key)!;
      const externalId = `${prefix}${key.startsWith('conv:') ? key.slice(5) : key.startsWith('root:') ? `thread-${key.slice(5)}` : `thread-of-${key.slice(6)}`}`;
      // Message ids are namespaced by their conversation: two exports' "1" never meet.
      const messageId = `csv:${externalId}:${m.id ?? fallbackExternalId([key, m.author, m.at, m.body], occurrences)}`;
      const trx = session.trx;
      if (await trx.selectFrom('events').select('id').where('message_id', '=', messageId).executeTakeFirst())
        return bump(report.unchanged, 'message');
      const c = session.ctxAt(new Date(m.at));
      const by = isAgent(m);
      const agent = by === 'company' ? importer : by;
      const data = { author: m.author || null, source: 'csv-messages' };
      let itemId =
        itemOf.get(key) ?? (await trx.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirst())?.id;
      if (itemId === undefined) {
        // The customer is whoever of the conversation is not an agent; by email when the author is one.
        if (!m.isPublic) throw new RecordError("an internal note before the conversation's first message");
        const customerMsg = group.find((g) => isAgent(g) === null);
        if (!customerMsg) throw new RecordError(`conversation ${JSON.stringify(externalId)} has no customer message`);
        const who = customerMsg.author;
        const { customer } = await findOrCreateCustomerByNameOrEmail(
          trx,
          looksLikeEmail(who) ? { email: who } : { name: who || 'Unknown requester' },
          m.at,
        );
        const subject = group.find((g) => g.subject)?.subject ?? firstWords(group[0]!.body);
        const channel = guessChannel(m.channel ?? (columns.has('conversation') ? 'email' : 'social'));
        const view = await createItem(c, agent ?? importer, {
          subject,
          body: m.body,
          customer: `#${customer.id}`,
          channel,
          role: agent ? 'service' : role,
          direction: agent ? 'outbound' : 'inbound',
          externalId,
          messageId,
          eventData: data,
        });
        itemId = view.id;
        bump(report.added, 'item');
      } else if (!m.isPublic) {
        await note(c, agent ?? importer, itemId, m.body, { messageId, data });
        bump(report.added, 'note');
      } else if (agent) {
        await reply(c, agent, itemId, m.body, { messageId, data });
        bump(report.added, 'reply');
      } else {
        await customerMessage(c, itemId, m.body, { messageId, data });
        bump(report.added, 'message');
      }
      itemOf.set(key, itemId);
    },
  }));
  return runRowsThroughCore(ctx, file, report, tasks, opts, () => {
    occurrences.clear();
    itemOf.clear();
  });
}
