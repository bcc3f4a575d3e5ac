// `tandem import FILE.jsonl`: load a Tandem JSONL export through the store's bulk path, keeping every
// id, so an empty database ends up holding exactly what was exported. Re-importing is idempotent and a
// later export of the same database brings changed items up to date.
import type { LoadCtx } from '../core/context.js';
import { invalid } from '../core/errors.js';
import { normaliseTag } from '../core/items.js';
import { BulkItemWriter, type RestoredItem } from '../core/item-writers.js';
import {
  AGENT_ROLES,
  AUTHOR_TYPES,
  CHANNELS,
  EVENT_TYPES,
  DIRECTIONS,
  KINDS,
  PRIORITIES,
  ROLES,
  STATUSES,
  SURVEY_KINDS,
} from '../core/vocabulary.js';
import { violationOf } from '../store/engine-errors.js';
import type { BulkTable, BulkWriter } from '../store/store.js';
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
import { JSONL_FORMAT, JSONL_VERSION } from './jsonl-records.js';
import { macroRowFromRecord } from '../core/macros.js';
import { viewRowFromRecord } from '../core/views.js';
import { countLines, lines, readHead, refuseBinary } from './line-reader.js';
import { asObject, bool, describe, int, intOrNull, oneOf, str, strOrNull, time, timeOrNull, type Obj } from './record-fields.js';

type Row = Record<string, string | number | null>;
type IdTable = Exclude<BulkTable, 'item_tags'>;
const TABLES = ['agents', 'customers', 'orders', 'items', 'events', 'escalations', 'surveys', 'macros', 'saved_views'] as const;

export async function importJsonl(ctx: LoadCtx, file: string, opts: ImportOptions = {}): Promise<ImportReport> {
  refuseBinary(file, readHead(file));
  const report = newReport('jsonl', [file], Boolean(opts.dryRun));
  const total = opts.onProgress ? countLines(file) : 0;
  try {
    await ctx.store.bulk.load(async (w) => {
      const loader = await JsonlLoader.start(w, report);
      const batch = new RecordBatch(w, loader, report, (line, e) => addProblem(report, { file, line, reason: reasonOf(e) }));
      let header = false;
      let ended = false;
      let lastLine = 0;
      let cutOff = false;
      for (const [text, info] of lines(file)) {
        lastLine = info.line;
        if (info.line % 2000 === 0) opts.onProgress?.(info.line, total);
        if (!text.trim()) continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          const reason = info.terminated
            ? `not valid JSON: ${errorMessage(e)}`
            : 'the last line is cut off in the middle of a record (truncated file?)';
          if (!header) throw invalid(`${file}:${info.line}: ${reason}; not a Tandem JSONL export`);
          cutOff = !info.terminated;
          addProblem(report, { file, line: info.line, reason });
          continue;
        }
        if (!header) {
          checkHeader(file, info.line, value);
          header = true;
          continue;
        }
        if (ended) {
          addProblem(report, { file, line: info.line, reason: 'a record after the closing "end" record' });
          continue;
        }
        const type = (value as Obj | null)?.type;
        if (type === 'end') {
          ended = true;
          await batch.apply();
          const problem = loader.checkEnd(value);
          if (problem) addProblem(report, { file, line: info.line, reason: problem });
          continue;
        }
        loader.count(value);
        await batch.add(value, info.line);
      }
      await batch.apply();
      if (!header) throw invalid(`${file} is empty: not a Tandem JSONL export`);
      if (!ended && !cutOff) {
        addProblem(report, {
          file,
          line: lastLine,
          reason: 'the file ends without its closing {"type":"end"} record: it was cut off (truncated file?)',
        });
      }
      opts.onProgress?.(total, total);
      if (opts.dryRun || (report.problemCount > 0 && !opts.skipInvalid)) throw new Rollback(report);
    });
    report.written = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return finish(report, opts);
}

function checkHeader(file: string, line: number, value: unknown): void {
  const o = value as Obj | null;
  if (typeof o !== 'object' || o === null || o.type !== 'tandem' || o.format !== JSONL_FORMAT) {
    throw invalid(
      `${file}:${line}: not a Tandem JSONL export (the first line must be {"type":"tandem","format":"${JSONL_FORMAT}",…}); for JSON lines from scripts use \`tandem ingest\``,
    );
  }
  if (typeof o.version !== 'number' || o.version > JSONL_VERSION) {
    throw invalid(`${file} is export format version ${describe(o.version)}; this Tandem reads version ${JSONL_VERSION}: upgrade Tandem`);
  }
}

