// `tandem import --format csv`: ticket exports from other helpdesks (Zendesk, Freshdesk…), one item
// per row, written through the bulk path with the core's rules for status, versions, events and SLA.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { listAgents } from '../core/agents.js';
import type { LoadCtx } from '../core/context.js';
import { normaliseEmail } from '../core/customers.js';
import { invalid } from '../core/errors.js';
import { normaliseSubject, normaliseTag, requireBody } from '../core/items.js';
import { dueTimes, listPolicies, nextDueAt, type SlaPolicy } from '../core/sla.js';
import { KINDS, ROLES, parseEnum, type Kind, type Role, type Status } from '../core/vocabulary.js';
import type { BulkWriter } from '../store/store.js';
import { parseCsvDate } from './csv-dates.js';
import {
  DEFAULT_STATUS_MAP, guessChannel, mapColumns, parsePairs, priorityFrom, squash, type CsvField,
} from './csv-mapping.js';
import {
  Rollback, RecordError, addProblem, bump, errorMessage, finish, newReport, type ImportOptions, type ImportReport,
} from './import-report.js';
import { readTextFile } from './line-reader.js';

export interface CsvOptions extends ImportOptions {
  /** field=Column pairs. */
  map?: string[];
  /** Helpdesk status=tandem status pairs. */
  statusMap?: string[];
  priorityMap?: string[];
  role?: string;
  /** A date-fns format for every date column, e.g. "dd-MM-yyyy HH:mm". */
  dateFormat?: string;
  /** Put before every external id, e.g. "zendesk:", so ids from two systems never meet. */
  idPrefix?: string;
  /** Field delimiter; default: detected from the header line (`,` `;` or tab). */
  delimiter?: string;
}

