// `tandem item …`: create, show and act on items.
import type { Command } from 'commander';
import { commaList, lazyAction, withJson, withVersion } from '../command-kit.js';
import type * as run from './items.run.js';

// The work is in items.run.ts, loaded only when one of these commands runs.
const load = () => import('./items.run.js');

export function registerItemCommands(program: Command): void {
  const item = program.command('item').description('create, show and act on inbox items');

  withJson(item.command('add'))
    .description('create an item (inbound from a customer, or --outbound started by you); --json - reads an item object from stdin')
    .argument('[json]', 'with --json: "-" to read the item as JSON from standard input')
    .option('-s, --subject <text>', 'subject line')
    .option('-b, --body <text>', 'the opening message ("-" reads standard input)')
    .option('-c, --customer <email|#id>', 'customer (created if the email is new)')
    .option('--name <name>', 'customer name when the email is new')
    .option('-r, --role <role>', 'service | support (default from --kind)')
    .option('-k, --kind <kind>', 'question, onboarding, follow_up, renewal, feedback, bug, access, billing, delivery, complaint, other')
    .option('--channel <channel>', 'email, chat, phone, whatsapp, sms, social, web, in_person, internal')
    .option('--outbound', 'started by the business (default: inbound from the customer)')
    .option('-p, --priority <priority>', 'low | normal | high | urgent', 'normal')
    .option('-a, --assign <handle>', 'assign to an agent')
    .option('-t, --tag <tag>', 'tag (repeatable, or comma-separated)', commaList)
    .option('--due <when>', 'due time, e.g. 3d or "friday 9:00" (default from the SLA policy)')
    .option('--external-id <id>', 'an id from another system; refused if already used')
    .action(lazyAction(load, (m, deps, jsonArg: string | undefined, o: run.AddFlags) => m.runAdd({ ...o, jsonArg }, deps)));

  withJson(item.command('show'))
    .description('show an item with its whole timeline')
    .argument('<id>', 'item id')
    .action(lazyAction(load, (m, deps, id: string) => m.runShow({ id }, deps)));

  // Actions that take a text body.
  const textAction = (name: string, description: string, what: string) =>
    withVersion(withJson(item.command(name)))
      .description(description)
      .argument('<id>', 'item id')
      .argument('[text...]', `the ${what} ("-" reads standard input)`);

  textAction('reply', 'send a public reply to the customer', 'reply')
    .option('--status <status>', 'also set the status: open | pending | resolved')
    .action(lazyAction(load, (m, deps, id: string, text: string[], o: run.ReplyFlags) => m.runReply({ ...o, id, text }, deps)));

  textAction('note', 'add an internal note (never shown to the customer)', 'note').action(
    lazyAction(load, (m, deps, id: string, text: string[], o: run.NoteFlags) => m.runNote({ ...o, id, text }, deps)),
  );

  textAction('message', 'record a message from the customer (reopens a resolved item)', 'message')
    .option('--message-id <id>', "the message's id in another system (e.g. an email Message-ID)")
    .action(lazyAction(load, (m, deps, id: string, text: string[], o: run.MessageFlags) => m.runMessage({ ...o, id, text }, deps)));

  withVersion(withJson(item.command('assign')))
    .description('assign an item to an agent (use `take` for yourself)')
    .argument('<id>', 'item id')
    .argument('<handle>', 'agent handle')
    .option('--force', 'take over an item assigned to someone else')
    .action(lazyAction(load, (m, deps, id: string, handle: string, o: run.AssignFlags) => m.runAssign({ ...o, id, handle }, deps)));

  withVersion(withJson(item.command('take')))
    .description('assign an item to yourself')
    .argument('<id>', 'item id')
    .option('--force', 'take over an item assigned to someone else')
    .action(lazyAction(load, (m, deps, id: string, o: run.TakeFlags) => m.runTake({ ...o, id }, deps)));

  withVersion(withJson(item.command('unassign')))
    .description('remove the assignee')
    .argument('<id>', 'item id')
    .action(lazyAction(load, (m, deps, id: string, o: run.UnassignFlags) => m.runUnassign({ ...o, id }, deps)));

  withVersion(withJson(item.command('priority')))
    .description('set the priority (due times follow the SLA policy)')
    .argument('<id>', 'item id')
    .argument('<priority>', 'low | normal | high | urgent')
    .action(lazyAction(load, (m, deps, id: string, priority: string, o: run.PriorityFlags) => m.runPriority({ ...o, id, priority }, deps)));

  withVersion(withJson(item.command('status')))
    .description('set the status (new → open → pending → resolved → closed)')
    .argument('<id>', 'item id')
    .argument('<status>', 'open | pending | resolved | closed')
    .action(lazyAction(load, (m, deps, id: string, status: string, o: run.StatusFlags) => m.runStatus({ ...o, id, status }, deps)));

  withVersion(withJson(item.command('tag')))
    .description('add tags')
    .argument('<id>', 'item id')
    .argument('<tags...>', 'tags to add')
    .action(lazyAction(load, (m, deps, id: string, tags: string[], o: run.TagFlags) => m.runTag({ ...o, id, tags }, deps)));

  withVersion(withJson(item.command('untag')))
    .description('remove tags')
    .argument('<id>', 'item id')
    .argument('<tags...>', 'tags to remove')
    .action(lazyAction(load, (m, deps, id: string, tags: string[], o: run.UntagFlags) => m.runUntag({ ...o, id, tags }, deps)));

  withVersion(withJson(item.command('snooze')))
    .description('hide an item until a time; it comes back to the inbox by itself')
    .argument('<id>', 'item id')
    .argument('<when...>', 'e.g. 2h, 3d, "tomorrow 9:00", 2026-12-01T09:00Z')
    .action(lazyAction(load, (m, deps, id: string, when: string[], o: run.SnoozeFlags) => m.runSnooze({ ...o, id, when }, deps)));

  withVersion(withJson(item.command('resolve')))
    .description('resolve an item (an escalated support item returns to service)')
    .argument('<id>', 'item id')
    .option('--note <text>', 'resolution note (internal; "-" reads standard input)')
    .action(lazyAction(load, (m, deps, id: string, o: run.ResolveFlags) => m.runResolve({ ...o, id }, deps)));

  withVersion(withJson(item.command('reopen')))
    .description('reopen a resolved or closed item')
    .argument('<id>', 'item id')
    .action(lazyAction(load, (m, deps, id: string, o: run.ReopenFlags) => m.runReopen({ ...o, id }, deps)));

  withVersion(withJson(item.command('close')))
    .description('close an item')
    .argument('<id>', 'item id')
    .action(lazyAction(load, (m, deps, id: string, o: run.CloseFlags) => m.runClose({ ...o, id }, deps)));
}
