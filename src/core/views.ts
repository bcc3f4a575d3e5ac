// Saved views: a named inbox filter and sort, shared by the team. A view stores the filter itself
// (not a query string), so `assignee: me` means whoever opens it. The first six sit on keys 4–9.
import type { Selectable } from 'kysely';
import type { Db } from '../store/store.js';
import type { SavedViewTable } from '../store/schema.js';
import { findAgent, type Agent } from './agents.js';
import type { Ctx } from './context.js';
import { findCustomer } from './customers.js';
import { conflict, invalid, notFound } from './errors.js';
import { countInbox, SORTS, type InboxFilter, type Sort } from './inbox.js';
import { normaliseTag } from './items.js';
import { PRIORITIES, ROLES, STATUSES, parseEnum, type Priority, type Role, type Status } from './vocabulary.js';

/** The stored filter: the inbox's filter without its window (limit, offset). */
export type ViewFilter = Omit<InboxFilter, 'limit' | 'offset'>;

export interface SavedView {
  id: number;
  name: string;
  filter: ViewFilter;
  createdAt: string;
  updatedAt: string;
}

/** Keys 4–9 in the console, in the order the views were made. */
export const VIEW_KEYS = ['4', '5', '6', '7', '8', '9'] as const;

function toSavedView(r: Selectable<SavedViewTable>): SavedView {
  return { id: r.id, name: r.name, filter: JSON.parse(r.filter) as ViewFilter, createdAt: r.created_at, updatedAt: r.updated_at };
}

function normaliseViewName(name: string): string {
  const n = (name ?? '').trim().toLowerCase();
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_\-.]{0,23}$/u.test(n)) {
    throw invalid(`view name ${JSON.stringify(name)} must be 1-24 letters, digits, '-', '_' or '.' (no spaces), e.g. vip-breached`);
  }
  return n;
}

/** Check and normalise a filter (unknown agents and customers are refused); keys in one order. */
async function checkViewFilter(db: Db, f: ViewFilter): Promise<ViewFilter> {
  const out: ViewFilter = {};
  if (f.role && f.role !== 'all') out.role = parseEnum('role', ROLES, f.role) as Role;
  if (f.statuses !== undefined)
    out.statuses = f.statuses === 'all' ? 'all' : f.statuses.map((s) => parseEnum('status', STATUSES, s) as Status);
  if (f.assignee?.trim()) {
    const a = f.assignee.trim().toLowerCase().replace(/^@/, '');
    out.assignee = a === 'me' || a === 'none' ? a : (await findAgent(db, a)).handle;
  }
  if (f.priorities?.length) out.priorities = f.priorities.map((p) => parseEnum('priority', PRIORITIES, p) as Priority);
  if (f.tag?.trim()) out.tag = normaliseTag(f.tag);
  if (f.customer?.trim()) {
    const c = await findCustomer(db, f.customer.trim());
    out.customer = c.email ?? `#${c.id}`;
  }
  if (f.search?.trim()) out.search = f.search.trim();
  if (f.breached) out.breached = true;
  if (f.sort && f.sort !== 'due') out.sort = parseEnum('sort', SORTS, f.sort) as Sort;
  return out;
}

export async function addView(ctx: Ctx, name: string, filter: ViewFilter, opts: { replace?: boolean } = {}): Promise<SavedView> {
  const n = normaliseViewName(name);
  const now = ctx.clock().toISOString();
  return ctx.store.write(async (trx) => {
    const f = JSON.stringify(await checkViewFilter(trx, filter));
    let q = trx.insertInto('saved_views').values({ name: n, filter: f, created_at: now, updated_at: now });
    q = opts.replace
      ? q.onConflict((oc) => oc.column('name').doUpdateSet({ filter: f, updated_at: now }))
      : q.onConflict((oc) => oc.column('name').doNothing());
    const row = await q.returningAll().executeTakeFirst();
    if (!row) throw conflict(`a view named ${n} already exists; --replace overwrites it, \`tandem view remove ${n}\` removes it`);
    return toSavedView(row);
  });
}

export async function listViews(db: Db): Promise<SavedView[]> {
  return (await db.selectFrom('saved_views').selectAll().orderBy('id').execute()).map(toSavedView);
}

export async function getView(db: Db, name: string): Promise<SavedView> {
  const row = await db
    .selectFrom('saved_views')
    .selectAll()
    .where('name', '=', (name ?? '').trim().toLowerCase())
    .executeTakeFirst();
  if (!row) throw notFound(`no view named ${JSON.stringify(name)} (\`tandem view list\` shows them)`);
  return toSavedView(row);
}

