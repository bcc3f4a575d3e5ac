// `tandem export`: everything in the store as JSONL (see jsonl-records.ts), items with their whole
// timelines, read in pages so a million items never sit in memory at once.
import type { Ctx } from '../core/context.js';
import { LATEST_SCHEMA } from '../store/migrations.js';
import { listMacros, macroRecord } from '../core/macros.js';
import { listViews, viewRecord } from '../core/views.js';
import {
  JSONL_FORMAT,
  JSONL_VERSION,
  agentRecord,
  customerRecord,
  escalationRecord,
  eventRecord,
  itemRecord,
  orderRecord,
  slaPolicyRecord,
  surveyRecord,
  type EventRecord,
  type HeaderRecord,
} from './jsonl-records.js';

export interface ExportOptions {
  /** Only items updated at or after this ISO time (with their whole timelines), and orders,
   *  escalations and surveys from then on. Agents, customers and SLA policies are always written. */
  since?: string | null;
  onProgress?: (done: number, total: number) => void;
}

/** Where lines go; `write` may return a promise to apply backpressure. */
export interface LineSink {
  write(text: string): void | Promise<void>;
}

const PAGE = 2000;

export async function exportJsonl(ctx: Ctx, sink: LineSink, opts: ExportOptions = {}): Promise<Record<string, number>> {
  const db = ctx.store.db;
  const since = opts.since ?? null;
  const counts: Record<string, number> = {};
  let buffer: string[] = [];
  let size = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    size = 0;
    await sink.write(text);
  };
  const emit = async (record: { type: string }) => {
    const line = JSON.stringify(record) + '\n';
    buffer.push(line);
    size += line.length;
    counts[record.type] = (counts[record.type] ?? 0) + 1;
    if (size > 1 << 20) await flush();
  };

  const header: HeaderRecord = { type: 'tandem', format: JSONL_FORMAT, version: JSONL_VERSION, schema: LATEST_SCHEMA, since };
  await emit(header);
  delete counts.tandem;
  for (const r of await db.selectFrom('sla_policies').selectAll().orderBy('role').orderBy('priority').execute())
    await emit(slaPolicyRecord(r));
  for (const r of await db.selectFrom('agents').selectAll().orderBy('id').execute()) await emit(agentRecord(r));
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('customers')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE * 5)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) await emit(customerRecord(r));
    after = rows.at(-1)!.id;
  }
  for (let after = 0; ; ) {
    let q = db.selectFrom('orders').selectAll().where('id', '>', after);
    if (since) q = q.where('created_at', '>=', since);
    const rows = await q
      .orderBy('id')
      .limit(PAGE * 5)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) await emit(orderRecord(r));
    after = rows.at(-1)!.id;
  }

  let countQuery = db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n'));
  if (since) countQuery = countQuery.where('updated_at', '>=', since);
  const total = Number((await countQuery.executeTakeFirstOrThrow()).n);
  let done = 0;
  for (let after = 0; ; ) {
    let q = db.selectFrom('items').selectAll().where('id', '>', after);
    if (since) q = q.where('updated_at', '>=', since);
    const items = await q.orderBy('id').limit(PAGE).execute();
    if (items.length === 0) break;
    const ids = items.map((i) => i.id);
    const lo = ids[0]!;
    const hi = ids.at(-1)!;
    // One range read per page; with --since some rows in the range belong to items not exported.
    const events = new Map<number, EventRecord[]>();
    for (const e of await db
      .selectFrom('events')
      .selectAll()
      .where('item_id', '>=', lo)
      .where('item_id', '<=', hi)
      .orderBy('item_id')
      .orderBy('id')
      .execute()) {
      let list = events.get(e.item_id);
      if (!list) events.set(e.item_id, (list = []));
      list.push(eventRecord(e));
    }
    const tags = new Map<number, string[]>();
    for (const t of await db
      .selectFrom('item_tags')
      .selectAll()
      .where('item_id', '>=', lo)
      .where('item_id', '<=', hi)
      .orderBy('item_id')
      .orderBy('tag')
      .execute()) {
      let list = tags.get(t.item_id);
      if (!list) tags.set(t.item_id, (list = []));
      list.push(t.tag);
    }
    for (const item of items) {
      const evs = events.get(item.id) ?? [];
      await emit(itemRecord(item, tags.get(item.id) ?? [], evs));
      counts.event = (counts.event ?? 0) + evs.length;
    }
    done += items.length;
    opts.onProgress?.(done, total);
    after = hi;
  }

  // Escalations and surveys refer to items: with --since, only those whose items are in the export.
  for (const r of await db.selectFrom('escalations').selectAll().orderBy('id').execute()) {
    if (since && !(await bothUpdatedSince(ctx, r.source_item_id, r.support_item_id, since))) continue;
    await emit(escalationRecord(r));
  }
  for (let after = 0; ; ) {
    let q = db.selectFrom('surveys').selectAll().where('id', '>', after);
    if (since) q = q.where('created_at', '>=', since);
    const rows = await q
      .orderBy('id')
      .limit(PAGE * 5)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (since && r.item_id !== null && !(await bothUpdatedSince(ctx, r.item_id, r.item_id, since))) continue;
      await emit(surveyRecord(r));
    }
    after = rows.at(-1)!.id;
  }
  // Macros and saved views refer to nothing by id; like agents, --since always writes them all.
  for (const m of await listMacros(db)) await emit(macroRecord(m));
  for (const v of await listViews(db)) await emit(viewRecord(v));
  const end = { type: 'end', counts: { ...counts } };
  buffer.push(JSON.stringify(end) + '\n');
  await flush();
  return counts;
}

async function bothUpdatedSince(ctx: Ctx, a: number, b: number, since: string): Promise<boolean> {
  const rows = await ctx.store.db.selectFrom('items').select('id').where('id', 'in', [a, b]).where('updated_at', '>=', since).execute();
  return rows.length === (a === b ? 1 : 2);
}
