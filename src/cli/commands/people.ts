// `tandem agent …`, `tandem customer …`, `tandem order add`, `tandem survey add`.
import type { Command } from 'commander';
import { lazyAction, withJson } from '../command-kit.js';
import type * as run from './people.run.js';

// The work is in people.run.ts, loaded only when one of these commands runs.
const load = () => import('./people.run.js');

export function registerPeopleCommands(program: Command): void {
  const agent = program.command('agent').description('people who use Tandem');
  withJson(agent.command('add'))
    .description('add an agent')
    .argument('<handle>', 'unique handle, e.g. ana')
    .option('--name <name>', 'full name')
    .option('--email <email>', 'email address (to recognise their replies in imports)')
    .option('--roles <roles>', 'service | support | both', 'both')
    .action(lazyAction(load, (m, deps, handle: string, o: run.AgentAddFlags) => m.runAgentAdd({ ...o, handle }, deps)));
  withJson(agent.command('list'))
    .description('list agents')
    .option('--all', 'include deactivated agents')
    .action(lazyAction(load, (m, deps, o: run.AgentListOptions) => m.runAgentList(o, deps)));
  withJson(agent.command('deactivate'))
    .description('deactivate an agent (their history stays)')
    .argument('<handle>', 'agent handle')
    .action(lazyAction(load, (m, deps, handle: string) => m.runAgentDeactivate({ handle }, deps)));

  const customer = program.command('customer').description('customers and their history');
  withJson(customer.command('add'))
    .description('add a customer')
    .option('--name <name>', 'name')
    .option('--email <email>', 'email (unique)')
    .option('--phone <phone>', 'phone')
    .option('--company <company>', 'company')
    .option('--notes <text>', 'notes')
    .action(lazyAction(load, (m, deps, o: run.CustomerAddOptions) => m.runCustomerAdd(o, deps)));
  withJson(customer.command('show'))
    .description('a customer with items of both roles, orders, surveys and lifetime revenue')
    .argument('<customer>', 'email or #id')
    .action(lazyAction(load, (m, deps, ref: string) => m.runCustomerShow({ ref }, deps)));
  withJson(customer.command('list'))
    .description('list customers')
    .option('-q, --search <text>', 'name, email or company contains')
    .option('-n, --limit <n>', 'at most', '100')
    .action(lazyAction(load, (m, deps, o: run.CustomerListOptions) => m.runCustomerList(o, deps)));

  const order = program.command('order').description('customer orders (for lifetime value and repeat purchase rate)');
  withJson(order.command('add'))
    .description('record an order')
    .requiredOption('-c, --customer <email|#id>', 'customer')
    .requiredOption('--amount <n>', 'amount, e.g. 49.90')
    .option('--currency <code>', 'currency code', 'USD')
    .option('--date <when>', 'when it was ordered (default now)')
    .option('--reference <ref>', 'order number')
    .action(lazyAction(load, (m, deps, o: run.OrderAddOptions) => m.runOrderAdd(o, deps)));

  const survey = program.command('survey').description('CSAT and NPS answers');
  withJson(survey.command('add'))
    .description('record a CSAT (1-5) or NPS (0-10) answer')
    .requiredOption('-k, --kind <kind>', 'csat | nps')
    .requiredOption('--score <n>', 'the score')
    .option('-i, --item <id>', 'the item it is about')
    .option('-c, --customer <email|#id>', 'the customer (when not about an item)')
    .option('--comment <text>', 'what they said')
    .option('--date <when>', 'when it was answered (default now)')
    .action(lazyAction(load, (m, deps, o: run.SurveyAddOptions) => m.runSurveyAdd(o, deps)));
}
