// Applying a macro to an item: fill in its template from the item, its customer and the agent, then
// write the message and every action as one change (one version, its events, one transaction).
// A preview (or --dry-run) decides the same change on the current row and writes nothing.
import type { Agent } from './agents.js';
import type { Ctx } from './context.js';
import { conflict } from './errors.js';
import {
  asAgent,
  checkExpectedVersion,
  composeChanges,
  describeEvent,
  loadItemRow,
  mutateItem,
  type ChangeStep,
  type ItemRow,
  type NewEvent,
} from './item-mutate.js';
import type { EventView, ItemView } from './item-view.js';
import { getItemView } from './item-view.js';
import { assignChange, noteChange, priorityChange, replyChange, requireBody, setStatusChange, tagsChange, withDelivery } from './items.js';
import { getMacro, REPLY_STATUSES, type Macro } from './macros.js';
import { renderTemplate, type TemplateData } from './macro-template.js';
import type { Db } from '../store/store.js';
import type { Status } from './vocabulary.js';

export interface ApplyOptions {
  /** The version the agent saw; a different current version is a conflict. */
  expectedVersion?: number;
  /** Take over an item assigned to someone else when the macro assigns it to me. */
  force?: boolean;
  /** The text to send instead of the rendered template (the agent edited it first). */
  body?: string;
}

/** One planned event of the change, with a human line. */
export interface PlannedEvent {
  type: string;
  data: Record<string, unknown> | null;
  summary: string;
}

export interface MacroOutcome {
  macro: string;
  kind: Macro['kind'];
  /** What the customer receives (reply) or the note says. */
  text: string;
  /** Every event the change writes (or would write), in order. */
  events: PlannedEvent[];
  /** The item after the change (unchanged for a preview). */
  item: ItemView;
  /** False for a preview / dry run. */
  written: boolean;
}

const firstWord = (s: string | null | undefined) => (s ?? '').trim().split(/\s+/)[0] || null;

/** The values a template is filled with, for one item and the agent applying it. */
export async function templateData(db: Db, row: ItemRow, agent: Agent): Promise<TemplateData> {
  const customer = row.customer_id
    ? await db.selectFrom('customers').select(['name', 'email', 'company']).where('id', '=', row.customer_id).executeTakeFirst()
    : undefined;
  const lastOrder = row.customer_id
    ? await db
        .selectFrom('orders')
        .select('reference')
        .where('customer_id', '=', row.customer_id)
        .orderBy('ordered_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  // A customer known only by email gets the email's local part as a name: never greet them by it.
  const madeUpName = customer?.email && customer.name === customer.email.split('@')[0];
  const name = customer && !madeUpName ? customer.name : null;
  return {
    customer: {
      first_name: firstWord(name),
      name,
      email: customer?.email ?? null,
      company: customer?.company ?? null,
      last_order: { reference: lastOrder?.reference ?? null },
    },
    item: { id: row.id, subject: row.subject },
    agent: { name: agent.name, first_name: firstWord(agent.name) ?? agent.handle, handle: agent.handle },
  };
}

function refuseWrongRole(macro: Macro, row: ItemRow): void {
  if (macro.role && macro.role !== row.role) {
    throw conflict(`macro ${macro.name} is for ${macro.role} items; #${row.id} is a ${row.role} item`);
  }
}

/** The steps of the macro's change on `row`, with the message text. */
async function plan(db: Db, macro: Macro, row: ItemRow, agent: Agent, opts: ApplyOptions): Promise<{ text: string; steps: ChangeStep[] }> {
  refuseWrongRole(macro, row);
  const what = `item #${row.id}`;
  const text =
    opts.body !== undefined
      ? requireBody(opts.body, macro.kind)
      : requireBody(renderTemplate(macro.body, await templateData(db, row, agent), what), macro.kind);
  const a = macro.actions;
  // A reply moves the status itself (new → open, or to the macro's status) in the same events.
  const statusWithReply = macro.kind === 'reply' && a.status && REPLY_STATUSES.includes(a.status) ? a.status : undefined;
  const steps: ChangeStep[] = [
    (r, _trx, now) =>
      macro.kind === 'reply'
        ? replyChange(r, agent, text, now, { status: statusWithReply, data: { macro: macro.name } })
        : withMacro(noteChange(text), macro),
  ];
  if (a.priority) {
    const p = a.priority;
    steps.push((r, trx) => priorityChange(trx, r, p));
  }
  if (a.assign) {
    const who = a.assign === 'me' ? agent.handle : a.assign === 'nobody' ? null : a.assign;
    steps.push((r, trx) => assignChange(trx, r, agent, who, opts.force));
  }
  if (a.tags?.length) {
    const tags = a.tags;
    steps.push((r, trx) => tagsChange(trx, r, tags, []));
  }
  if (a.status && !statusWithReply) {
    const s = a.status as Status;
    steps.push((r, _trx, now) => setStatusChange(r, agent, s, now));
  }
  return { text, steps };
}

function withMacro<T extends { events: NewEvent[] }>(change: T, macro: Macro): T {
  change.events[0]!.data = { ...(change.events[0]!.data ?? {}), macro: macro.name };
  return change;
}

function planned(events: NewEvent[]): PlannedEvent[] {
  return events.map((e) => ({
    type: e.type,
    data: e.data ?? null,
    summary:
      e.type === 'reply'
        ? 'public reply'
        : e.type === 'note'
          ? 'internal note'
          : describeEvent({ type: e.type, data: e.data ?? null } as EventView),
  }));
}

/** What applying the macro would do to the item now: the text and the events. Writes nothing. */
export async function previewMacro(ctx: Ctx, agent: Agent, name: string, itemId: number, opts: ApplyOptions = {}): Promise<MacroOutcome> {
  const db = ctx.store.db;
  const macro = await getMacro(db, name);
  const row = await loadItemRow(db, itemId);
  await checkExpectedVersion(db, row, opts.expectedVersion, ctx.clock());
  const now = ctx.clock().toISOString();
  const { text, steps } = await plan(db, macro, row, agent, opts);
  const change = await composeChanges(row, db, now, steps);
  return {
    macro: macro.name,
    kind: macro.kind,
    text,
    events: planned(change?.events ?? []),
    item: await getItemView(db, itemId, ctx.clock()),
    written: false,
  };
}

/** Apply the macro: the message and every action in one change, with its events. */
export async function applyMacro(ctx: Ctx, agent: Agent, name: string, itemId: number, opts: ApplyOptions = {}): Promise<MacroOutcome> {
  let text = '';
  let events: NewEvent[] = [];
  let macroName = name;
  let kind: Macro['kind'] = 'reply';
  const result = await mutateItem(ctx, itemId, asAgent(agent), { expectedVersion: opts.expectedVersion }, async (row, trx, now) => {
    const macro = await getMacro(trx, name);
    macroName = macro.name;
    kind = macro.kind;
    const p = await plan(trx, macro, row, agent, opts);
    text = p.text;
    const change = await composeChanges(row, trx, now, p.steps);
    // A reply macro on an email item is mailed like any reply: queued in this transaction.
    if (change && macro.kind === 'reply') await withDelivery(trx, row, agent, p.text, now, change);
    events = change?.events ?? [];
    return change;
  });
  return { macro: macroName, kind, text, events: planned(events), item: result.item, written: result.changed };
}
