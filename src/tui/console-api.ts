// The console's one door to the core: every query and action the TUI makes, bound to the store and
// the acting agent. No rules and no SQL here; views and hooks never import the core directly for data.
import { eventsAfter, lastEventId, type ActivityEvent } from '../core/activity.js';
import { listAgents, type Agent } from '../core/agents.js';
import type { Ctx } from '../core/context.js';
import type { ChangeFeed, ChangeSignal, CoreStore } from '../store/store.js';
import { customerHistory, type CustomerHistory } from '../core/customer-history.js';
import {
  deleteDraft,
  getDraft,
  itemsWithDrafts,
  listDrafts,
  saveDraft,
  sendWithDraft,
  type Draft,
  type DraftKind,
  type SendOptions,
} from '../core/drafts.js';
import { escalate, escalationsOfItem, getSnapshot, handback, type ContextSnapshot, type Escalation } from '../core/escalation.js';
import { escalationMarks, type EscalationMark } from '../core/escalation-marks.js';
import { countInbox, inboxCounts, queryInbox, type InboxFilter, type Sort } from '../core/inbox.js';
import type { MutationResult } from '../core/item-mutate.js';
import { authorLabel, getItemView, itemEvents, type EventView, type ItemView } from '../core/item-view.js';
import * as items from '../core/items.js';
import { parseWhen } from '../core/time.js';
import { deliveriesOfItem, deliveryProblems, retryOutbox, type OutboxEntry } from '../mail/outbox.js';
import { undoChange, type UndoToken } from '../core/undo.js';
import type { Priority, Role, Status } from '../core/vocabulary.js';
import { rulesThatActed, type RuleActivity } from '../core/rules/acted.js';
import { listRules, moveRule, setRuleEnabled, type StoredRule } from '../core/rules/rule-store.js';
import { testRules, type RuleTestReport } from '../core/rules/rule-test.js';
import { acceptSuggestion } from '../core/routing/accept.js';
import { ensureFreshModels, suggestionForItem, type Suggestion } from '../core/routing/suggest.js';

/** The inbox filter as the console holds it (serialisable, compared by value). */
export interface ConsoleFilter {
  role: Role | 'all';
  search: string;
  /** 'me', 'none' or a handle; '' = anyone. */
  assignee: string;
  statuses: Status[] | 'all' | null;
  priorities: Priority[];
  tag: string;
  breached: boolean;
  sort: Sort;
  /** One customer's items (email or #id), from a saved view. */
  customer?: string;
}

export const DEFAULT_FILTER: ConsoleFilter = {
  role: 'all',
  search: '',
  assignee: '',
  statuses: null,
  priorities: [],
  tag: '',
  breached: false,
  sort: 'due',
};

export function toInboxFilter(f: ConsoleFilter): InboxFilter {
  return {
    role: f.role,
    search: f.search || undefined,
    assignee: f.assignee || undefined,
    statuses: f.statuses ?? undefined,
    priorities: f.priorities.length ? f.priorities : undefined,
    tag: f.tag || undefined,
    breached: f.breached || undefined,
    sort: f.sort,
    customer: f.customer || undefined,
  };
}

export interface InboxWindow {
  rows: ItemView[];
  marks: Map<number, EscalationMark>;
  /** Rows where I have an unsent draft. */
  drafts: Set<number>;
}

export interface ItemDetailData {
  item: ItemView;
  events: EventView[];
  /** Escalations made from this item (newest first) and the one it came from. */
  asSource: Escalation[];
  asSupport: Escalation | null;
  snapshot: ContextSnapshot | null;
  /** Current views of linked items (support items of asSource, the source of asSupport). */
  linked: Map<number, ItemView>;
  history: CustomerHistory | null;
  /** The rules that acted on the item ("why did this happen?"). */
  rules: RuleActivity[];
  /** The learned suggestion, for inbound items still to do (null when no model or not relevant). */
  suggestion: Suggestion | null;
  /** The outbox entry of each reply, by the reply's Message-ID (its delivery state). */
  deliveries?: Map<string, OutboxEntry>;
}

export interface Counts {
  service: number;
  support: number;
  breached: number;
  /** Replies whose delivery failed or is uncertain, and (some of) their items. */
  deliveryProblems?: { count: number; itemIds: number[] };
}

type Version = { expectedVersion?: number };

export class ConsoleApi {
  constructor(
    readonly ctx: Ctx<CoreStore & { readonly changes: ChangeFeed }>,
    readonly me: Agent,
  ) {}

  now(): Date {
    return this.ctx.clock();
  }

