// Orders recorded from shop and payment exports: one order per reference, found again by it, so a
// re-import adds nothing and a later export (after a refund) brings the amount up to date.
import type { Ctx } from './context.js';
import { nowIso } from './context.js';
import { findOrCreateCustomerByNameOrEmail } from './customers.js';
import { invalid } from './errors.js';
import { changeOrders, forgetKpiDays, ORDER_FAMILIES } from './kpi-days.js';

export interface ShopOrder {
  reference: string;
  customer: { email?: string | null; name?: string | null };
  /** Net amount in minor units: what was paid less what was refunded. */
  amountCents: number;
  currency: string;
  orderedAt: string;
}

export type OrderOutcome = { outcome: 'added' | 'updated' | 'unchanged'; orderId: number; newCustomer: boolean };

/** Record an order by its reference: new, brought up to date (a refund changed its amount), or as it was. */
export async function recordOrder(ctx: Ctx, order: ShopOrder): Promise<OrderOutcome> {
  const reference = order.reference.trim();
  if (!reference) throw invalid('an order needs a reference');
  const currency = order.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid(`currency must be a 3-letter code like USD (got ${JSON.stringify(order.currency)})`);
  if (!Number.isSafeInteger(order.amountCents) || order.amountCents < 0)
    throw invalid(`the net amount must not be negative (refunds exceed the total of order ${reference})`);
  return ctx.store.write(async (trx) => {
    const existing = await trx.selectFrom('orders').selectAll().where('reference', '=', reference).orderBy('id').executeTakeFirst();
    if (existing) {
      if (existing.amount_cents === order.amountCents && existing.currency === currency)
        return { outcome: 'unchanged', orderId: existing.id, newCustomer: false };
      await trx.updateTable('orders').set({ amount_cents: order.amountCents, currency }).where('id', '=', existing.id).execute();
      await forgetKpiDays(trx, [existing.ordered_at], Object.values(ORDER_FAMILIES)); // its day's total
      return { outcome: 'updated', orderId: existing.id, newCustomer: false };
    }
    const { customer, created } = await findOrCreateCustomerByNameOrEmail(trx, order.customer, order.orderedAt);
    const row = await changeOrders(trx, [customer.id], [order.orderedAt], () =>
      trx
        .insertInto('orders')
        .values({
          customer_id: customer.id,
          amount_cents: order.amountCents,
          currency,
          ordered_at: order.orderedAt,
          reference,
          created_at: nowIso(ctx),
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    return { outcome: 'added', orderId: row.id, newCustomer: created };
  });
}

/** The customer of an order reference, if the order is known. */
export async function customerOfOrder(ctx: Ctx, reference: string): Promise<number | null> {
  const row = await ctx.store.db
    .selectFrom('orders')
    .select('customer_id')
    .where('reference', '=', reference.trim())
    .orderBy('id')
    .executeTakeFirst();
  return row?.customer_id ?? null;
}

/**
 * A fully refunded order is no purchase: it leaves the customer's orders, so repeat purchase rate and
 * lifetime value count what was really bought. Returns whether an order was there to remove.
 */
export async function removeRefundedOrder(ctx: Ctx, reference: string): Promise<boolean> {
  return ctx.store.write(async (trx) => {
    const gone = await trx.selectFrom('orders').select(['customer_id', 'ordered_at']).where('reference', '=', reference.trim()).execute();
    const r = await changeOrders(
      trx,
      gone.map((o) => o.customer_id),
      gone.map((o) => o.ordered_at),
      () => trx.deleteFrom('orders').where('reference', '=', reference.trim()).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  });
}
