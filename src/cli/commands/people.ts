// `tandem agent …`, `tandem customer …`, `tandem order add`, `tandem survey add`.
import type { Command } from 'commander';
import { addAgent, deactivateAgent, listAgents } from '../../core/agents.js';
import { addCustomer, addOrder, listCustomers } from '../../core/customers.js';
import { customerHistory } from '../../core/customer-history.js';
import { addSurvey } from '../../core/surveys.js';
import { parseItemId } from '../../core/item-view.js';
import { parseWhen } from '../../core/time.js';
import { withRuntime, withJson } from '../command-kit.js';
import { itemColumns } from '../present.js';
import { localTime, money } from '../../text/format.js';
import { sanitizeLine } from '../../text/sanitize.js';

export function registerPeopleCommands(program: Command): void {
  const agent = program.command('agent').description('people who use Tandem');
  withJson(agent.command('add'))
    .description('add an agent').argument('<handle>', 'unique handle, e.g. ana')
    .option('--name <name>', 'full name').option('--email <email>', 'email address (to recognise their replies in imports)')
    .option('--roles <roles>', 'service | support | both', 'both')
    .action(withRuntime(async (rt, handle: string, o: { name?: string; email?: string; roles: string }) => {
      const a = await addAgent(await rt.ctx(), { handle, name: o.name, email: o.email, roles: o.roles });
      if (rt.out.json) rt.out.printJson(a);
      else if (!rt.out.tty) rt.out.print(a.handle);
      else rt.out.print(`Added @${a.handle} (${a.roles})`);
    }));
  withJson(agent.command('list'))
    .description('list agents').option('--all', 'include deactivated agents')
    .action(withRuntime(async (rt, o: { all?: boolean }) => {
      const list = await listAgents(await rt.ctx(), { includeInactive: o.all });
      if (rt.out.json) return rt.out.printJson(list);
      rt.out.table(list, [
        { header: 'HANDLE', value: (a) => a.handle },
        { header: 'NAME', value: (a) => a.name },
        { header: 'ROLES', value: (a) => a.roles },
        { header: 'ACTIVE', value: (a) => (a.active ? 'yes' : 'no') },
      ]);
    }));
  withJson(agent.command('deactivate'))
    .description('deactivate an agent (their history stays)').argument('<handle>', 'agent handle')
    .action(withRuntime(async (rt, handle: string) => {
      const a = await deactivateAgent(await rt.ctx(), handle);
      if (rt.out.json) rt.out.printJson(a);
      else rt.out.note(`@${a.handle} is deactivated`);
    }));

  const customer = program.command('customer').description('customers and their history');
  withJson(customer.command('add'))
    .description('add a customer')
    .option('--name <name>', 'name').option('--email <email>', 'email (unique)')
    .option('--phone <phone>', 'phone').option('--company <company>', 'company').option('--notes <text>', 'notes')
    .action(withRuntime(async (rt, o: { name?: string; email?: string; phone?: string; company?: string; notes?: string }) => {
      const c = await addCustomer(await rt.ctx(), o);
      if (rt.out.json) rt.out.printJson(c);
      else if (!rt.out.tty) rt.out.print(String(c.id));
      else rt.out.print(`Added customer #${c.id} ${sanitizeLine(c.name)}`);
    }));
  withJson(customer.command('show'))
    .description('a customer with items of both roles, orders, surveys and lifetime revenue')
    .argument('<customer>', 'email or #id')
    .action(withRuntime(async (rt, ref: string) => {
      const ctx = await rt.ctx();
      const h = await customerHistory(ctx, ref);
      if (rt.out.json) return rt.out.printJson(h);
      const c = h.customer;
      rt.out.print(rt.out.c.bold(`#${c.id} ${sanitizeLine(c.name)}`));
      rt.out.fields([
        ['Email', c.email], ['Phone', c.phone], ['Company', c.company], ['Notes', c.notes],
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
    }));
  withJson(customer.command('list'))
    .description('list customers').option('-q, --search <text>', 'name, email or company contains').option('-n, --limit <n>', 'at most', '100')
    .action(withRuntime(async (rt, o: { search?: string; limit: string }) => {
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
    }));

  const order = program.command('order').description('customer orders (for lifetime value and repeat purchase rate)');
  withJson(order.command('add'))
    .description('record an order')
    .requiredOption('-c, --customer <email|#id>', 'customer').requiredOption('--amount <n>', 'amount, e.g. 49.90')
    .option('--currency <code>', 'currency code', 'USD').option('--date <when>', 'when it was ordered (default now)')
    .option('--reference <ref>', 'order number')
    .action(withRuntime(async (rt, o: { customer: string; amount: string; currency: string; date?: string; reference?: string }) => {
      const ctx = await rt.ctx();
      const orderedAt = o.date ? parseWhen(o.date, ctx.clock(), 'past').toISOString() : undefined;
      const r = await addOrder(ctx, { customer: o.customer, amount: o.amount, currency: o.currency, orderedAt, reference: o.reference });
      if (rt.out.json) rt.out.printJson(r);
      else if (!rt.out.tty) rt.out.print(String(r.id));
      else rt.out.print(`Order #${r.id}: ${money(r.amount, r.currency)} on ${localTime(r.orderedAt)}`);
    }));

  const survey = program.command('survey').description('CSAT and NPS answers');
  withJson(survey.command('add'))
    .description('record a CSAT (1-5) or NPS (0-10) answer')
    .requiredOption('-k, --kind <kind>', 'csat | nps').requiredOption('--score <n>', 'the score')
    .option('-i, --item <id>', 'the item it is about').option('-c, --customer <email|#id>', 'the customer (when not about an item)')
    .option('--comment <text>', 'what they said').option('--date <when>', 'when it was answered (default now)')
    .action(withRuntime(async (rt, o: { kind: string; score: string; item?: string; customer?: string; comment?: string; date?: string }) => {
      const ctx = await rt.ctx();
      const at = o.date ? parseWhen(o.date, ctx.clock(), 'past').toISOString() : undefined;
      const s = await addSurvey(ctx, await rt.me(), { kind: o.kind, score: o.score, comment: o.comment, itemId: o.item ? parseItemId(o.item) : null, customer: o.customer, at });
      if (rt.out.json) rt.out.printJson(s);
      else if (!rt.out.tty) rt.out.print(String(s.id));
      else rt.out.print(`Recorded ${s.kind.toUpperCase()} ${s.score}${s.itemId ? ` on #${s.itemId}` : ''}`);
    }));
}