  /** Hear about other connections' commits, and about a lost or regained connection. */
  subscribe(listener: (signal: ChangeSignal) => void): () => void {
    return this.ctx.store.changes.subscribe(listener);
  }

  async inboxWindow(filter: ConsoleFilter, offset: number, limit: number): Promise<InboxWindow> {
    const rows = await queryInbox(this.ctx, this.me, { ...toInboxFilter(filter), offset, limit });
    const [marks, drafts] = await Promise.all([
      escalationMarks(this.ctx.store.db, rows),
      itemsWithDrafts(
        this.ctx.store.db,
        this.me,
        rows.map((r) => r.id),
      ),
    ]);
    return { rows, marks, drafts };
  }

  inboxCount(filter: ConsoleFilter): Promise<number> {
    return countInbox(this.ctx, this.me, toInboxFilter(filter));
  }

  /** How many of these items the filter shows (the rest of a selection is hidden by it). */
  countShown(filter: ConsoleFilter, ids: number[]): Promise<number> {
    return countInbox(this.ctx, this.me, { ...toInboxFilter(filter), ids });
  }

  async counts(): Promise<Counts> {
    const [inbox, deliveries] = await Promise.all([inboxCounts(this.ctx), deliveryProblems(this.ctx.store.db)]);
    return { ...inbox, deliveryProblems: deliveries };
  }

  async item(id: number): Promise<ItemView> {
    return getItemView(this.ctx.store.db, id, this.now());
  }

  async itemDetail(id: number): Promise<ItemDetailData> {
    const db = this.ctx.store.db;
    const now = this.now();
    const item = await getItemView(db, id, now);
    const [events, links] = await Promise.all([itemEvents(db, id), escalationsOfItem(db, id)]);
    const snapshot = links.asSupport ? await getSnapshot(db, id) : null;
    const linked = new Map<number, ItemView>();
    const linkedIds = [...links.asSource.map((e) => e.supportItemId), ...(links.asSupport ? [links.asSupport.sourceItemId] : [])];
    for (const linkedId of linkedIds.slice(0, 5)) linked.set(linkedId, await getItemView(db, linkedId, now));
    const history = item.customer ? await customerHistory(this.ctx, item.customer.id, { itemLimit: 30 }) : null;
    const wantsSuggestion = item.direction === 'inbound' && !['resolved', 'closed', 'escalated'].includes(item.status);
    const suggestion = wantsSuggestion ? await this.suggestion(id) : null;
    const deliveries = await deliveriesOfItem(db, id);
    return {
      item,
      events,
      asSource: links.asSource,
      asSupport: links.asSupport,
      snapshot,
      linked,
      history,
      rules: rulesThatActed(events),
      suggestion,
      deliveries,
    };
  }

  private modelsChecked: Promise<boolean> | null = null;
  /**
   * The suggestion for an item. Once per console, stale models retrain in the background (seconds on
   * a large history): the detail never waits for it and shows the stored models meanwhile.
   */
  async suggestion(id: number): Promise<Suggestion | null> {
    this.modelsChecked ??= ensureFreshModels(this.ctx).catch(() => false);
    return suggestionForItem(this.ctx.store.db, id);
  }
  /** Wait for the background retrain, if one is running (tests). */
  modelsReady(): Promise<boolean> {
    return this.modelsChecked ?? Promise.resolve(false);
  }
  acceptSuggestion(id: number, v: Version = {}): Promise<MutationResult> {
    return acceptSuggestion(this.ctx, this.me, id, v);
  }

  // Rules: the rules view reads and orders them and tests one against an item (writing nothing).
  rules(): Promise<StoredRule[]> {
    return listRules(this.ctx.store.db);
  }
  setRuleEnabled(id: number, enabled: boolean) {
    return setRuleEnabled(this.ctx, String(id), enabled);
  }
  /** Move a rule one place earlier (-1) or later (+1) in the order. */
  async moveRuleBy(id: number, delta: -1 | 1): Promise<StoredRule[]> {
    const all = await this.rules();
    const i = all.findIndex((r) => r.id === id);
    const neighbour = all[i + delta];
    if (i < 0 || !neighbour) return all;
    return moveRule(this.ctx, String(id), delta < 0 ? { before: String(neighbour.id) } : { after: String(neighbour.id) });
  }
  testRule(ruleId: number, itemId: number): Promise<RuleTestReport> {
    return testRules(this.ctx, { rule: String(ruleId), itemId });
  }

  /** A customer's whole history (the customer page). */
  customerHistory(customerId: number): Promise<CustomerHistory> {
    return customerHistory(this.ctx, customerId, { itemLimit: 200 });
  }

