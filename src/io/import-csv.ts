// `tandem import --format csv`: ticket exports from other helpdesks (Zendesk, Freshdesk…), one item
// per row, written through the bulk path with the core's rules for status, versions, events and SLA.
import { listAgents } from '../core/agents.js';
import type { LoadCtx } from '../core/context.js';
import { normaliseEmail } from '../core/customers.js';
import { normaliseSubject, normaliseTag, requireBody } from '../core/items.js';
import { dueTimes, listPolicies, nextDueAt, type SlaPolicy } from '../core/sla.js';
import { KINDS, ROLES, parseEnum, type Kind, type Role, type Status } from '../core/vocabulary.js';
import type { BulkWriter } from '../store/store.js';
import { parseCsvDate } from './csv-dates.js';
import {
  DEFAULT_STATUS_MAP, ITEM_REQUIRED, detectItemColumns, guessChannel, itemFieldSpecs, parsePairs, priorityFrom, squash, type CsvField,
} from './csv-mapping.js';
import {
  Rollback, RecordError, addProblem, bump, errorMessage, finish, newReport, type ImportOptions, type ImportReport,
} from './import-report.js';
import { detectColumns } from './csv-detect.js';
import { inspectTable, type InspectReport } from './csv-inspect.js';
import { fallbackExternalId } from './csv-identity.js';
import { present, readCsvTable } from './csv-table.js';

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
  /** Text encoding of the file (default UTF-8; a file that is not is refused with a suggestion). */
  encoding?: string;
  /** The customer (email) of rows that name no requester; default: one "Unknown requester". */
  customer?: string;
}

/** The customer of rows that name nobody: one per database, found again by its reserved address. */
export const UNKNOWN_REQUESTER = { email: 'unknown-requester@tandem.invalid', name: 'Unknown requester' };

/** Who asked: the row's email and name, else the fallback customer (and say so). */
export function requesterOf(emailCell: string | undefined, nameCell: string | undefined, fallback: { email: string; name: string }) {
  const email = emailCell ? normaliseEmail(emailCell) : null;
  const name = nameCell?.trim() || email?.split('@')[0] || '';
  if (!email && !name) return { email: fallback.email, name: fallback.name, noRequester: true };
  return { email, name, noRequester: false };
}

export { fallbackExternalId } from './csv-identity.js';

export { detectDelimiter } from './csv-table.js';

/** `--inspect`: how the file would be read, without a database. */
export function inspectCsv(file: string, opts: CsvOptions = {}): InspectReport {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const statusOverrides = parsePairs('--status-map', opts.statusMap);
  const detection = detectColumns(itemFieldSpecs({ dateFormat: opts.dateFormat, statusOverrides }), table.header, table.rows, opts.map);
  const report = inspectTable(file, 'csv', table, detection, ITEM_REQUIRED);
  if (!detection.columns.has('requesterEmail') && !detection.columns.has('requesterName')) {
    report.notes.push(`No requester column: every row imports under ${opts.customer ? opts.customer : '"Unknown requester"'}${opts.customer ? '' : ' (or give --customer EMAIL)'}.`);
  }
  if (!detection.columns.has('externalId')) {
    report.notes.push('No id column: each row gets an id from its content (identical rows stay distinct); give one with --map externalId=COLUMN.');
  }
  return report;
}

