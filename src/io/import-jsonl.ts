// `tandem import FILE.jsonl`: load a Tandem JSONL export through the store's bulk path, keeping every
// id, so an empty database ends up holding exactly what was exported. Re-importing is idempotent and a
// later export of the same database brings changed items up to date.
import type { Ctx } from '../core/context.js';
import { invalid } from '../core/errors.js';
import { normaliseTag } from '../core/items.js';
import { nextDueAt } from '../core/sla.js';
import { AGENT_ROLES, CHANNELS, DIRECTIONS, KINDS, PRIORITIES, ROLES, STATUSES, SURVEY_KINDS } from '../core/vocabulary.js';
import type { BulkWriter } from '../store/store.js';
import {
  Rollback, RecordError, addProblem, bump, errorMessage, finish, newReport, type ImportOptions, type ImportReport,
} from './import-report.js';
import { JSONL_FORMAT, JSONL_VERSION } from './jsonl-records.js';
import { countLines, forEachLine, readHead, refuseBinary } from './line-reader.js';
import {
  asObject, bool, describe, int, intOrNull, oneOf, str, strOrNull, time, timeOrNull, type Obj,
} from './record-fields.js';

type Row = Record<string, string | number | null>;
const TABLES = ['agents', 'customers', 'orders', 'items', 'events', 'escalations', 'surveys'] as const;

