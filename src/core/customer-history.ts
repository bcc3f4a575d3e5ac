// A customer with their whole history: items of both roles, orders, surveys, lifetime revenue.
import type { Ctx } from './context.js';
import { findCustomer, toOrder, type Customer, type Order } from './customers.js';
import { selectItemColumns, viewsFromRows, type ItemView } from './item-view.js';
import type { Survey } from './surveys.js';

export interface CustomerHistory {
  customer: Customer;
  lifetimeRevenue: number;
  orderCount: number;
  currency: string | null;
  orders: Order[];
  items: ItemView[];
  openItems: number;
  surveys: Survey[];
  lastCsat: Survey | null;
  lastNps: Survey | null;
}

export async function customerHistory(ctx: Ctx, ref: string | number, opts: { itemLimit?: number } = {}): Promise<CustomerHistory> {
  const db = ctx.store.db;
  const customer = await findCustomer(db, ref);
  const orders = (
    await db
      .selectFrom('orders')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .orderBy('ordered_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
  ).map(toOrder);
  const itemRows = await selectItemColumns(db)
    .where('i.customer_id', '=', customer.id)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(opts.itemLimit ?? 100)
    .execute();
  const items = await viewsFromRows(db, itemRows, ctx.clock());
  const open = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customer.id)
    .where('status', 'not in', ['resolved', 'closed'])
    .executeTakeFirstOrThrow();
  const surveys: Survey[] = (
    await db
      .selectFrom('surveys')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
  ).map((s) => ({
    id: s.id,
    kind: s.kind as Survey['kind'],
    score: s.score,
    comment: s.comment,
    customerId: s.customer_id,
    itemId: s.item_id,
    createdAt: s.created_at,
  }));
  const revenueCents = orders.reduce((sum, o) => sum + o.amountCents, 0);
  return {
    customer,
    lifetimeRevenue: revenueCents / 100,
    orderCount: orders.length,
    currency: orders[0]?.currency ?? null,
    orders,
    items,
    openItems: Number(open.n),
    surveys,
    lastCsat: surveys.find((s) => s.kind === 'csat') ?? null,
    lastNps: surveys.find((s) => s.kind === 'nps') ?? null,
  };
}
