// The ids a bulk load hands out: per table, the next free one, past every id the load has written.
// Both engines' writers use it; each says how to find a table's first free id.
import type { BulkTable } from './store.js';

export type IdTable = Exclude<BulkTable, 'item_tags'>;

export class IdCounter {
  private next = new Map<string, number>();

  constructor(private readonly firstFree: (table: string) => number) {}

  nextId(table: IdTable): number {
    const id = this.peek(table);
    this.next.set(table, id + 1);
    return id;
  }

  claimId(table: IdTable, id: number): void {
    if (id >= this.peek(table)) this.next.set(table, id + 1);
  }

  /** Set where a table starts (read up front, where reading later would need an await). */
  start(table: string, firstFree: number): void {
    this.next.set(table, firstFree);
  }

  /** The counters now, to put back when a record fails (its ids are free again). */
  snapshot(): Map<string, number> {
    return new Map(this.next);
  }

  restore(saved: Map<string, number>): void {
    this.next = new Map(saved);
  }

  private peek(table: string): number {
    let id = this.next.get(table);
    if (id === undefined) {
      id = this.firstFree(table);
      this.next.set(table, id);
    }
    return id;
  }
}
