// `tandem item …`: create, show and act on items.
import * as items from '../../core/items.js';
import { getItemView, itemEvents, parseItemId } from '../../core/item-view.js';
import { escalationsOfItem, getSnapshot } from '../../core/escalation.js';
import { deliveriesOfItem } from '../../mail/outbox.js';
import type { MutationResult } from '../../core/item-mutate.js';
import { invalid } from '../../core/errors.js';
import { bodyFrom, parseVersion } from '../runtime.js';
import { printItemDetail } from '../present.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { rulesThatActed } from '../../core/rules/acted.js';
import { suggestionForItem } from '../../core/routing/suggest.js';
import { suggestionLine } from './route.run.js';
import type { Deps } from '../runtime.js';

/** Print a changed item: JSON view, or a sentence on a terminal, or the id on a pipe. */
export function reportChange(rt: Deps, result: MutationResult, sentence: string): void {
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

async function itemFromStdin(rt: Deps): Promise<items.NewItemInput> {
  const { schema, firstIssue } = await itemInputSchema();
  const text = await rt.readStdin();
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

/** `item add`'s flags, as typed (--json is the global JSON switch, or its field list). */
export interface AddFlags {
  json?: boolean | string;
  subject?: string;
  body?: string;
  customer?: string;
  name?: string;
  role?: string;
  kind?: string;
  channel?: string;
  outbound?: boolean;
  priority: string;
  assign?: string;
  tag?: string[];
  due?: string;
  externalId?: string;
}
export type AddOptions = AddFlags & { jsonArg: string | undefined };

export async function runAdd(o: AddOptions, rt: Deps): Promise<void> {
  const { jsonArg } = o;
  let input: items.NewItemInput;
  if (jsonArg !== undefined) {
    if (jsonArg !== '-' || !o.json) throw invalid('to read an item as JSON, use `tandem item add --json -`');
    input = await itemFromStdin(rt);
  } else {
    if (!o.subject) throw invalid('an item needs a subject (--subject TEXT)');
    input = {
      subject: o.subject,
      body: o.body === '-' ? await rt.readStdin() : o.body,
      customer: o.customer ? (o.name ? { email: o.customer, name: o.name } : o.customer) : null,
      role: o.role,
      kind: o.kind,
      channel: o.channel,
      direction: o.outbound ? 'outbound' : 'inbound',
      priority: o.priority,
      assignee: o.assign,
      tags: o.tag,
      due: o.due,
      externalId: o.externalId,
    };
  }
  const ctx = await rt.ctx();
  const view = await items.createItem(ctx, await rt.me(), input);
  if (rt.out.json) rt.out.printJson(view);
  else if (!rt.out.tty) rt.out.print(String(view.id));
  else rt.out.print(`Created #${view.id} (${view.role}, ${view.status}): ${sanitizeLine(view.subject)}`);
}

export interface ShowOptions {
  id: string;
}

export async function runShow(o: ShowOptions, rt: Deps): Promise<void> {
  const { id } = o;
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
}

export type ReplyFlags = VersionOpts & { status?: string };
export type ReplyOptions = ReplyFlags & { id: string; text: string[] };

export async function runReply(o: ReplyOptions, rt: Deps): Promise<void> {
  const { id, text } = o;
  const body = await bodyFrom(rt, text, 'reply');
  const r = await items.reply(await rt.ctx(), await rt.me(), parseItemId(id), body, {
    expectedVersion: parseVersion(o.ifVersion),
    status: o.status,
  });
  reportChange(rt, r, `replied${o.status ? ` and set ${r.item.status}` : ''}`);
}

export type NoteFlags = VersionOpts;
export type NoteOptions = NoteFlags & { id: string; text: string[] };

export async function runNote(o: NoteOptions, rt: Deps): Promise<void> {
  const { id, text } = o;
  const body = await bodyFrom(rt, text, 'note');
  reportChange(
    rt,
    await items.note(await rt.ctx(), await rt.me(), parseItemId(id), body, { expectedVersion: parseVersion(o.ifVersion) }),
    'note added',
  );
}

export type MessageFlags = VersionOpts & { messageId?: string };
export type MessageOptions = MessageFlags & { id: string; text: string[] };

export async function runMessage(o: MessageOptions, rt: Deps): Promise<void> {
  const { id, text } = o;
  const body = await bodyFrom(rt, text, 'message');
  const r = await items.customerMessage(await rt.ctx(), parseItemId(id), body, {
    expectedVersion: parseVersion(o.ifVersion),
    messageId: o.messageId,
  });
  reportChange(rt, r, `customer message recorded, status ${r.item.status}`);
}

export type AssignFlags = VersionOpts & { force?: boolean };
export type AssignOptions = AssignFlags & { id: string; handle: string };

export async function runAssign(o: AssignOptions, rt: Deps): Promise<void> {
  const { id, handle } = o;
  const r = await items.assign(await rt.ctx(), await rt.me(), parseItemId(id), handle, {
    expectedVersion: parseVersion(o.ifVersion),
    force: o.force,
  });
  reportChange(rt, r, `assigned to @${r.item.assignee}`);
}

export type TakeFlags = VersionOpts & { force?: boolean };
export type TakeOptions = TakeFlags & { id: string };

export async function runTake(o: TakeOptions, rt: Deps): Promise<void> {
  const { id } = o;
  const r = await items.take(await rt.ctx(), await rt.me(), parseItemId(id), {
    expectedVersion: parseVersion(o.ifVersion),
    force: o.force,
  });
  reportChange(rt, r, `taken by @${r.item.assignee}`);
}

export type UnassignFlags = VersionOpts;
export type UnassignOptions = UnassignFlags & { id: string };

export async function runUnassign(o: UnassignOptions, rt: Deps): Promise<void> {
  const { id } = o;
  reportChange(
    rt,
    await items.assign(await rt.ctx(), await rt.me(), parseItemId(id), null, { expectedVersion: parseVersion(o.ifVersion) }),
    'unassigned',
  );
}

export type PriorityFlags = VersionOpts;
export type PriorityOptions = PriorityFlags & { id: string; priority: string };

export async function runPriority(o: PriorityOptions, rt: Deps): Promise<void> {
  const { id, priority } = o;
  const r = await items.setPriority(await rt.ctx(), await rt.me(), parseItemId(id), priority, {
    expectedVersion: parseVersion(o.ifVersion),
  });
  reportChange(rt, r, `priority ${r.item.priority}`);
}

export type StatusFlags = VersionOpts;
export type StatusOptions = StatusFlags & { id: string; status: string };

export async function runStatus(o: StatusOptions, rt: Deps): Promise<void> {
  const { id, status } = o;
  const r = await items.setStatus(await rt.ctx(), await rt.me(), parseItemId(id), status, { expectedVersion: parseVersion(o.ifVersion) });
  reportChange(rt, r, `status ${r.item.status}`);
}

export type TagFlags = VersionOpts;
export type TagOptions = TagFlags & { id: string; tags: string[] };

export async function runTag(o: TagOptions, rt: Deps): Promise<void> {
  const { id, tags } = o;
  const r = await items.changeTags(
    await rt.ctx(),
    await rt.me(),
    parseItemId(id),
    { add: tags.flatMap((t) => t.split(',')) },
    { expectedVersion: parseVersion(o.ifVersion) },
  );
  reportChange(rt, r, `tags: ${r.item.tags.join(', ') || '(none)'}`);
}

export type UntagFlags = VersionOpts;
export type UntagOptions = UntagFlags & { id: string; tags: string[] };

export async function runUntag(o: UntagOptions, rt: Deps): Promise<void> {
  const { id, tags } = o;
  const r = await items.changeTags(
    await rt.ctx(),
    await rt.me(),
    parseItemId(id),
    { remove: tags.flatMap((t) => t.split(',')) },
    { expectedVersion: parseVersion(o.ifVersion) },
  );
  reportChange(rt, r, `tags: ${r.item.tags.join(', ') || '(none)'}`);
}

export type SnoozeFlags = VersionOpts;
export type SnoozeOptions = SnoozeFlags & { id: string; when: string[] };

export async function runSnooze(o: SnoozeOptions, rt: Deps): Promise<void> {
  const { id, when } = o;
  const r = await items.snooze(await rt.ctx(), await rt.me(), parseItemId(id), when.join(' '), {
    expectedVersion: parseVersion(o.ifVersion),
  });
  reportChange(rt, r, `snoozed until ${r.item.snoozedUntil}`);
}

export type ResolveFlags = VersionOpts & { note?: string };
export type ResolveOptions = ResolveFlags & { id: string };

export async function runResolve(o: ResolveOptions, rt: Deps): Promise<void> {
  const { id } = o;
  const noteText = o.note === '-' ? await rt.readStdin() : o.note;
  reportChange(
    rt,
    await items.resolve(await rt.ctx(), await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion), note: noteText }),
    'resolved',
  );
}

export type ReopenFlags = VersionOpts;
export type ReopenOptions = ReopenFlags & { id: string };

export async function runReopen(o: ReopenOptions, rt: Deps): Promise<void> {
  const { id } = o;
  reportChange(
    rt,
    await items.reopen(await rt.ctx(), await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion) }),
    'reopened',
  );
}

export type CloseFlags = VersionOpts;
export type CloseOptions = CloseFlags & { id: string };

export async function runClose(o: CloseOptions, rt: Deps): Promise<void> {
  const { id } = o;
  reportChange(
    rt,
    await items.close(await rt.ctx(), await rt.me(), parseItemId(id), { expectedVersion: parseVersion(o.ifVersion) }),
    'closed',
  );
}
