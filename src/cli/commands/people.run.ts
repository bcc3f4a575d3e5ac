// `tandem agent …`, `tandem customer …`, `tandem order add`, `tandem survey add`.
import { addAgent, deactivateAgent, listAgents } from '../../core/agents.js';
import { addCustomer, addOrder, listCustomers } from '../../core/customers.js';
import { customerHistory } from '../../core/customer-history.js';
import { addSurvey } from '../../core/surveys.js';
import { parseItemId } from '../../core/item-view.js';
import { parseWhen } from '../../core/time.js';
import { itemColumns } from '../present.js';
import { localTime, money } from '../../text/format.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Deps } from '../runtime.js';

export type AgentAddFlags = { name?: string; email?: string; roles: string };
export type AgentAddOptions = AgentAddFlags & { handle: string };

export async function runAgentAdd(o: AgentAddOptions, rt: Deps): Promise<void> {
  const { handle } = o;
  const a = await addAgent(await rt.ctx(), { handle, name: o.name, email: o.email, roles: o.roles });
  if (rt.out.json) rt.out.printJson(a);
  else if (!rt.out.tty) rt.out.print(a.handle);
  else rt.out.print(`Added @${a.handle} (${a.roles})`);
}

export type AgentListOptions = { all?: boolean };

export async function runAgentList(o: AgentListOptions, rt: Deps): Promise<void> {
  const list = await listAgents(await rt.ctx(), { includeInactive: o.all });
  if (rt.out.json) return rt.out.printJson(list);
  rt.out.table(list, [
    { header: 'HANDLE', value: (a) => a.handle },
    { header: 'NAME', value: (a) => a.name },
    { header: 'ROLES', value: (a) => a.roles },
    { header: 'ACTIVE', value: (a) => (a.active ? 'yes' : 'no') },
  ]);
}

export interface AgentDeactivateOptions {
  handle: string;
}

export async function runAgentDeactivate(o: AgentDeactivateOptions, rt: Deps): Promise<void> {
  const { handle } = o;
  const a = await deactivateAgent(await rt.ctx(), handle);
  if (rt.out.json) rt.out.printJson(a);
  else rt.out.note(`@${a.handle} is deactivated`);
}

export type CustomerAddOptions = { name?: string; email?: string; phone?: string; company?: string; notes?: string };

export async function runCustomerAdd(o: CustomerAddOptions, rt: Deps): Promise<void> {
  const c = await addCustomer(await rt.ctx(), o);
  if (rt.out.json) rt.out.printJson(c);
  else if (!rt.out.tty) rt.out.print(String(c.id));
  else rt.out.print(`Added customer #${c.id} ${sanitizeLine(c.name)}`);
}

export interface CustomerShowOptions {
  ref: string;
}

export async function runCustomerShow(o: CustomerShowOptions, rt: Deps): Promise<void> {
  const { ref } = o;
  const ctx = await rt.ctx();
  const h = await customerHistory(ctx, ref);
  if (rt.out.json) return rt.out.printJson(h);
  const c = h.customer;
  rt.out.print(rt.out.c.bold(`#${c.id} ${sanitizeLine(c.name)}`));
  rt.out.fields([
    ['Email', c.email],
    ['Phone', c.phone],
    ['Company', c.company],
    ['Notes', c.notes],
    ['Lifetime', `${money(h.lifetimeRevenue, h.currency)} over ${h.orderCount} order(s)`],
    ['Open items', String(h.openItems)],
    ['Last CSAT', h.lastCsat ? `${h.lastCsat.score}/5 ${localTime(h.lastCsat.createdAt)}` : null],
    ['Last NPS', h.lastNps ? `${h.lastNps.score}/10 ${localTime(h.lastNps.createdAt)}` : null],
  ]);
  if (h.items.length) {
    rt.out.print('');
    rt.out.table(h.items, itemColumns(ctx.clock()));
  }
  if (h.orders.length && rt.out.tty) {
    rt.out.print('');
    rt.out.table(h.orders.slice(0, 10), [
      { header: 'ORDER', value: (o) => String(o.id), align: 'right' },
      { header: 'DATE', value: (o) => localTime(o.orderedAt) },
      { header: 'AMOUNT', value: (o) => money(o.amount, o.currency), align: 'right' },
      { header: 'REF', value: (o) => o.reference ?? '' },
    ]);
  }
}

export type CustomerListOptions = { search?: string; limit: string };

export async function runCustomerList(o: CustomerListOptions, rt: Deps): Promise<void> {
  const list = await listCustomers(await rt.ctx(), { search: o.search, limit: Math.max(1, Number(o.limit) || 100) });
  if (rt.out.json) return rt.out.printJson(list);
  rt.out.table(list, [
    { header: 'ID', value: (c) => String(c.id), align: 'right' },
    { header: 'NAME', value: (c) => c.name, max: 30 },
    { header: 'EMAIL', value: (c) => c.email ?? '' },
    { header: 'COMPANY', value: (c) => c.company ?? '', max: 24 },
    { header: 'ORDERS', value: (c) => String(c.orderCount), align: 'right' },
    { header: 'REVENUE', value: (c) => c.lifetimeRevenue.toFixed(2), align: 'right' },
  ]);
}

export type OrderAddOptions = { customer: string; amount: string; currency: string; date?: string; reference?: string };

export async function runOrderAdd(o: OrderAddOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const orderedAt = o.date ? parseWhen(o.date, ctx.clock(), 'past').toISOString() : undefined;
  const r = await addOrder(ctx, { customer: o.customer, amount: o.amount, currency: o.currency, orderedAt, reference: o.reference });
  if (rt.out.json) rt.out.printJson(r);
  else if (!rt.out.tty) rt.out.print(String(r.id));
  else rt.out.print(`Order #${r.id}: ${money(r.amount, r.currency)} on ${localTime(r.orderedAt)}`);
}

export type SurveyAddOptions = { kind: string; score: string; item?: string; customer?: string; comment?: string; date?: string };

export async function runSurveyAdd(o: SurveyAddOptions, rt: Deps): Promise<void> {
  const ctx = await rt.ctx();
  const at = o.date ? parseWhen(o.date, ctx.clock(), 'past').toISOString() : undefined;
  const s = await addSurvey(ctx, await rt.me(), {
    kind: o.kind,
    score: o.score,
    comment: o.comment,
    itemId: o.item ? parseItemId(o.item) : null,
    customer: o.customer,
    at,
  });
  if (rt.out.json) rt.out.printJson(s);
  else if (!rt.out.tty) rt.out.print(String(s.id));
  else rt.out.print(`Recorded ${s.kind.toUpperCase()} ${s.score}${s.itemId ? ` on #${s.itemId}` : ''}`);
}
