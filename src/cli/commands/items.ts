// `tandem item …`: create, show and act on items.
import type { Command } from 'commander';
import * as items from '../../core/items.js';
import { getItemView, itemEvents, parseItemId } from '../../core/item-view.js';
import { escalationsOfItem, getSnapshot } from '../../core/escalation.js';
import { deliveriesOfItem } from '../../mail/outbox.js';
import type { MutationResult } from '../../core/item-mutate.js';
import { invalid } from '../../core/errors.js';
import { withRuntime, withJson, withVersion } from '../command-kit.js';
import { bodyFrom, parseVersion, readStdin, type Runtime } from '../runtime.js';
import { printItemDetail } from '../present.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { rulesThatActed } from '../../core/rules/acted.js';
import { suggestionForItem } from '../../core/routing/suggest.js';
import { suggestionLine } from './route.js';

const collect = (value: string, prev: string[] = []) => [...prev, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** Print a changed item: JSON view, or a sentence on a terminal, or the id on a pipe. */
export function reportChange(rt: Runtime, result: MutationResult, sentence: string): void {
  const { item, changed } = result;
  if (rt.out.json) return rt.out.printJson(item);
  if (!rt.out.tty) return rt.out.print(String(item.id));
  rt.out.print(changed ? `#${item.id} ${sentence} (version ${item.version})` : `#${item.id} unchanged: ${sentence} already`);
}

// zod loads only when a script sends JSON, keeping every other command's startup lean.
async function itemInputSchema() {
  const { ItemJson, firstIssue } = await import('../../io/item-json.js');
  return { schema: ItemJson.strict(), firstIssue };
}

async function itemFromStdin(): Promise<items.NewItemInput> {
  const { schema, firstIssue } = await itemInputSchema();
  const text = await readStdin();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw invalid(`standard input is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw invalid(`item JSON: ${firstIssue(parsed.error)}`);
  return parsed.data as items.NewItemInput;
}

type VersionOpts = { ifVersion?: string };

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
    .option('-t, --tag <tag>', 'tag (repeatable, or comma-separated)', collect)
    .option('--due <when>', 'due time, e.g. 3d or "friday 9:00" (default from the SLA policy)')
    .option('--external-id <id>', 'an id from another system; refused if already used')
    .action(withRuntime(async (rt, jsonArg: string | undefined, o: Record<string, any>) => {
      let input: items.NewItemInput;
      if (jsonArg !== undefined) {
        if (jsonArg !== '-' || !o.json) throw invalid('to read an item as JSON, use `tandem item add --json -`');
        input = await itemFromStdin();
      } else {
        if (!o.subject) throw invalid('an item needs a subject (--subject TEXT)');
        input = {
          subject: o.subject,
          body: o.body === '-' ? await readStdin() : o.body,
          customer: o.customer ? (o.name ? { email: o.customer, name: o.name } : o.customer) : null,
          role: o.role, kind: o.kind, channel: o.channel, direction: o.outbound ? 'outbound' : 'inbound',
          priority: o.priority, assignee: o.assign, tags: o.tag, due: o.due, externalId: o.externalId,
        };
      }
      const ctx = await rt.ctx();
      const view = await items.createItem(ctx, await rt.me(), input);
      if (rt.out.json) rt.out.printJson(view);
      else if (!rt.out.tty) rt.out.print(String(view.id));
      else rt.out.print(`Created #${view.id} (${view.role}, ${view.status}): ${sanitizeLine(view.subject)}`);
    }));

  withJson(item.command('show'))
    .description('show an item with its whole timeline')
    .argument('<id>', 'item id')
    .action(withRuntime(async (rt, id: string) => {
      const ctx = await rt.ctx();
      const itemId = parseItemId(id);
      const now = ctx.clock();
      const view = await getItemView(ctx.store.db, itemId, now);
      const events = await itemEvents(ctx.store.db, itemId);
      const links = await escalationsOfItem(ctx.store.db, itemId);
      const snapshot = links.asSupport ? await getSnapshot(ctx.store.db, itemId) : null;
      const rules = rulesThatActed(events);
      const suggestion = await suggestionForItem(ctx.store.db, itemId);
      const deliveries = await deliveriesOfItem(ctx.store.db, itemId);
      if (rt.out.json) {
        return rt.out.printJson({
          ...view,
          events,
          rules,
          suggestion,
          deliveries: [...deliveries.values()],
          escalation: {
            escalatedTo: links.asSource.map((e) => ({ ...e })),
            escalatedFrom: links.asSupport ? { ...links.asSupport, snapshot } : null,
          },
        });
      }
      printItemDetail(rt.out, view, events, { ...links, snapshot }, now, { rules, suggestion: suggestionLine(suggestion) }, deliveries);
    }));

  // Actions that take a text body.
  const textAction = (name: string, description: string, what: string) =>
    withVersion(withJson(item.command(name)))
      .description(description)
      .argument('<id>', 'item id')
      .argument('[text...]', `the ${what} ("-" reads standard input)`);

  textAction('reply', 'send a public reply to the customer', 'reply')
    .option('--status <status>', 'also set the status: open | pending | resolved')
    .action(withRuntime(async (rt, id: string, text: string[], o: VersionOpts & { status?: string }) => {
      const body = await bodyFrom(text, 'reply');
      const r = await items.reply(await rt.ctx(), await rt.me(), parseItemId(id), body, { expectedVersion: parseVersion(o.ifVersion), status: o.status });
      reportChange(rt, r, `replied${o.status ? ` and set ${r.item.status}` : ''}`);
    }));

  textAction('note', 'add an internal note (never shown to the customer)', 'note')
    .action(withRuntime(async (rt, id: string, text: string[], o: VersionOpts) => {
      const body = await bodyFrom(text, 'note');
      reportChange(rt, await items.note(await rt.ctx(), await rt.me(), parseItemId(id), body, { expectedVersion: parseVersion(o.ifVersion) }), 'note added');
    }));

  textAction('message', 'record a message from the customer (reopens a resolved item)', 'message')
    .option('--message-id <id>', 'the message\'s id in another system (e.g. an email Message-ID)')
    .action(withRuntime(async (rt, id: string, text: string[], o: VersionOpts & { messageId?: string }) => {
      const body = await bodyFrom(text, 'message');
      const r = await items.customerMessage(await rt.ctx(), parseItemId(id), body, { expectedVersion: parseVersion(o.ifVersion), messageId: o.messageId });
      reportChange(rt, r, `customer message recorded, status ${r.item.status}`);
    }));

  withVersion(withJson(item.command('assign')))
    .description('assign an item to an agent (use `take` for yourself)')
    .argument('<id>', 'item id').argument('<handle>', 'agent handle')
    .option('--force', 'take over an item assigned to someone else')
    .action(withRuntime(async (rt, id: string, handle: string, o: VersionOpts & { force?: boolean }) => {
      const r = await items.assign(await rt.ctx(), await rt.me(), parseItemId(id), handle, { expectedVersion: parseVersion(o.ifVersion), force: o.force });
      reportChange(rt, r, `assigned to @${r.item.assignee}`);
    }));

  withVersion(withJson(item.command('take')))
    .description('assign an item to yourself')
    .argument('<id>', 'item id')
    .option('--force', 'take over an item assigned to someone else')
    .action(withRuntime(async (rt, id: string, o: VersionOpts & { force?: boolean }) => {
      const r = await items.take(await rt.ctx(), await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion), force: o.force });
      reportChange(rt, r, `taken by @${r.item.assignee}`);
    }));

  withVersion(withJson(item.command('unassign')))
    .description('remove the assignee')
    .argument('<id>', 'item id')
    .action(withRuntime(async (rt, id: string, o: VersionOpts) => {
      reportChange(rt, await items.assign(await rt.ctx(), await rt.me(), parseItemId(id), null, { expectedVersion: parseVersion(o.ifVersion) }), 'unassigned');
    }));

  withVersion(withJson(item.command('priority')))
    .description('set the priority (due times follow the SLA policy)')
    .argument('<id>', 'item id').argument('<priority>', 'low | normal | high | urgent')
    .action(withRuntime(async (rt, id: string, p: string, o: VersionOpts) => {
      const r = await items.setPriority(await rt.ctx(), await rt.me(), parseItemId(id), p, { expectedVersion: parseVersion(o.ifVersion) });
      reportChange(rt, r, `priority ${r.item.priority}`);
    }));

  withVersion(withJson(item.command('status')))
    .description('set the status (new → open → pending → resolved → closed)')
    .argument('<id>', 'item id').argument('<status>', 'open | pending | resolved | closed')
    .action(withRuntime(async (rt, id: string, s: string, o: VersionOpts) => {
      const r = await items.setStatus(await rt.ctx(), await rt.me(), parseItemId(id), s, { expectedVersion: parseVersion(o.ifVersion) });
      reportChange(rt, r, `status ${r.item.status}`);
    }));

  withVersion(withJson(item.command('tag')))
    .description('add tags').argument('<id>', 'item id').argument('<tags...>', 'tags to add')
    .action(withRuntime(async (rt, id: string, tags: string[], o: VersionOpts) => {
      const r = await items.changeTags(await rt.ctx(), await rt.me(), parseItemId(id), { add: tags.flatMap((t) => t.split(',')) }, { expectedVersion: parseVersion(o.ifVersion) });
      reportChange(rt, r, `tags: ${r.item.tags.join(', ') || '(none)'}`);
    }));

  withVersion(withJson(item.command('untag')))
    .description('remove tags').argument('<id>', 'item id').argument('<tags...>', 'tags to remove')
    .action(withRuntime(async (rt, id: string, tags: string[], o: VersionOpts) => {
      const r = await items.changeTags(await rt.ctx(), await rt.me(), parseItemId(id), { remove: tags.flatMap((t) => t.split(',')) }, { expectedVersion: parseVersion(o.ifVersion) });
      reportChange(rt, r, `tags: ${r.item.tags.join(', ') || '(none)'}`);
    }));

  withVersion(withJson(item.command('snooze')))
    .description('hide an item until a time; it comes back to the inbox by itself')
    .argument('<id>', 'item id').argument('<when...>', 'e.g. 2h, 3d, "tomorrow 9:00", 2026-12-01T09:00Z')
    .action(withRuntime(async (rt, id: string, when: string[], o: VersionOpts) => {
      const r = await items.snooze(await rt.ctx(), await rt.me(), parseItemId(id), when.join(' '), { expectedVersion: parseVersion(o.ifVersion) });
      reportChange(rt, r, `snoozed until ${r.item.snoozedUntil}`);
    }));

  withVersion(withJson(item.command('resolve')))
    .description('resolve an item (an escalated support item returns to service)')
    .argument('<id>', 'item id')
    .option('--note <text>', 'resolution note (internal; "-" reads standard input)')
    .action(withRuntime(async (rt, id: string, o: VersionOpts & { note?: string }) => {
      const noteText = o.note === '-' ? await readStdin() : o.note;
      reportChange(rt, await items.resolve(await rt.ctx(), await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion), note: noteText }), 'resolved');
    }));

  withVersion(withJson(item.command('reopen')))
    .description('reopen a resolved or closed item').argument('<id>', 'item id')
    .action(withRuntime(async (rt, id: string, o: VersionOpts) => {
      reportChange(rt, await items.reopen(await rt.ctx(), await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion) }), 'reopened');
    }));

  withVersion(withJson(item.command('close')))
    .description('close an item').argument('<id>', 'item id')
    .action(withRuntime(async (rt, id: string, o: VersionOpts) => {
      reportChange(rt, await items.close(await rt.ctx(), await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion) }), 'closed');
    }));
}

