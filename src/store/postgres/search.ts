// Full-text search on PostgreSQL: search_docs (migration 0001) with the `tandem` configuration. The
// query is built from the same plain words as on SQLite, each quoted as a lexeme, the last a prefix:
// no character of user text is read as tsquery syntax.
import { sql, type RawBuilder } from 'kysely';
import type { Db, SearchIndex } from '../store.js';
import { searchWords } from '../search-words.js';

export class PostgresSearch implements SearchIndex {
  constructor(private readonly db: Db) {}

  async itemIds(text: string, limit = 10_000): Promise<number[]> {
    const query = tsQuery(text);
    if (!query) return [];
    const rows = await sql<{ item_id: number }>`
      select item_id from search_docs where doc @@ to_tsquery('tandem', ${query})
      group by item_id order by item_id desc limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => Number(r.item_id));
  }

  /**
   * The match inside the query itself (a semi-join on search_docs): no list of matching ids travels to
   * the client and back, and the planner can walk the inbox's own order, checking each item's
   * documents (search_docs_item, migration 0010), so a page costs the same however many items match.
   */
  async matchCondition(text: string, itemIdColumn: string): Promise<RawBuilder<boolean> | null> {
    const query = tsQuery(text);
    if (!query) return null;
    return sql<boolean>`exists (select 1 from search_docs d where d.item_id = ${sql.ref(itemIdColumn)} and d.doc @@ to_tsquery('tandem', ${query}))`;
  }
}

/** "all these words", the last as a prefix: 'a' & 'b' & 'c':* with every quote doubled. */
function tsQuery(text: string): string | null {
  // Split as the index does: anything that is not a letter or digit separates words.
  const words = searchWords(text)
    .flatMap((w) => w.split(/[^\p{L}\p{N}]+/u))
    .filter(Boolean);
  if (words.length === 0) return null;
  return words.map((w, i) => `'${w.replace(/'/g, "''").replace(/\\/g, '\\\\')}'${i === words.length - 1 ? ':*' : ''}`).join(' & ');
}
