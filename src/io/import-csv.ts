// `tandem import --format csv`: ticket exports from other helpdesks (Zendesk, Freshdesk…), one item
// per row, written through the bulk path with the core's rules for status, versions, events and SLA.
import { listAgents, type Agent } from '../core/agents.js';
import type { LoadCtx } from '../core/context.js';
import { normaliseEmail } from '../core/customers.js';
import { normaliseSubject, requireBody } from '../core/items.js';
import { listPolicies } from '../core/sla.js';
import { KINDS, ROLES, parseEnum, type Kind, type Role } from '../core/vocabulary.js';
import { newItemRecord, type ImportedStatus, type PolicyOf } from '../core/new-item.js';
import { BulkItemWriter, policyLookup } from '../core/item-writers.js';
import type { BulkWriter } from '../store/store.js';
import { parseCsvDate } from './csv-dates.js';
import {
  DEFAULT_STATUS_MAP,
  ITEM_REQUIRED,
  detectItemColumns,
  guessChannel,
  itemFieldSpecs,
  parsePairs,
  priorityFrom,
  squash,
  type CsvField,
} from './csv-mapping.js';
import {
  Rollback,
  RecordError,
  addProblem,
  bump,
  errorMessage,
  finish,
  newReport,
  type ImportOptions,
  type ImportReport,
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
    report.notes.push(
      `No requester column: every row imports under ${opts.customer ? opts.customer : '"Unknown requester"'}${opts.customer ? '' : ' (or give --customer EMAIL)'}.`,
    );
  }
  if (!detection.columns.has('externalId')) {
    report.notes.push(
      'No id column: each row gets an id from its content (identical rows stay distinct); give one with --map externalId=COLUMN.',
    );
  }
  return report;
}