function reasonOf(e: unknown): string {
  const v = violationOf(e);
  if (v === 'unique') return `already in the database under another id (${errorMessage(e)})`;
  if (v === 'foreign_key') return 'refers to a record that is neither in the database nor earlier in the file';
  return errorMessage(e);
}

/** Loads records one at a time; a bad record leaves nothing behind (each is a savepoint). */
class JsonlLoader {
  private readonly seen: Record<string, number> = {};

  /** Items are restored through the core's item writer (typed rows, next due time by the core's rule). */
  private readonly items: BulkItemWriter;

  private constructor(
    private readonly w: BulkWriter,
    private readonly report: ImportReport,
    private readonly maxId: Map<string, number>,
  ) {
    this.items = new BulkItemWriter(w);
  }

  static async start(w: BulkWriter, report: ImportReport): Promise<JsonlLoader> {
    const maxId = new Map<string, number>();
    for (const t of TABLES) maxId.set(t, w.nextId(t) - 1);
    return new JsonlLoader(w, report, maxId);
  }

  checkEnd(value: unknown): string | null {
    const counts = (value as Obj).counts as Record<string, unknown> | undefined;
    if (typeof counts !== 'object' || counts === null) return '"end" record without counts';
    for (const [k, n] of Object.entries(counts)) {
      if ((this.seen[k] ?? 0) !== n)
        return `the export says it holds ${String(n)} ${k} records but ${this.seen[k] ?? 0} were read: records are missing`;
    }
    return null;
  }

  /** Count a record as read (for the closing "end" record's check), once, whether it loads or not. */
  count(value: unknown): void {
    const o = value as Obj | null;
    const type = o?.type;
    this.seen[String(type)] = (this.seen[String(type)] ?? 0) + 1;
    if (type === 'item') this.seen.event = (this.seen.event ?? 0) + (Array.isArray(o?.events) ? o.events.length : 0);
  }

  /** What a failed batch must put back before its records are applied again one by one. */
  snapshot(): Map<number, number> {
    return new Map(this.agentIds);
  }

  restore(agentIds: Map<number, number>): void {
    this.agentIds.clear();
    for (const [k, v] of agentIds) this.agentIds.set(k, v);
  }

  /** Write one record (its rows are queued in the bulk writer). */
  async apply(value: unknown): Promise<void> {
    const o = asObject(value, 'a record');
    switch (o.type) {
      case 'sla_policy':
        return this.slaPolicy(o);
      case 'agent':
        return this.agent(o);
      case 'customer':
        return this.customer(o);
      case 'order':
        return this.order(o);
      case 'item':
        return this.item(o);
      case 'escalation':
        return this.escalation(o);
      case 'survey':
        return this.survey(o);
      case 'macro':
        return this.macroOrView('macros', 'macro', macroRowFromRecord(o));
      case 'view':
        return this.macroOrView('saved_views', 'view', viewRowFromRecord(o));
      default:
        throw new RecordError(`unknown record type ${describe(o.type)}`);
    }
  }

  private async existing(table: IdTable, id: number): Promise<Row | undefined> {
    if (id > this.maxId.get(table)!) return undefined; // above every id the database had: new
    await this.w.flush(); // an earlier record of this batch may hold it
    return (await this.w.db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst()) as Row | undefined;
  }

  /** Insert a row with its exported id, or say how the row already there compares. */
  private async put(
    table: IdTable,
    kind: string,
    row: Row & { id: number },
    same: (existing: Row) => boolean,
    update?: (existing: Row) => Promise<boolean>,
  ): Promise<void> {
    const existing = await this.existing(table, row.id);
    if (!existing) {
      this.w.insert(table, row as never);
      return bump(this.report.added, kind);
    }
    if (!same(existing)) throw new RecordError(`${kind} id ${row.id} already holds a different ${kind} in this database`);
    if (update && (await update(existing))) bump(this.report.updated, kind);
    else bump(this.report.unchanged, kind);
  }