export async function importCsv(ctx: LoadCtx, file: string, opts: CsvOptions = {}): Promise<ImportReport> {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const { header } = table;
  const role = parseEnum('--role', ROLES, opts.role ?? 'support');
  const statusOverrides = parsePairs('--status-map', opts.statusMap);
  for (const [k, v] of statusOverrides) statusOverrides.set(k, parseEnum(`--status-map ${k}`, ['new', 'open', 'pending', 'resolved', 'closed'] as const, v));
  const priorityOverrides = parsePairs('--priority-map', opts.priorityMap);
  for (const v of priorityOverrides.values()) parseEnum('--priority-map value', ['low', 'normal', 'high', 'urgent'] as const, v);
  const { columns } = detectItemColumns(header, table.rows, { map: opts.map, dateFormat: opts.dateFormat, statusOverrides });
  const fallbackCustomer = opts.customer ? { email: normaliseEmail(opts.customer), name: opts.customer.trim().split('@')[0]! } : UNKNOWN_REQUESTER;

  const agents = await listAgents(ctx, { includeInactive: true });
  const agentByKey = new Map<string, { id: number; handle: string; roles: string; active: boolean }>();
  for (const a of agents) for (const k of [a.handle, a.email, a.name]) if (k) agentByKey.set(k.toLowerCase(), a);
  const policies = new Map<string, SlaPolicy>((await listPolicies(ctx)).map((p) => [`${p.role}:${p.priority}`, p]));

  const report = newReport('csv', [file], Boolean(opts.dryRun));
  const data = table.rows;
  const occurrences = new Map<string, number>();
  try {
    await ctx.store.bulk.load(async (w) => {
      const customers = new Map<string, number>();
      const seenIds = new Map<string, number>();
      for (const [n, row] of data.entries()) {
        if (n % 500 === 0) opts.onProgress?.(n, data.length);
        const cell = (f: CsvField) => {
          const i = columns.get(f);
          return i === undefined ? undefined : present(row.cells[i]);
        };
        try {
          if (row.cells.length !== header.length) {
            throw new RecordError(`${row.cells.length} fields where the header has ${header.length} (a stray delimiter or quote?)`);
          }
          const known = new Map(customers);
          const outcome = await w.record(() => loadRow(w, cell, {
            role, opts, statusOverrides, priorityOverrides, agentByKey, policies, customers, seenIds, line: row.line, file, fallbackCustomer, occurrences,
          })).catch((e: unknown) => {
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
            if (outcome.noRequester) bump(report.flagged, opts.customer ? `row without a requester (under ${fallbackCustomer.email})` : 'row without a requester (under "Unknown requester")');
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
  /** The customer of rows that name no requester. */
  fallbackCustomer: { email: string; name: string };
  /** How often each content-derived id has been seen so far in the file. */
  occurrences: Map<string, number>;
}

type Cell = (f: CsvField) => string | undefined;

async function loadRow(w: BulkWriter, cell: Cell, c: RowContext): Promise<'exists' | { events: number; newCustomer: boolean; noRequester: boolean }> {
  const subject = normaliseSubject(cell('subject'));
  const body = cell('body') === undefined ? null : requireBody(cell('body'), 'description');
  const date = (f: CsvField) => (cell(f) === undefined ? null : parseCsvDate(cell(f)!, f, c.opts.dateFormat));
  const createdAt = date('createdAt');
  if (!createdAt) throw new RecordError('createdAt: no creation date');
  const updatedAt = date('updatedAt');
  const resolvedAt = date('resolvedAt');
  const requester = requesterOf(cell('requesterEmail'), cell('requesterName'), c.fallbackCustomer);
  const { email, name } = requester;

  // The external id makes re-imports idempotent; rows without one get a content-derived id.
  const externalId = (c.opts.idPrefix ?? '') + (cell('externalId')?.trim() ?? fallbackExternalId(
    [subject, requester.noRequester ? '' : email ?? name, createdAt, body ?? ''], c.occurrences,
  ));
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

  // A requester known only by name (Zammad, Jira reporters) is one customer per name, not one per row.
  // Customers met earlier in this load are in c.customers (their rows may still be queued); the
  // database is asked only about customers that were there before.
  const customerKey = email ?? `name:${name.toLowerCase()}`;
  let customerId = c.customers.get(customerKey) ?? (email
    ? (await w.db.selectFrom('customers').select('id').where('email', '=', email).executeTakeFirst())?.id
    : (await w.db.selectFrom('customers').select('id').where('email', 'is', null).where('name', '=', name).orderBy('id').limit(1).executeTakeFirst())?.id);
  const newCustomer = customerId === undefined;
  if (customerId === undefined) {
    customerId = w.nextId('customers');
    w.insert('customers', { id: customerId, name, email, phone: null, company: null, notes: null, created_at: createdAt, updated_at: createdAt });
  }
  c.customers.set(customerKey, customerId);

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
  return { events: events.length, newCustomer, noRequester: requester.noRequester };
}