export async function importCsv(ctx: LoadCtx, file: string, opts: CsvOptions = {}): Promise<ImportReport> {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const { header } = table;
  const role = parseEnum('--role', ROLES, opts.role ?? 'support');
  const statusOverrides = parsePairs('--status-map', opts.statusMap);
  for (const [k, v] of statusOverrides)
    statusOverrides.set(k, parseEnum(`--status-map ${k}`, ['new', 'open', 'pending', 'resolved', 'closed'] as const, v));
  const priorityOverrides = parsePairs('--priority-map', opts.priorityMap);
  for (const v of priorityOverrides.values()) parseEnum('--priority-map value', ['low', 'normal', 'high', 'urgent'] as const, v);
  const { columns } = detectItemColumns(header, table.rows, { map: opts.map, dateFormat: opts.dateFormat, statusOverrides });
  const fallbackCustomer = opts.customer
    ? { email: normaliseEmail(opts.customer), name: opts.customer.trim().split('@')[0]! }
    : UNKNOWN_REQUESTER;

  const agents = await listAgents(ctx, { includeInactive: true });
  const agentByKey = new Map<string, Agent>();
  for (const a of agents) for (const k of [a.handle, a.email, a.name]) if (k) agentByKey.set(k.toLowerCase(), a);
  const policyOf = policyLookup(await listPolicies(ctx));

  const report = newReport('csv', [file], Boolean(opts.dryRun));
  const data = table.rows;
  const occurrences = new Map<string, number>();
  try {
    await ctx.store.bulk.load(async (w) => {
      const items = new BulkItemWriter(w);
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
          const outcome = await w
            .record(() =>
              loadRow(w, cell, {
                role,
                opts,
                statusOverrides,
                priorityOverrides,
                agentByKey,
                policyOf,
                items,
                customers,
                seenIds,
                line: row.line,
                file,
                fallbackCustomer,
                occurrences,
              }),
            )
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
            if (outcome.noRequester)
              bump(
                report.flagged,
                opts.customer
                  ? `row without a requester (under ${fallbackCustomer.email})`
                  : 'row without a requester (under "Unknown requester")',
              );
          }
        } catch (e) {
          if (e instanceof RecordError || (e as { kind?: string }).kind)
            addProblem(report, { file, line: row.line, reason: errorMessage(e) });
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
  agentByKey: Map<string, Agent>;
  policyOf: PolicyOf;
  items: BulkItemWriter;
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

async function loadRow(
  w: BulkWriter,
  cell: Cell,
  c: RowContext,
): Promise<'exists' | { events: number; newCustomer: boolean; noRequester: boolean }> {
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
  const externalId =
    (c.opts.idPrefix ?? '') +
    (cell('externalId')?.trim() ??
      fallbackExternalId([subject, requester.noRequester ? '' : (email ?? name), createdAt, body ?? ''], c.occurrences));
  const earlier = c.seenIds.get(externalId);
  if (earlier !== undefined)
    throw new RecordError(`external id ${JSON.stringify(externalId)} appears twice in the file (also line ${earlier})`);
  c.seenIds.set(externalId, c.line);
  if (await w.db.selectFrom('items').select('id').where('external_id', '=', externalId).executeTakeFirst()) return 'exists';

  const statusText = cell('status');
  const statusKey = squash(statusText ?? 'new');
  const mapped = (c.statusOverrides.get(statusKey) ?? DEFAULT_STATUS_MAP[statusKey]) as ImportedStatus | undefined;
  if (!mapped)
    throw new RecordError(
      `status ${JSON.stringify(statusText)} is not one Tandem knows; map it with --status-map "${statusText}=open|pending|resolved|closed"`,
    );
  const priority = priorityFrom(cell('priority'), c.priorityOverrides);
  if (!priority)
    throw new RecordError(
      `priority ${JSON.stringify(cell('priority'))} is not one Tandem knows; map it with --priority-map "${cell('priority')}=low|normal|high|urgent"`,
    );
  const kindText = squash(cell('kind') ?? '');
  const kind: Kind = (KINDS as readonly string[]).includes(kindText)
    ? (kindText as Kind)
    : kindText === 'problem' || kindText === 'incident'
      ? c.role === 'support'
        ? 'bug'
        : 'other'
      : kindText === 'question'
        ? 'question'
        : c.role === 'support'
          ? 'other'
          : 'question';
  const channel = guessChannel(cell('channel'));
  const tags = (cell('tags') ?? '').split(/[,\s]+/).filter(Boolean);
  const assigneeText = cell('assignee')?.trim();
  const assignee = assigneeText ? (c.agentByKey.get(assigneeText.toLowerCase().replace(/^@/, '')) ?? null) : null;

  // A requester known only by name (Zammad, Jira reporters) is one customer per name, not one per row.
  // Customers met earlier in this load are in c.customers (their rows may still be queued); the
  // database is asked only about customers that were there before.
  const customerKey = email ?? `name:${name.toLowerCase()}`;
  let customerId =
    c.customers.get(customerKey) ??
    (email
      ? (await w.db.selectFrom('customers').select('id').where('email', '=', email).executeTakeFirst())?.id
      : (
          await w.db
            .selectFrom('customers')
            .select('id')
            .where('email', 'is', null)
            .where('name', '=', name)
            .orderBy('id')
            .limit(1)
            .executeTakeFirst()
        )?.id);
  const newCustomer = customerId === undefined;
  if (customerId === undefined) {
    customerId = w.nextId('customers');
    w.insert('customers', {
      id: customerId,
      name,
      email,
      phone: null,
      company: null,
      notes: null,
      created_at: createdAt,
      updated_at: createdAt,
    });
  }
  c.customers.set(customerKey, customerId);

  // The item as core rules make it, with the status and times it had in the other system; an assignee
  // who cannot take it (unknown, deactivated, another role) is kept as imported text.
  const record = newItemRecord(
    {
      subject,
      body,
      bodyName: 'description',
      role: c.role,
      kind,
      channel,
      direction: 'inbound',
      priority,
      assignee,
      importedAssignee: assigneeText,
      customerId,
      tags,
      createdAt,
      createdBy: 'import',
      externalId,
      eventData: { source: 'csv', ...(statusText ? { importedStatus: statusText } : {}) },
      outcome: { status: mapped, updatedAt, resolvedAt },
    },
    c.policyOf,
    { keepUnassignable: true },
  );
  c.items.add(record);
  const events = record.events;
  return { events: events.length, newCustomer, noRequester: requester.noRequester };
}