  private async slaPolicy(o: Obj): Promise<void> {
    const role = oneOf(o, 'role', ROLES);
    const priority = oneOf(o, 'priority', PRIORITIES);
    const fr = int(o, 'firstResponseMinutes');
    const res = int(o, 'resolutionMinutes');
    const updatedAt = time(o, 'updatedAt');
    const existing = await this.w.db
      .selectFrom('sla_policies')
      .selectAll()
      .where('role', '=', role)
      .where('priority', '=', priority)
      .executeTakeFirst();
    if (existing && existing.first_response_minutes === fr && existing.resolution_minutes === res && existing.updated_at === updatedAt) {
      return bump(this.report.unchanged, 'sla_policy');
    }
    await this.w.db
      .insertInto('sla_policies')
      .values({ role, priority, first_response_minutes: fr, resolution_minutes: res, updated_at: updatedAt })
      .onConflict((oc) =>
        oc.columns(['role', 'priority']).doUpdateSet({ first_response_minutes: fr, resolution_minutes: res, updated_at: updatedAt }),
      )
      .execute();
    bump(existing ? this.report.updated : this.report.added, 'sla_policy');
  }

  private async agent(o: Obj): Promise<void> {
    const row = {
      id: int(o, 'id', 1),
      handle: str(o, 'handle'),
      name: str(o, 'name'),
      email: strOrNull(o, 'email'),
      roles: oneOf(o, 'roles', AGENT_ROLES),
      active: bool(o, 'active') ? 1 : 0,
      created_at: time(o, 'createdAt'),
    };
    // Agents are matched by handle: a database that already has its own agents (say, from
    // `tandem init`) takes the export's agents under the ids it gives them.
    await this.w.flush();
    const byHandle = await this.w.db.selectFrom('agents').select('id').where('handle', '=', row.handle).executeTakeFirst();
    if (byHandle) {
      if (byHandle.id !== row.id) this.agentIds.set(row.id, byHandle.id);
      return bump(this.report.unchanged, 'agent');
    }
    const taken = await this.w.db.selectFrom('agents').select('id').where('id', '=', row.id).executeTakeFirst();
    if (taken) {
      const newId = this.w.nextId('agents');
      this.w.insert('agents', { ...row, id: newId });
      this.agentIds.set(row.id, newId);
    } else {
      this.w.insert('agents', row);
    }
    bump(this.report.added, 'agent');
  }

  /** Export agent id → id in this database, where they differ. */
  private readonly agentIds = new Map<number, number>();
  private agentId<T extends number | null>(id: T): T {
    return (id === null ? null : (this.agentIds.get(id) ?? id)) as T;
  }

  private async customer(o: Obj): Promise<void> {
    const row = {
      id: int(o, 'id', 1),
      name: str(o, 'name'),
      email: strOrNull(o, 'email'),
      phone: strOrNull(o, 'phone'),
      company: strOrNull(o, 'company'),
      notes: strOrNull(o, 'notes'),
      created_at: time(o, 'createdAt'),
      updated_at: time(o, 'updatedAt'),
    };
    await this.put('customers', 'customer', row, (e) => e.email === row.email && e.created_at === row.created_at);
  }

  private async order(o: Obj): Promise<void> {
    const row = {
      id: int(o, 'id', 1),
      customer_id: int(o, 'customerId', 1),
      amount_cents: int(o, 'amountCents'),
      currency: str(o, 'currency'),
      ordered_at: time(o, 'orderedAt'),
      reference: strOrNull(o, 'reference'),
      created_at: time(o, 'createdAt'),
    };
    await this.put(
      'orders',
      'order',
      row,
      (e) => e.customer_id === row.customer_id && e.ordered_at === row.ordered_at && e.amount_cents === row.amount_cents,
    );
  }