export async function removeView(ctx: Ctx, name: string): Promise<SavedView> {
  return ctx.store.write(async (trx) => {
    const v = await getView(trx, name);
    await trx.deleteFrom('saved_views').where('id', '=', v.id).execute();
    return v;
  });
}

/** How many items each view shows for `me` right now (a view naming a removed customer counts null). */
export async function viewCounts(ctx: Ctx, me: Agent | null, views: SavedView[]): Promise<(number | null)[]> {
  const out: (number | null)[] = [];
  for (const v of views) {
    try {
      out.push(await countInbox(ctx, me, v.filter));
    } catch {
      out.push(null);
    }
  }
  return out;
}

/** The filter as the `tandem inbox` flags that give it: `--role support --status open,pending …`. */
export function viewFilterFlags(f: ViewFilter): string {
  const parts: string[] = [];
  const q = (s: string) => (/^[\w@#.,:/+-]+$/.test(s) ? s : JSON.stringify(s));
  if (f.role && f.role !== 'all') parts.push(`--role ${f.role}`);
  if (f.statuses) parts.push(`--status ${f.statuses === 'all' ? 'all' : f.statuses.join(',')}`);
  if (f.assignee) parts.push(`--assignee ${q(f.assignee)}`);
  if (f.priorities?.length) parts.push(`--priority ${f.priorities.join(',')}`);
  if (f.tag) parts.push(`--tag ${q(f.tag)}`);
  if (f.customer) parts.push(`--customer ${q(f.customer)}`);
  if (f.search) parts.push(`--search ${q(f.search)}`);
  if (f.breached) parts.push('--breached');
  if (f.sort && f.sort !== 'due') parts.push(`--sort ${f.sort}`);
  return parts.join(' ') || '(all open work)';
}

// --- JSONL export and import ---------------------------------------------------------------------

export interface ViewRecord {
  type: 'view';
  id: number;
  name: string;
  filter: ViewFilter;
  createdAt: string;
  updatedAt: string;
}

export const viewRecord = (v: SavedView): ViewRecord => ({
  type: 'view',
  id: v.id,
  name: v.name,
  filter: v.filter,
  createdAt: v.createdAt,
  updatedAt: v.updatedAt,
});

/** A view record from an export as the row to store; its filter's values are checked (not its agents). */
export function viewRowFromRecord(o: Record<string, unknown>): Selectable<SavedViewTable> {
  if (!Number.isInteger(o.id) || (o.id as number) < 1) throw invalid('"id" must be a whole number ≥ 1');
  if (typeof o.name !== 'string') throw invalid('"name" must be a string');
  const f = o.filter as Record<string, unknown> | null;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw invalid('"filter" must be an object');
  const known = ['role', 'statuses', 'assignee', 'priorities', 'tag', 'customer', 'search', 'breached', 'sort'];
  for (const k of Object.keys(f)) if (!known.includes(k)) throw invalid(`"filter.${k}" is not a filter`);
  if (f.role !== undefined) parseEnum('role', ROLES, f.role);
  if (f.statuses !== undefined && f.statuses !== 'all') {
    if (!Array.isArray(f.statuses)) throw invalid('"filter.statuses" must be a list or "all"');
    for (const s of f.statuses) parseEnum('status', STATUSES, s);
  }
  if (f.priorities !== undefined) {
    if (!Array.isArray(f.priorities)) throw invalid('"filter.priorities" must be a list');
    for (const p of f.priorities) parseEnum('priority', PRIORITIES, p);
  }
  for (const k of ['assignee', 'tag', 'customer', 'search'])
    if (f[k] !== undefined && typeof f[k] !== 'string') throw invalid(`"filter.${k}" must be a string`);
  if (f.breached !== undefined && typeof f.breached !== 'boolean') throw invalid('"filter.breached" must be true or false');
  if (f.sort !== undefined) parseEnum('sort', SORTS, f.sort);
  const time = (k: string) => {
    const v = o[k];
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw invalid(`"${k}" is not a time`);
    return new Date(v).toISOString();
  };
  return {
    id: o.id as number,
    name: normaliseViewName(o.name),
    filter: JSON.stringify(f),
    created_at: time('createdAt'),
    updated_at: time('updatedAt'),
  };
}
