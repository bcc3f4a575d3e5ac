// Customers and their orders: profile, lookup by email, and history across both roles.
import type { Ctx } from './context.js';
import { nowIso } from './context.js';
import { conflict, invalid, notFound } from './errors.js';
import type { Db } from '../store/store.js';
import { parseIsoStrict } from './time.js';
import { changeOrders } from './kpi-days.js';

export interface Customer {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
  createdAt: string;
}

export interface Order {
  id: number;
  customerId: number;
  amount: number; // major units, e.g. 12.5
  amountCents: number;
  currency: string;
  orderedAt: string;
  reference: string | null;
}

type CustomerRow = {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
  created_at: string;
};
type OrderRow = { id: number; customer_id: number; amount_cents: number; currency: string; ordered_at: string; reference: string | null };

export function toCustomer(r: CustomerRow): Customer {
  return { id: r.id, name: r.name, email: r.email, phone: r.phone, company: r.company, notes: r.notes, createdAt: r.created_at };
}

export function toOrder(r: OrderRow): Order {
  return {
    id: r.id,
    customerId: r.customer_id,
    amount: r.amount_cents / 100,
    amountCents: r.amount_cents,
    currency: r.currency,
    orderedAt: r.ordered_at,
    reference: r.reference,
  };
}

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL_RE.test(e)) throw invalid(`not an email address: ${JSON.stringify(email)}`);
  return e;
}

export interface NewCustomer {
  name?: string;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  notes?: string | null;
}

async function insertCustomer(trx: Db, input: NewCustomer, at: string): Promise<Customer> {
  const email = input.email ? normaliseEmail(input.email) : null;
  const name = (input.name ?? '').trim() || (email ? email.split('@')[0]! : '');
  if (!name) throw invalid('a customer needs a name or an email');
  if (email) {
    const existing = await trx.selectFrom('customers').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw conflict(`a customer with email ${email} already exists (#${existing.id})`);
  }
  const row = await trx
    .insertInto('customers')
    .values({
      name,
      email,
      phone: input.phone?.trim() || null,
      company: input.company?.trim() || null,
      notes: input.notes ?? null,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCustomer(row);
}

export async function addCustomer(ctx: Ctx, input: NewCustomer): Promise<Customer> {
  return ctx.store.write((trx) => insertCustomer(trx, input, nowIso(ctx)));
}

/** Find a customer by email, or create one (used when an item arrives from an address). */
export async function findOrCreateCustomer(trx: Db, input: NewCustomer, at: string): Promise<Customer> {
  if (input.email) {
    const email = normaliseEmail(input.email);
    const row = await trx.selectFrom('customers').selectAll().where('email', '=', email).executeTakeFirst();
    if (row) return toCustomer(row);
  }
  return insertCustomer(trx, input, at);
}

/**
 * The customer of an imported record: by email (created if new), else by name among customers with
 * no email (created if new). Says whether it was created.
 */
export async function findOrCreateCustomerByNameOrEmail(
  trx: Db,
  who: { email?: string | null; name?: string | null },
  at: string,
): Promise<{ customer: Customer; created: boolean }> {
  const email = who.email ? normaliseEmail(who.email) : null;
  const name = who.name?.trim() || null;
  const row = email
    ? await trx.selectFrom('customers').selectAll().where('email', '=', email).executeTakeFirst()
    : name
      ? await trx.selectFrom('customers').selectAll().where('email', 'is', null).where('name', '=', name).orderBy('id').executeTakeFirst()
      : undefined;
  if (row) return { customer: toCustomer(row), created: false };
  return { customer: await insertCustomer(trx, { email, name: name ?? undefined }, at), created: true };
}

/** Look a customer up by `#id`, id, or email. */
export async function findCustomer(db: Db, ref: string | number): Promise<Customer> {
  const text = String(ref).trim();
  const idMatch = /^#?(\d+)$/.exec(text);
  let q = db.selectFrom('customers').selectAll();
  if (idMatch) q = q.where('id', '=', Number(idMatch[1]));
  else q = q.where('email', '=', text.toLowerCase());
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`no customer ${idMatch ? '#' + idMatch[1] : 'with email ' + text}`);
  return toCustomer(row);
}

export interface CustomerListOptions {
  search?: string;
  limit?: number;
}

export async function listCustomers(
  ctx: Ctx,
  opts: CustomerListOptions = {},
): Promise<(Customer & { orderCount: number; lifetimeRevenue: number })[]> {
  let q = ctx.store.db
    .selectFrom('customers as c')
    .selectAll('c')
    .select((eb) => [
      eb
        .selectFrom('orders')
        .whereRef('orders.customer_id', '=', 'c.id')
        .select((o) => o.fn.countAll<number>().as('n'))
        .as('order_count'),
      eb
        .selectFrom('orders')
        .whereRef('orders.customer_id', '=', 'c.id')
        .select((o) => o.fn.coalesce(o.fn.sum<number>('orders.amount_cents'), o.val(0)).as('s'))
        .as('revenue_cents'),
    ])
    .orderBy('c.name')
    .orderBy('c.id')
    .limit(opts.limit ?? 100);
  if (opts.search) {
    const like = `%${opts.search.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m)}%`;
    q = q.where((eb) =>
      eb.or([eb(eb.fn('lower', ['c.name']), 'like', like), eb('c.email', 'like', like), eb(eb.fn('lower', ['c.company']), 'like', like)]),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    ...toCustomer(r),
    orderCount: Number(r.order_count ?? 0),
    lifetimeRevenue: Number(r.revenue_cents ?? 0) / 100,
  }));
}

export interface NewOrder {
  customer: string | number;
  amount: number | string;
  currency?: string;
  orderedAt?: string;
  reference?: string | null;
}

function parseAmountCents(amount: number | string): number {
  const n = typeof amount === 'number' ? amount : Number(String(amount).trim());
  if (!Number.isFinite(n)) throw invalid(`amount must be a number (got ${JSON.stringify(amount)})`);
  if (n < 0) throw invalid('amount must not be negative');
  return Math.round(n * 100);
}

export async function addOrder(ctx: Ctx, input: NewOrder): Promise<Order> {
  const amountCents = parseAmountCents(input.amount);
  const currency = (input.currency ?? 'USD').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid(`currency must be a 3-letter code like USD (got ${JSON.stringify(input.currency)})`);
  const orderedAt = input.orderedAt ? parseIsoStrict('order date', input.orderedAt) : nowIso(ctx);
  return ctx.store.write(async (trx) => {
    const customer = await findCustomer(trx, input.customer);
    const row = await changeOrders(trx, [customer.id], [orderedAt], () =>
      trx
        .insertInto('orders')
        .values({
          customer_id: customer.id,
          amount_cents: amountCents,
          currency,
          ordered_at: orderedAt,
          reference: input.reference ?? null,
          created_at: nowIso(ctx),
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return toOrder(row);
  });
}