  private async item(o: Obj): Promise<void> {
    const id = int(o, 'id', 1);
    const row = {
      id,
      role: oneOf(o, 'role', ROLES),
      kind: oneOf(o, 'kind', KINDS),
      subject: str(o, 'subject'),
      customer_id: intOrNull(o, 'customerId'),
      channel: oneOf(o, 'channel', CHANNELS),
      direction: oneOf(o, 'direction', DIRECTIONS),
      status: oneOf(o, 'status', STATUSES),
      priority: oneOf(o, 'priority', PRIORITIES),
      assignee_id: this.agentId(intOrNull(o, 'assigneeId')),
      created_at: time(o, 'createdAt'),
      updated_at: time(o, 'updatedAt'),
      first_customer_message_at: timeOrNull(o, 'firstCustomerMessageAt'),
      first_response_at: timeOrNull(o, 'firstResponseAt'),
      first_resolved_at: timeOrNull(o, 'firstResolvedAt'),
      resolved_at: timeOrNull(o, 'resolvedAt'),
      closed_at: timeOrNull(o, 'closedAt'),
      snoozed_until: timeOrNull(o, 'snoozedUntil'),
      first_response_due_at: timeOrNull(o, 'firstResponseDueAt'),
      resolution_due_at: timeOrNull(o, 'resolutionDueAt'),
      resolution_due_explicit: bool(o, 'resolutionDueExplicit') ? 1 : 0,
      reopen_count: int(o, 'reopenCount'),
      agent_reply_count: int(o, 'agentReplyCount'),
      version: int(o, 'version', 1),
      external_id: strOrNull(o, 'externalId'),
    };
    if (!row.subject.trim()) throw new RecordError('"subject" is empty');
    if (!Array.isArray(o.tags)) throw new RecordError('"tags" must be a list');
    const tags = o.tags.map((t) => {
      if (typeof t !== 'string') throw new RecordError('"tags" must be a list of strings');
      return normaliseTag(t);
    });
    if (!Array.isArray(o.events) || o.events.length === 0)
      throw new RecordError('"events" must be a non-empty list (an item has at least its "created" event)');
    const events = o.events.map((e, i) => this.eventRow(asObject(e, `events[${i}]`), id, i));
    if (events[0]!.type !== 'created') throw new RecordError('the first event must be the "created" event');
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.id <= events[i - 1]!.id || events[i]!.version < events[i - 1]!.version) {
        throw new RecordError(`events[${i}] is out of order (event ids and versions only grow)`);
      }
    }
    if (events.at(-1)!.version > row.version)
      throw new RecordError(`an event has version ${events.at(-1)!.version}, above the item's version ${row.version}`);
    const restored: RestoredItem = { item: row, tags, events };

    const existing = await this.existing('items', id);
    if (!existing) {
      this.items.restore(restored);
      bump(this.report.added, 'item');
      return bump(this.report.added, 'event', events.length);
    }
    if (existing.role !== row.role || existing.created_at !== row.created_at)
      throw new RecordError(`item id ${id} already holds a different item in this database`);
    if ((existing.version as number) >= row.version) return bump(this.report.unchanged, 'item');
    // A later export of the same item: bring the row, tags and timeline up to date (events are only appended).
    const added = await this.items.replace(restored);
    if (added) bump(this.report.added, 'event', added);
    bump(this.report.updated, 'item');
  }

  private eventRow(e: Obj, itemId: number, i: number) {
    try {
      const author = oneOf(e, 'author', AUTHOR_TYPES);
      const type = oneOf(e, 'type', EVENT_TYPES);
      const agentId = intOrNull(e, 'agentId');
      const customerId = intOrNull(e, 'customerId');
      if (author === 'agent' && agentId === null) throw new RecordError('an agent event needs "agentId"');
      if (author === 'customer' && customerId === null) throw new RecordError('a customer event needs "customerId"');
      const data = e.data === null || e.data === undefined ? null : JSON.stringify(asObject(e.data, '"data"'));
      return {
        id: int(e, 'id', 1),
        item_id: itemId,
        version: int(e, 'version', 1),
        type,
        author_type: author,
        author_agent_id: author === 'agent' ? this.agentId(agentId) : null,
        author_customer_id: author === 'customer' ? customerId : null,
        body: strOrNull(e, 'body'),
        data,
        created_at: time(e, 'createdAt'),
        message_id: strOrNull(e, 'messageId'),
      };
    } catch (err) {
      throw new RecordError(`events[${i}]: ${errorMessage(err)}`);
    }
  }

  private async escalation(o: Obj): Promise<void> {
    if (o.snapshot === undefined || o.snapshot === null)
      throw new RecordError('"snapshot" is missing (an escalation keeps its frozen context)');
    const row = {
      id: int(o, 'id', 1),
      source_item_id: int(o, 'sourceItemId', 1),
      support_item_id: int(o, 'supportItemId', 1),
      reason: str(o, 'reason'),
      escalated_by: this.agentId(int(o, 'escalatedBy', 1)),
      escalated_at: time(o, 'escalatedAt'),
      snapshot: JSON.stringify(o.snapshot),
      state: oneOf(o, 'state', ['open', 'resolved', 'closed', 'handed_back'] as const),
      returned_at: timeOrNull(o, 'returnedAt'),
      return_note: strOrNull(o, 'returnNote'),
    };
    await this.put(
      'escalations',
      'escalation',
      row,
      (e) => e.support_item_id === row.support_item_id,
      async (e) => {
        // The snapshot is frozen; only the escalation's outcome moves on.
        if (e.state === row.state && e.returned_at === row.returned_at && e.return_note === row.return_note) return false;
        await this.w.db
          .updateTable('escalations')
          .set({ state: row.state, returned_at: row.returned_at, return_note: row.return_note })
          .where('id', '=', row.id)
          .execute();
        return true;
      },
    );
  }

  /** Macros and views (checked by the core): same name = the same record; a newer export replaces it. */
  private async macroOrView(
    table: 'macros' | 'saved_views',
    kind: string,
    row: Row & { id: number; name: string; updated_at: string },
  ): Promise<void> {
    await this.put(
      table,
      kind,
      row,
      (e) => e.name === row.name,
      async (e) => {
        if (String(e.updated_at) >= row.updated_at) return false;
        const { id, ...columns } = row;
        await this.w.db
          .updateTable(table)
          .set(columns as never)
          .where('id', '=', id)
          .execute();
        return true;
      },
    );
  }

  private async survey(o: Obj): Promise<void> {
    const kind = oneOf(o, 'kind', SURVEY_KINDS);
    const score = int(o, 'score');
    if (score > (kind === 'csat' ? 5 : 10) || (kind === 'csat' && score < 1))
      throw new RecordError(`${kind} score ${score} is out of range`);
    const row = {
      // customerId is null for an anonymous answer (an imported survey row that linked to nobody).
      id: int(o, 'id', 1),
      kind,
      score,
      comment: strOrNull(o, 'comment'),
      customer_id: intOrNull(o, 'customerId'),
      item_id: intOrNull(o, 'itemId'),
      created_at: time(o, 'createdAt'),
      external_id: strOrNull(o, 'externalId'),
    };
    await this.put(
      'surveys',
      'survey',
      row,
      (e) => e.customer_id === row.customer_id && e.created_at === row.created_at && e.kind === row.kind,
    );
  }
}

