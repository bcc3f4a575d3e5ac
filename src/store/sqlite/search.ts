// Full-text search on SQLite: FTS5, contentless, keyed by event id (migration 0001).
import { sql, type RawBuilder } from 'kysely';
import type { Db, SearchIndex } from '../store.js';
import { searchWords } from '../search-words.js';

export class SqliteSearch implements SearchIndex {
  constructor(private readonly db: Db) {}

  async itemIds(text: string, limit = 10_000): Promise<number[]> {
    const query = ftsQuery(text);
    if (!query) return [];
    // FTS rowids are event ids; subjects are indexed with each item's 'created' event (migration 0001).
    const rows = await sql<{ item_id: number }>`
      select distinct e.item_id as item_id from search_fts f join events e on e.id = f.rowid
      where search_fts match ${query} order by e.item_id desc limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => Number(r.item_id));
  }

  /** The newest matching ids (itemIds), fetched first: an FTS5 match evaluated inside a larger query runs per row. */
  async matchCondition(text: string, itemIdColumn: string): Promise<RawBuilder<boolean> | null> {
    const ids = await this.itemIds(text);
    return ids.length === 0 ? null : sql<boolean>`${sql.ref(itemIdColumn)} in (${sql.join(ids)})`;
  }
}

/**
 * Turn user text into an FTS5 query that only ever means "all these words":
 * every token is double-quoted (quotes doubled), so `"`, `*`, `NEAR(`, `-`, `:` are searched as text.
 * The last word is a prefix match so search-as-you-type works.
 */
export function ftsQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}
