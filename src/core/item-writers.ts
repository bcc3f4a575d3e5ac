// Where a new item's rows (decided by new-item.ts) are written: one seam, two ways. Inside a write
// transaction (create, escalation, ingest, mail) or through the store's bulk loader (demo, CSV import,
// JSONL restore), so fast loading (prepared statements, deferred indexes) stays an engine capability
// behind the same rules. A restore writes a recorded item as it was exported (ids, versions, times).
import type { Insertable, Selectable } from 'kysely';
import type { EventTable, ItemTable } from '../store/schema.js';
import type { BulkWriter, Db } from '../store/store.js';
import { conflict } from './errors.js';
import { forgetKpiDays, itemKpiTimes } from './kpi-days.js';
import type { NewItemRecord, PolicyOf } from './new-item.js';
import { nextDueAt, type PolicyRule } from './sla.js';

/** Writes new items. */
export interface ItemWriter {
  /** Write a new item's rows; its id, or null when an item with its external id exists (nothing written). */
  create(record: NewItemRecord): Promise<number | null>;
}

/** The policy lookup new-item.ts needs, from the loaded policies; a missing one has no targets (as getPolicy). */
export function policyLookup(rules: readonly PolicyRule[]): PolicyOf {
  const byKey = new Map(rules.map((p) => [`${p.role}:${p.priority}`, p]));
  return (role, priority) =>
    byKey.get(`${role}:${priority}`) ?? {
      role,
      priority,
      firstResponseMinutes: 0,
      resolutionMinutes: 0,
      calendar: null,
      pauseWhenWaiting: false,
      hours: null,
    };
}

/** Inside a write transaction: ids from the database; the unique external id decides a duplicate, on any engine. */
export function transactionItemWriter(trx: Db): ItemWriter {
  return {
    async create(record) {
      const inserted = await trx
        .insertInto('items')
        .values(record.item)
        .onConflict((oc) => oc.column('external_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;
      const id = inserted.id;
      await forgetKpiDays(trx, itemKpiTimes(record.item)); // the KPI day rollups it now counts in
      if (record.tags.length)
        await trx
          .insertInto('item_tags')
          .values(record.tags.map((tag) => ({ item_id: id, tag })))
          .execute();
      await trx
        .insertInto('events')
        .values(record.events.map((e) => ({ ...e, item_id: id })))
        .execute();
      return id;
    },
  };
}

/** A recorded item as exported: its row (next_due_at is computed), tags and events with their ids. */
export interface RestoredItem {
  item: Omit<
    Selectable<ItemTable>,
    | 'next_due_at'
    | 'open_work'
    | 'due_sort'
    | 'first_response_secs'
    | 'resolution_secs'
    | 'first_response_business_secs'
    | 'resolution_business_secs'
  >;
  tags: readonly string[];
  events: readonly (Insertable<EventTable> & { id: number; item_id: number })[];
}

/**
 * Through a bulk load: ids handed out by the loader (or the caller's, `add(record, id)`), rows queued
 * in the engine's writer. A duplicate external id is refused by the unique index; callers that must
 * report one as "exists" look first.
 */
export class BulkItemWriter implements ItemWriter {
  constructor(private readonly w: BulkWriter) {}

  async create(record: NewItemRecord): Promise<number> {
    return this.add(record);
  }

  /** Queue a new item's rows (synchronously: the demo writes a million); its id. */
  add(record: NewItemRecord, id: number = this.w.nextId('items')): number {
    const w = this.w;
    w.insert('items', { id, ...record.item });
    for (const tag of record.tags) w.insert('item_tags', { item_id: id, tag });
    for (const e of record.events) w.insert('events', { id: w.nextId('events'), item_id: id, ...e });
    return id;
  }

  /** A recorded item with its own ids (sequences move past them when the load ends). */
  restore(r: RestoredItem): void {
    this.w.insert('items', { ...r.item, next_due_at: nextDueAt(r.item) });
    for (const tag of new Set(r.tags)) this.w.insert('item_tags', { item_id: r.item.id, tag });
    for (const e of r.events) this.w.insert('events', e);
  }

  /**
   * Bring an item already here up to a later record of it: its row and tags as recorded, the events it
   * lacks appended (a timeline only grows). Returns how many events were added.
   */
  async replace(r: RestoredItem): Promise<number> {
    const { id, ...columns } = r.item;
    const db = this.w.db;
    await db
      .updateTable('items')
      .set({ ...columns, next_due_at: nextDueAt(r.item) })
      .where('id', '=', id)
      .execute();
    await db.deleteFrom('item_tags').where('item_id', '=', id).execute();
    for (const tag of new Set(r.tags)) this.w.insert('item_tags', { item_id: id, tag });
    let added = 0;
    for (const e of r.events) {
      const have = await db.selectFrom('events').select('item_id').where('id', '=', e.id).executeTakeFirst();
      if (have && have.item_id !== id) throw conflict(`event id ${e.id} belongs to item ${have.item_id} in this database`);
      if (!have) {
        this.w.insert('events', e);
        added++;
      }
    }
    return added;
  }
}