/** The delimiter the header line uses most, outside quotes. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return n > 0 ? best : ',';
}

interface ParsedRow { line: number; cells: string[] }

function readRows(file: string, text: string, delimiter: string): ParsedRow[] {
  try {
    const records = parseCsv(text, {
      bom: true, delimiter, info: true, raw: true, relax_column_count: true, skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    // info.lines is the line a record ends on; a quoted multi-line cell starts earlier.
    return records.map((r) => ({ cells: r.record, line: r.info.lines - (r.raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0) }));
  } catch (e) {
    if (e instanceof CsvError) {
      const line = typeof e.lines === 'number' ? `:${e.lines}` : '';
      throw invalid(`${file}${line}: not readable as CSV: ${e.message}; nothing was written`);
    }
    throw e;
  }
}

export async function importCsv(ctx: LoadCtx, file: string, opts: CsvOptions = {}): Promise<ImportReport> {
  let text = readTextFile(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = opts.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : detectDelimiter(text));
  const rows = readRows(file, text, delimiter);
  if (rows.length === 0) throw invalid(`${file} is empty: no header line`);
  const header = rows[0]!.cells.map((h) => h.trim());
  const columns = mapColumns(header, opts.map);
  const role = parseEnum('--role', ROLES, opts.role ?? 'support');
  const statusOverrides = parsePairs('--status-map', opts.statusMap);
  for (const [k, v] of statusOverrides) statusOverrides.set(k, parseEnum(`--status-map ${k}`, ['new', 'open', 'pending', 'resolved', 'closed'] as const, v));
  const priorityOverrides = parsePairs('--priority-map', opts.priorityMap);
  for (const v of priorityOverrides.values()) parseEnum('--priority-map value', ['low', 'normal', 'high', 'urgent'] as const, v);

  const agents = await listAgents(ctx, { includeInactive: true });
  const agentByKey = new Map<string, { id: number; handle: string; roles: string; active: boolean }>();
  for (const a of agents) for (const k of [a.handle, a.email, a.name]) if (k) agentByKey.set(k.toLowerCase(), a);
  const policies = new Map<string, SlaPolicy>((await listPolicies(ctx)).map((p) => [`${p.role}:${p.priority}`, p]));

  const report = newReport('csv', [file], Boolean(opts.dryRun));
  const data = rows.slice(1);
  try {
    await ctx.store.bulk.load(async (w) => {
      const customers = new Map<string, number>();
      const seenIds = new Map<string, number>();
      for (const [n, row] of data.entries()) {
        if (n % 500 === 0) opts.onProgress?.(n, data.length);
        const cell = (f: CsvField) => {
          const i = columns.get(f);
          const v = i === undefined ? undefined : row.cells[i];
          return v === undefined || v.trim() === '' ? undefined : v;
        };
        try {
          if (row.cells.length !== header.length) {
            throw new RecordError(`${row.cells.length} fields where the header has ${header.length} (a stray delimiter or quote?)`);
          }
          const known = new Map(customers);
          const outcome = await w.record(() => loadRow(w, cell, { role, opts, statusOverrides, priorityOverrides, agentByKey, policies, customers, seenIds, line: row.line, file }))
            .catch((e: unknown) => {
              // A customer first met in a failed row was rolled back with it.
              customers.clear();
              for (const [k, v] of known) customers.set(k, v);
              throw e;
            });
          if (outcome === 'exists') bump(report.unchanged, 'item');
          else {
            bump(report.added, 'item');
            bump(report.added, 'event', outcome.events);
            if (outcome.newCustomer) bump(report.added, 'customer');
          }
        } catch (e) {
          if (e instanceof RecordError || (e as { kind?: string }).kind) addProblem(report, { file, line: row.line, reason: errorMessage(e) });
          else throw e;
        }
      }
      opts.onProgress?.(data.length, data.length);
      if (opts.dryRun || (report.problemCount > 0 && !opts.skipInvalid)) throw new Rollback(report);
    });
    report.written = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return finish(report, opts);
}

interface RowContext {
  role: Role;
  opts: CsvOptions;
  statusOverrides: Map<string, string>;
  priorityOverrides: Map<string, string>;
  agentByKey: Map<string, { id: number; handle: string; roles: string; active: boolean }>;
  policies: Map<string, SlaPolicy>;
  customers: Map<string, number>;
  seenIds: Map<string, number>;
  line: number;
  file: string;
}

type Cell = (f: CsvField) => string | undefined;

async function loadRow(w: BulkWriter, cell: Cell, c: RowContext): Promise<'exists' | { events: number; newCustomer: boolean }> {
  const subject = normaliseSubject(cell('subject'));
  const body = cell('body') === undefined ? null : requireBody(cell('body'), 'description');
  const date = (f: CsvField) => (cell(f) === undefined ? null : parseCsvDate(cell(f)!, f, c.opts.dateFormat));
  const createdAt = date('createdAt');
  if (!createdAt) throw new RecordError('createdAt: no creation date');
  const updatedAt = date('updatedAt');
  const resolvedAt = date('resolvedAt');
  const email = cell('requesterEmail') ? normaliseEmail(cell('requesterEmail')!) : null;
  const name = cell('requesterName')?.trim() || email?.split('@')[0] || '';
  if (!email && !name) throw new RecordError('no requester (neither an email nor a name)');

  // The external id makes re-imports idempotent; rows without one get a content-derived id.
  const rawId = cell('externalId')?.trim();
  const externalId = (c.opts.idPrefix ?? '') + (rawId ?? `csv-${createHash('sha256').update([subject, email ?? name, createdAt].join('\u0000')).digest('hex').slice(0, 20)}`);
  const earlier = c.seenIds.get(externalId);
  if (earlier !== undefined) throw new RecordError(`external id ${JSON.stringify(externalId)} appears twice in the file (also line ${earlier})`);
  c.seenIds.set(externalId, c.line);
  if (await w.db.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirst()) return 'exists';

  const statusText = cell('status');
  const statusKey = squash(statusText ?? 'new');
  const mapped = (c.statusOverrides.get(statusKey) ?? DEFAULT_STATUS_MAP[statusKey]) as Status | undefined;
  if (!mapped) throw new RecordError(`status ${JSON.stringify(statusText)} is not one Tandem knows; map it with --status-map "${statusText}=open|pending|resolved|closed"`);
  const priority = priorityFrom(cell('priority'), c.priorityOverrides);
  if (!priority) throw new RecordError(`priority ${JSON.stringify(cell('priority'))} is not one Tandem knows; map it with --priority-map "${cell('priority')}=low|normal|high|urgent"`);
  const kindText = squash(cell('kind') ?? '');
  const kind: Kind = (KINDS as readonly string[]).includes(kindText) ? (kindText as Kind)
    : kindText === 'problem' || kindText === 'incident' ? (c.role === 'support' ? 'bug' : 'other')
    : kindText === 'question' ? 'question' : c.role === 'support' ? 'other' : 'question';
  const channel = guessChannel(cell('channel'));
  const tags = [...new Set((cell('tags') ?? '').split(/[,\s]+/).filter(Boolean).map(normaliseTag))];

  const assigneeText = cell('assignee')?.trim();
  const agent = assigneeText ? c.agentByKey.get(assigneeText.toLowerCase().replace(/^@/, '')) : undefined;
  const assignee = agent && agent.active && (agent.roles === 'both' || agent.roles === c.role) ? agent : undefined;
  // As in createItem: an item with an assignee is open, not new.
  const status: Status = mapped === 'new' && assignee ? 'open' : mapped;

  let customerId = email
    ? c.customers.get(email) ?? (await w.db.selectFrom('customers').select('id').where('email', '=', email).executeTakeFirst())?.id
    : undefined;
  const newCustomer = customerId === undefined;
  if (customerId === undefined) {
    customerId = w.nextId('customers');
    w.insert('customers', { id: customerId, name, email, phone: null, company: null, notes: null, created_at: createdAt, updated_at: createdAt });
  }
  if (email) c.customers.set(email, customerId);

  // The timeline: the customer's opening message, then how the item got to its status.
  const initial: Status = assignee ? 'open' : 'new';
  const events: { type: string; at: string; author: 'customer' | 'system'; body?: string | null; data: object }[] = [{
    type: 'created', at: createdAt, author: 'customer', body,
    data: {
      role: c.role, kind, channel, direction: 'inbound', priority, assignee: assignee?.handle ?? null, tags, createdBy: 'import',
      source: 'csv', ...(assigneeText && !assignee ? { importedAssignee: assigneeText } : {}),
      ...(statusText ? { importedStatus: statusText } : {}),
    },
  }];
  const later = (t: string | null) => (t && t > createdAt ? t : createdAt);
  let firstResolvedAt: string | null = null;
  let closedAt: string | null = null;
  let resolvedAtFinal: string | null = null;
  if (status === 'resolved' || (status === 'closed' && resolvedAt)) {
    const at = later(resolvedAt ?? updatedAt);
    events.push({ type: 'status', at, author: 'system', data: { from: initial, to: 'resolved', imported: true } });
    firstResolvedAt = resolvedAtFinal = at;
  }
  if (status === 'closed') {
    closedAt = later(updatedAt ?? resolvedAt);
    if (firstResolvedAt && closedAt < firstResolvedAt) closedAt = firstResolvedAt;
    events.push({ type: 'status', at: closedAt, author: 'system', data: { from: firstResolvedAt ? 'resolved' : initial, to: 'closed', imported: true } });
  }
  if (status === 'pending' || (status === 'open' && initial === 'new')) {
    events.push({ type: 'status', at: later(updatedAt), author: 'system', data: { from: initial, to: status, imported: true } });
  }
  const policy = c.policies.get(`${c.role}:${priority}`);
  const due = policy ? dueTimes(policy, createdAt, createdAt) : { firstResponseDueAt: null, resolutionDueAt: null };
  const updated = [updatedAt, ...events.map((e) => e.at)].filter((t): t is string => Boolean(t)).sort().at(-1)!;
  const row = {
    role: c.role, kind, subject, customer_id: customerId, channel, direction: 'inbound' as const, status, priority,
    assignee_id: assignee?.id ?? null, created_at: createdAt, updated_at: updated < createdAt ? createdAt : updated,
    first_customer_message_at: createdAt, first_response_at: null, first_resolved_at: firstResolvedAt,
    resolved_at: status === 'resolved' || status === 'closed' ? resolvedAtFinal : null, closed_at: closedAt, snoozed_until: null,
    first_response_due_at: due.firstResponseDueAt, resolution_due_at: due.resolutionDueAt, resolution_due_explicit: 0,
    reopen_count: 0, agent_reply_count: 0, version: events.length, external_id: externalId,
  };
  const itemId = w.nextId('items');
  w.insert('items', { id: itemId, ...row, next_due_at: nextDueAt(row) });
  for (const tag of tags) w.insert('item_tags', { item_id: itemId, tag });
  events.forEach((e, i) => {
    w.insert('events', {
      id: w.nextId('events'), item_id: itemId, version: i + 1, type: e.type, author_type: e.author, author_agent_id: null,
      author_customer_id: e.author === 'customer' ? customerId! : null, body: e.body ?? null, data: JSON.stringify(e.data),
      created_at: e.at, message_id: null,
    });
  });
  return { events: events.length, newCustomer };
}

