// Rules, their revisions and the routing models, copied row for row (same ids) into another store:
// `tandem db copy` moves everything else through a JSONL export, which does not carry them.
import { sql } from 'kysely';
import type { Db } from '../../store/store.js';
import type { Ctx } from '../context.js';

export interface RuleCopyCounts { rules: number; revisions: number; models: number }

export async function copyRulesAndModels(from: Db, to: Ctx): Promise<RuleCopyCounts> {
  const rules = await from.selectFrom('rules').selectAll().orderBy('id').execute();
  const revisions = await from.selectFrom('rule_revisions').selectAll().orderBy('id').execute();
  const models = await from.selectFrom('route_models').selectAll().orderBy('id').execute();
  await to.store.write(async (trx) => {
    for (const r of rules) await trx.insertInto('rules').values(r).execute();
    for (const r of revisions) await trx.insertInto('rule_revisions').values(r).execute();
    for (const m of models) await trx.insertInto('route_models').values(m).execute();
    // PostgreSQL's identity sequences do not move past explicit ids (SQLite's AUTOINCREMENT does):
    // without this the next rule added on the copy would collide with a copied id.
    if (to.store.engine === 'postgres') {
      for (const t of ['rules', 'rule_revisions', 'route_models']) {
        await sql`select setval(pg_get_serial_sequence(${t}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(t)}`.execute(trx);
      }
    }
  });
  return { rules: rules.length, revisions: revisions.length, models: models.length };
}
