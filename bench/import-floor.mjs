// The import floor for `npm run bench`: a bare better-sqlite3 script that inserts the same rows as
// `tandem import FILE.jsonl` into a database migrated by `tandem db migrate` (so the same indexes, the
// same generated columns and the same search index), in one transaction, with prepared statements,
// the indexes built once at the end and the search index filled in one statement, as anyone would
// write a fast bulk load by hand; and nothing else: no validation, no events of its own, no progress.
// Usage: node bench/import-floor.mjs EXPORT.jsonl MIGRATED.db
import fs from 'node:fs';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const [file, dbPath] = process.argv.slice(2);
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -262144'); // as Tandem's bulk loader

const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const cell = (v) => (v === true ? 1 : v === false ? 0 : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
const TABLES = {
  agent: 'agents',
  customer: 'customers',
  order: 'orders',
  survey: 'surveys',
  escalation: 'escalations',
  sla_policy: 'sla_policies',
};
const RENAME = { escalations: { escalatedBy: 'escalated_by' } };
const statements = new Map();
function insert(table, row) {
  const cols = Object.keys(row);
  const key = `${table}:${cols.join(',')}`;
  let st = statements.get(key);
  if (!st) {
    // The migration seeds the default SLA policies; the export carries them too.
    st = db.prepare(
      `insert ${table === 'sla_policies' ? 'or ignore ' : ''}into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`,
    );
    statements.set(key, st);
  }
  st.run(cols.map((c) => row[c]));
}
function rowOf(table, rec) {
  const row = {};
  for (const [k, v] of Object.entries(rec)) if (k !== 'type') row[RENAME[table]?.[k] ?? snake(k)] = cell(v);
  return row;
}
const earliest = (...xs) => xs.filter(Boolean).sort()[0] ?? null;

const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
let items = 0;
db.exec('begin');
const triggers = db.prepare(`select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'events'`).all();
const indexes = db
  .prepare(
    `select name, sql from sqlite_master where type = 'index' and sql is not null and sql not like 'create unique%' and tbl_name in ('items', 'events', 'orders', 'surveys', 'customers', 'item_tags', 'escalations')`,
  )
  .all();
for (const x of [...triggers, ...indexes]) db.exec(`drop ${triggers.includes(x) ? 'trigger' : 'index'} ${x.name}`);
for await (const line of lines) {
  if (!line) continue;
  const rec = JSON.parse(line);
  if (rec.type === 'item') {
    const { events, tags, ...item } = rec;
    const row = rowOf('items', item);
    row.next_due_at = earliest(row.first_response_at ? null : row.first_response_due_at, row.resolution_due_at);
    insert('items', row);
    for (const tag of tags) insert('item_tags', { item_id: rec.id, tag });
    for (const e of events) {
      insert('events', {
        id: e.id,
        item_id: rec.id,
        version: e.version,
        type: e.type,
        author_type: e.author,
        author_agent_id: e.agentId,
        author_customer_id: e.customerId,
        body: e.body,
        data: e.data === null ? null : JSON.stringify(e.data),
        created_at: e.createdAt,
        message_id: e.messageId,
      });
    }
    items++;
  } else if (TABLES[rec.type]) insert(TABLES[rec.type], rowOf(TABLES[rec.type], rec));
}
for (const i of indexes) db.exec(i.sql);
db.exec(`insert into search_fts (rowid, text)
  select e.id, case when e.type = 'created' then i.subject || char(10) || coalesce(e.body, '') else e.body end
  from events e join items i on i.id = e.item_id
  where e.type = 'created' or (e.body is not null and e.type in ('message', 'reply', 'note')) order by e.id`);
for (const t of triggers) db.exec(t.sql);
db.exec('commit');
db.close();
process.stdout.write(`${items}\n`);