export function importJsonl(ctx: Ctx, file: string, opts: ImportOptions = {}): ImportReport {
  refuseBinary(file, readHead(file));
  const report = newReport('jsonl', [file], Boolean(opts.dryRun));
  const total = opts.onProgress ? countLines(file) : 0;
  try {
    ctx.store.bulk((w) => {
      const loader = new JsonlLoader(w, report);
      let header = false;
      let ended = false;
      let lastLine = 0;
      let cutOff = false;
      forEachLine(file, (text, info) => {
        lastLine = info.line;
        if (info.line % 2000 === 0) opts.onProgress?.(info.line, total);
        if (!text.trim()) return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          const reason = info.terminated
            ? `not valid JSON: ${errorMessage(e)}`
            : 'the last line is cut off in the middle of a record (truncated file?)';
          if (!header) throw invalid(`${file}:${info.line}: ${reason}; not a Tandem JSONL export`);
          cutOff = !info.terminated;
          return addProblem(report, { file, line: info.line, reason });
        }
        if (!header) {
          checkHeader(file, info.line, value);
          header = true;
          return;
        }
        if (ended) return addProblem(report, { file, line: info.line, reason: 'a record after the closing "end" record' });
        const type = (value as Obj | null)?.type;
        if (type === 'end') {
          ended = true;
          const problem = loader.checkEnd(value);
          if (problem) addProblem(report, { file, line: info.line, reason: problem });
          return;
        }
        try {
          loader.load(value);
        } catch (e) {
          addProblem(report, { file, line: info.line, reason: reasonOf(e) });
        }
      });
      if (!header) throw invalid(`${file} is empty: not a Tandem JSONL export`);
      if (!ended && !cutOff) {
        addProblem(report, { file, line: lastLine, reason: 'the file ends without its closing {"type":"end"} record: it was cut off (truncated file?)' });
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
    throw invalid(`${file}:${line}: not a Tandem JSONL export (the first line must be {"type":"tandem","format":"${JSONL_FORMAT}",…}); for JSON lines from scripts use \`tandem ingest\``);
  }
  if (typeof o.version !== 'number' || o.version > JSONL_VERSION) {
    throw invalid(`${file} is export format version ${describe(o.version)}; this Tandem reads version ${JSONL_VERSION}: upgrade Tandem`);
  }
}

function reasonOf(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return `already in the database under another id (${errorMessage(e)})`;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'refers to a record that is neither in the database nor earlier in the file';
  return errorMessage(e);
}

/** Loads records one at a time; a bad record leaves nothing behind (its inserts are undone). */
class JsonlLoader {
  private readonly maxId = new Map<string, number>();
  private readonly seen: Record<string, number> = {};

  constructor(private readonly w: BulkWriter, private readonly report: ImportReport) {
    for (const t of TABLES) this.maxId.set(t, w.get<{ m: number }>(`select coalesce(max(id), 0) as m from ${t}`)!.m);
  }

  checkEnd(value: unknown): string | null {
    const counts = (value as Obj).counts as Record<string, unknown> | undefined;
    if (typeof counts !== 'object' || counts === null) return '"end" record without counts';
    for (const [k, n] of Object.entries(counts)) {
      if ((this.seen[k] ?? 0) !== n) return `the export says it holds ${String(n)} ${k} records but ${this.seen[k] ?? 0} were read: records are missing`;
    }
    return null;
  }

  load(value: unknown): void {
    const o = asObject(value, 'a record');
    const type = o.type;
    this.seen[String(type)] = (this.seen[String(type)] ?? 0) + 1;
    if (type === 'item') this.seen.event = (this.seen.event ?? 0) + (Array.isArray(o.events) ? o.events.length : 0);
    this.undo = [];
    try {
      switch (type) {
        case 'sla_policy': this.slaPolicy(o); break;
        case 'agent': this.agent(o); break;
        case 'customer': this.customer(o); break;
        case 'order': this.order(o); break;
        case 'item': this.item(o); break;
        case 'escalation': this.escalation(o); break;
        case 'survey': this.survey(o); break;
        default: throw new RecordError(`unknown record type ${describe(type)}`);
      }
    } catch (e) {
      for (const step of this.undo.reverse()) step();
      throw e;
    }
  }

  /**
   * A bad record must leave nothing behind. A savepoint per record would double the load time, so
   * each insert registers its own removal, run only when the record fails half way.
   */
  private undo: (() => void)[] = [];

  private insert(table: string, row: Row & { id: number }): void {
    this.w.insert(table, row);
    this.undo.push(() => this.w.run(`delete from ${table} where id = ?`, row.id));
  }

  private insertTag(itemId: number, tag: string): void {
    this.w.insert('item_tags', { item_id: itemId, tag });
    this.undo.push(() => this.w.run('delete from item_tags where item_id = ? and tag = ?', itemId, tag));
  }

  /** Insert a row with its exported id, or say how the row already there compares. */
  private put(table: string, kind: string, row: Row & { id: number }, same: (existing: Row) => boolean, update?: (existing: Row) => boolean): void {
    if (row.id > this.maxId.get(table)!) {
      this.insert(table, row);
      return bump(this.report.added, kind);
    }
    const existing = this.w.get<Row>(`select * from ${table} where id = ?`, row.id);
    if (!existing) {
      this.insert(table, row);
      return bump(this.report.added, kind);
    }
    if (!same(existing)) throw new RecordError(`${kind} id ${row.id} already holds a different ${kind} in this database`);
    if (update?.(existing)) bump(this.report.updated, kind);
    else bump(this.report.unchanged, kind);
  }

  private slaPolicy(o: Obj): void {
    const role = oneOf(o, 'role', ROLES);
    const priority = oneOf(o, 'priority', PRIORITIES);
    const fr = int(o, 'firstResponseMinutes');
    const res = int(o, 'resolutionMinutes');
    const updatedAt = time(o, 'updatedAt');
    const existing = this.w.get<Row>('select * from sla_policies where role = ? and priority = ?', role, priority);
    if (existing && existing.first_response_minutes === fr && existing.resolution_minutes === res && existing.updated_at === updatedAt) {
      return bump(this.report.unchanged, 'sla_policy');
    }
    this.w.run(
      `insert into sla_policies (role, priority, first_response_minutes, resolution_minutes, updated_at) values (?, ?, ?, ?, ?)
       on conflict (role, priority) do update set first_response_minutes = excluded.first_response_minutes,
       resolution_minutes = excluded.resolution_minutes, updated_at = excluded.updated_at`,
      role, priority, fr, res, updatedAt,
    );
    bump(existing ? this.report.updated : this.report.added, 'sla_policy');
  }

  private agent(o: Obj): void {
    const row = {
      id: int(o, 'id', 1), handle: str(o, 'handle'), name: str(o, 'name'), email: strOrNull(o, 'email'),
      roles: oneOf(o, 'roles', AGENT_ROLES), active: bool(o, 'active') ? 1 : 0, created_at: time(o, 'createdAt'),
    };
    // Agents are matched by handle: a database that already has its own agents (say, from
    // `tandem init`) takes the export's agents under the ids it gives them.
    const byHandle = this.w.get<{ id: number }>('select id from agents where handle = ?', row.handle);
    if (byHandle) {
      if (byHandle.id !== row.id) this.agentIds.set(row.id, byHandle.id);
      return bump(this.report.unchanged, 'agent');
    }
    const taken = this.w.get('select id from agents where id = ?', row.id);
    if (taken) {
      const { id: _id, ...rest } = row;
      const newId = this.w.insert('agents', rest);
      this.agentIds.set(row.id, newId);
    } else {
      this.w.insert('agents', row);
    }
    bump(this.report.added, 'agent');
  }

  /** Export agent id → id in this database, where they differ. */
  private readonly agentIds = new Map<number, number>();
  private agentId<T extends number | null>(id: T): T {
    return (id === null ? null : this.agentIds.get(id) ?? id) as T;
  }

  private customer(o: Obj): void {
    const row = {
      id: int(o, 'id', 1), name: str(o, 'name'), email: strOrNull(o, 'email'), phone: strOrNull(o, 'phone'),
      company: strOrNull(o, 'company'), notes: strOrNull(o, 'notes'), created_at: time(o, 'createdAt'), updated_at: time(o, 'updatedAt'),
    };
    this.put('customers', 'customer', row, (e) => e.email === row.email && e.created_at === row.created_at);
  }

  private order(o: Obj): void {
    const row = {
      id: int(o, 'id', 1), customer_id: intOrNull(o, 'customerId'), amount_cents: int(o, 'amountCents'),
      currency: str(o, 'currency'), ordered_at: time(o, 'orderedAt'), reference: strOrNull(o, 'reference'), created_at: time(o, 'createdAt'),
    };
    this.put('orders', 'order', row, (e) => e.customer_id === row.customer_id && e.ordered_at === row.ordered_at && e.amount_cents === row.amount_cents);
  }

  private item(o: Obj): void {
    const id = int(o, 'id', 1);
    const row = {
      id, role: oneOf(o, 'role', ROLES), kind: oneOf(o, 'kind', KINDS), subject: str(o, 'subject'),
      customer_id: intOrNull(o, 'customerId'), channel: oneOf(o, 'channel', CHANNELS), direction: oneOf(o, 'direction', DIRECTIONS),
      status: oneOf(o, 'status', STATUSES), priority: oneOf(o, 'priority', PRIORITIES), assignee_id: this.agentId(intOrNull(o, 'assigneeId')),
      created_at: time(o, 'createdAt'), updated_at: time(o, 'updatedAt'),
      first_customer_message_at: timeOrNull(o, 'firstCustomerMessageAt'), first_response_at: timeOrNull(o, 'firstResponseAt'),
      first_resolved_at: timeOrNull(o, 'firstResolvedAt'), resolved_at: timeOrNull(o, 'resolvedAt'), closed_at: timeOrNull(o, 'closedAt'),
      snoozed_until: timeOrNull(o, 'snoozedUntil'), first_response_due_at: timeOrNull(o, 'firstResponseDueAt'),
      resolution_due_at: timeOrNull(o, 'resolutionDueAt'), resolution_due_explicit: bool(o, 'resolutionDueExplicit') ? 1 : 0,
      reopen_count: int(o, 'reopenCount'), agent_reply_count: int(o, 'agentReplyCount'), version: int(o, 'version', 1),
      external_id: strOrNull(o, 'externalId'),
    };
    if (!row.subject.trim()) throw new RecordError('"subject" is empty');
    if (!Array.isArray(o.tags)) throw new RecordError('"tags" must be a list');
    const tags = o.tags.map((t) => {
      if (typeof t !== 'string') throw new RecordError('"tags" must be a list of strings');
      return normaliseTag(t);
    });
    if (!Array.isArray(o.events) || o.events.length === 0) throw new RecordError('"events" must be a non-empty list (an item has at least its "created" event)');
    const events = o.events.map((e, i) => this.eventRow(asObject(e, `events[${i}]`), id, i));
    if (events[0]!.type !== 'created') throw new RecordError('the first event must be the "created" event');
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.id <= events[i - 1]!.id || events[i]!.version < events[i - 1]!.version) {
        throw new RecordError(`events[${i}] is out of order (event ids and versions only grow)`);
      }
    }
    if (events.at(-1)!.version > row.version) throw new RecordError(`an event has version ${events.at(-1)!.version}, above the item's version ${row.version}`);
    const full = { ...row, next_due_at: nextDueAt(row) };

    const existing = id > this.maxId.get('items')! ? undefined : this.w.get<Row>('select id, role, created_at, version from items where id = ?', id);
    if (!existing) {
      this.insert('items', full);
      for (const tag of new Set(tags)) this.insertTag(id, tag);
      for (const e of events) this.insert('events', e);
      bump(this.report.added, 'item');
      return bump(this.report.added, 'event', events.length);
    }
    if (existing.role !== row.role || existing.created_at !== row.created_at) throw new RecordError(`item id ${id} already holds a different item in this database`);
    if ((existing.version as number) >= row.version) return bump(this.report.unchanged, 'item');
    // A later export of the same item: bring the row, tags and timeline up to date (events are only
    // appended). Rare, so a savepoint keeps it whole.
    this.w.run('savepoint jsonl_item');
    try {
      this.updateItem(id, full, tags, events);
      this.w.run('release jsonl_item');
    } catch (e) {
      this.w.run('rollback to jsonl_item');
      this.w.run('release jsonl_item');
      throw e;
    }
    bump(this.report.updated, 'item');
  }

  private updateItem(id: number, full: Row, tags: string[], events: (Row & { id: number })[]): void {
    const { id: _id, ...columns } = full;
    const cols = Object.keys(columns);
    this.w.run(`update items set ${cols.map((c) => `${c} = ?`).join(', ')} where id = ?`, ...cols.map((c) => (columns as Row)[c] ?? null), id);
    this.w.run('delete from item_tags where item_id = ?', id);
    for (const tag of new Set(tags)) this.w.insert('item_tags', { item_id: id, tag });
    for (const e of events) {
      const have = this.w.get<{ item_id: number }>('select item_id from events where id = ?', e.id);
      if (have && have.item_id !== id) throw new RecordError(`event id ${e.id} belongs to item ${have.item_id} in this database`);
      if (!have) {
        this.w.insert('events', e);
        bump(this.report.added, 'event');
      }
    }
  }

  private eventRow(e: Obj, itemId: number, i: number) {
    try {
      const author = oneOf(e, 'author', ['agent', 'customer', 'system'] as const);
      const type = str(e, 'type');
      if (!/^[a-z_]{1,40}$/.test(type)) throw new RecordError(`"type" ${describe(type)} is not an event type`);
      const agentId = intOrNull(e, 'agentId');
      const customerId = intOrNull(e, 'customerId');
      if (author === 'agent' && agentId === null) throw new RecordError('an agent event needs "agentId"');
      if (author === 'customer' && customerId === null) throw new RecordError('a customer event needs "customerId"');
      const data = e.data === null || e.data === undefined ? null : JSON.stringify(asObject(e.data, '"data"'));
      return {
        id: int(e, 'id', 1), item_id: itemId, version: int(e, 'version', 1), type, author_type: author,
        author_agent_id: author === 'agent' ? this.agentId(agentId) : null, author_customer_id: author === 'customer' ? customerId : null,
        body: strOrNull(e, 'body'), data, created_at: time(e, 'createdAt'), message_id: strOrNull(e, 'messageId'),
      };
    } catch (err) {
      throw new RecordError(`events[${i}]: ${errorMessage(err)}`);
    }
  }

  private escalation(o: Obj): void {
    if (o.snapshot === undefined || o.snapshot === null) throw new RecordError('"snapshot" is missing (an escalation keeps its frozen context)');
    const row = {
      id: int(o, 'id', 1), source_item_id: int(o, 'sourceItemId', 1), support_item_id: int(o, 'supportItemId', 1),
      reason: str(o, 'reason'), escalated_by: this.agentId(int(o, 'escalatedBy', 1)), escalated_at: time(o, 'escalatedAt'),
      snapshot: JSON.stringify(o.snapshot), state: oneOf(o, 'state', ['open', 'resolved', 'closed', 'handed_back'] as const),
      returned_at: timeOrNull(o, 'returnedAt'), return_note: strOrNull(o, 'returnNote'),
    };
    this.put('escalations', 'escalation', row, (e) => e.support_item_id === row.support_item_id, (e) => {
      // The snapshot is frozen; only the escalation's outcome moves on.
      if (e.state === row.state && e.returned_at === row.returned_at && e.return_note === row.return_note) return false;
      this.w.run('update escalations set state = ?, returned_at = ?, return_note = ? where id = ?', row.state, row.returned_at, row.return_note, row.id);
      return true;
    });
  }

  private survey(o: Obj): void {
    const kind = oneOf(o, 'kind', SURVEY_KINDS);
    const score = int(o, 'score');
    if (score > (kind === 'csat' ? 5 : 10) || (kind === 'csat' && score < 1)) throw new RecordError(`${kind} score ${score} is out of range`);
    const row = {
      id: int(o, 'id', 1), kind, score, comment: strOrNull(o, 'comment'), customer_id: int(o, 'customerId', 1),
      item_id: intOrNull(o, 'itemId'), created_at: time(o, 'createdAt'), external_id: strOrNull(o, 'externalId'),
    };
    this.put('surveys', 'survey', row, (e) => e.customer_id === row.customer_id && e.created_at === row.created_at && e.kind === row.kind);
  }
}