/**
 * Records are applied in batches, each inside one savepoint: a savepoint per record costs a round
 * trip or two each on PostgreSQL. A batch that fails is undone whole and its records applied again one
 * at a time, each in its own savepoint, so a bad record still leaves nothing behind and is named.
 */
class RecordBatch {
  private pending: { value: unknown; line: number }[] = [];
  static readonly SIZE = 500;

  constructor(
    private readonly w: BulkWriter,
    private readonly loader: JsonlLoader,
    private readonly report: ImportReport,
    private readonly problem: (line: number, e: unknown) => void,
  ) {}

  async add(value: unknown, line: number): Promise<void> {
    this.pending.push({ value, line });
    if (this.pending.length >= RecordBatch.SIZE) await this.apply();
  }

  async apply(): Promise<void> {
    const records = this.pending;
    this.pending = [];
    if (records.length === 0) return;
    const counts = JSON.stringify([this.report.added, this.report.updated, this.report.unchanged, this.report.ignored]);
    const agents = this.loader.snapshot();
    try {
      await this.w.record(async () => {
        for (const r of records) await this.loader.apply(r.value);
      });
    } catch {
      [this.report.added, this.report.updated, this.report.unchanged, this.report.ignored] = JSON.parse(counts);
      this.loader.restore(agents);
      for (const r of records) {
        try {
          await this.w.record(() => this.loader.apply(r.value));
        } catch (e) {
          this.problem(r.line, e);
        }
      }
    }
    await this.w.checkpoint();
  }
}