  /** The customer's latest message on the item (what a reply answers), or null. */
  async lastCustomerMessage(id: number): Promise<{ author: string; at: string; body: string } | null> {
    const events = await itemEvents(this.ctx.store.db, id);
    const last = events.filter((e) => e.author.type === 'customer' && e.body).at(-1);
    return last ? { author: authorLabel(last.author), at: last.createdAt, body: last.body! } : null;
  }

  /** Others' changes after event `afterId` (the latest few), and the newest event id to continue from. */
  async activitySince(afterId: number): Promise<{ events: ActivityEvent[]; lastId: number }> {
    const lastId = await lastEventId(this.ctx.store.db);
    if (lastId <= afterId) return { events: [], lastId };
    return { events: await eventsAfter(this.ctx.store.db, afterId, { excludeAgentId: this.me.id, limit: 20 }), lastId };
  }
  lastEventId(): Promise<number> {
    return lastEventId(this.ctx.store.db);
  }

  agents(): Promise<Agent[]> {
    return listAgents(this.ctx);
  }

  /** Throws the core's `invalid` error for text the snooze command would refuse. */
  checkWhen(text: string): Date {
    return parseWhen(text, this.now(), 'future');
  }

  wakeSnoozed(): Promise<number> {
    return items.wakeSnoozed(this.ctx);
  }

  // Actions: each passes the version the agent saw.
  assign(id: number, handle: string | null, v: Version & { force?: boolean } = {}): Promise<MutationResult> {
    return items.assign(this.ctx, this.me, id, handle, v);
  }
  take(id: number, v: Version & { force?: boolean } = {}): Promise<MutationResult> {
    return items.take(this.ctx, this.me, id, v);
  }
  setPriority(id: number, priority: string, v: Version = {}): Promise<MutationResult> {
    return items.setPriority(this.ctx, this.me, id, priority, v);
  }
  setStatus(id: number, status: string, v: Version = {}): Promise<MutationResult> {
    return items.setStatus(this.ctx, this.me, id, status, v);
  }
  changeTags(id: number, change: { add?: string[]; remove?: string[] }, v: Version = {}): Promise<MutationResult> {
    return items.changeTags(this.ctx, this.me, id, change, v);
  }
  snooze(id: number, when: string, v: Version = {}): Promise<MutationResult> {
    return items.snooze(this.ctx, this.me, id, when, v);
  }
  reply(id: number, body: string, v: Version = {}): Promise<MutationResult> {
    return items.reply(this.ctx, this.me, id, body, v);
  }
  note(id: number, body: string, v: Version = {}): Promise<MutationResult> {
    return items.note(this.ctx, this.me, id, body, v);
  }
  /** Send a reply or note; my draft of it goes in the same change (a refused send keeps it). */
  send(id: number, kind: DraftKind, body: string, opts: SendOptions = {}): Promise<MutationResult> {
    return sendWithDraft(this.ctx, this.me, id, kind, body, opts);
  }
  undo(token: UndoToken): Promise<MutationResult> {
    return undoChange(this.ctx, this.me, token);
  }

  // Drafts: mine, per item and kind.
  draft(id: number, kind: DraftKind): Promise<Draft | null> {
    return getDraft(this.ctx, this.me, id, kind);
  }
  saveDraft(id: number, kind: DraftKind, body: string): Promise<Draft | null> {
    return saveDraft(this.ctx, this.me, id, kind, body);
  }
  deleteDraft(id: number, kind: DraftKind): Promise<void> {
    return deleteDraft(this.ctx, this.me, id, kind);
  }
  myDrafts(): Promise<Draft[]> {
    return listDrafts(this.ctx, this.me);
  }

  /** Resolve; a note goes back to service when the item came from an escalation. */
  resolve(id: number, v: Version & { note?: string | null } = {}): Promise<MutationResult> {
    return items.resolve(this.ctx, this.me, id, v);
  }
  /** The escalation a support item was made by, or null. */
  async escalatedFrom(id: number): Promise<Escalation | null> {
    return (await escalationsOfItem(this.ctx.store.db, id)).asSupport;
  }
  escalate(id: number, reason: string, to: string | null, v: Version = {}) {
    return escalate(this.ctx, this.me, id, { reason, to, expectedVersion: v.expectedVersion });
  }
  /** Send a failed or uncertain reply again (the same mail, the same Message-ID). */
  retryDelivery(outboxId: number): Promise<OutboxEntry> {
    return retryOutbox(this.ctx, this.me, outboxId);
  }
  handback(id: number, reason: string, v: Version = {}) {
    return handback(this.ctx, this.me, id, reason, { expectedVersion: v.expectedVersion });
  }
}
