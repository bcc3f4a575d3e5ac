// Drafts kept per item, agent and kind, sent and removed in one transaction; and undo of an agent's
// last change, which puts every KPI column back exactly, so the KPIs are as if it never happened.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteDraft, getDraft, itemsWithDrafts, listDrafts, saveDraft, sendWithDraft } from '../../src/core/drafts.js';
import { TandemError } from '../../src/core/errors.js';
import * as items from '../../src/core/items.js';
import { itemEvents } from '../../src/core/item-view.js';
import { computeKpis } from '../../src/core/kpi.js';
import { undoChange, UNDO_WINDOW_MS } from '../../src/core/undo.js';
import type { Agent } from '../../src/core/agents.js';
import { standardAgents, testEnv, type TestEnv } from '../helpers/core.js';

let env: TestEnv;
let sam: Agent;
let ana: Agent;
let id: number;

beforeEach(async () => {
  env = await testEnv();
  ({ sam, ana } = await standardAgents(env.ctx));
  id = (
    await items.createItem(env.ctx, sam, { subject: 'Refund missing', body: 'Where is it?', customer: 'jo@example.com', kind: 'billing' })
  ).id;
  env.clock.minutes(5);
});
afterEach(async () => env.close());

const row = () => env.store.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const tags = async () =>
  (await env.store.db.selectFrom('item_tags').select('tag').where('item_id', '=', id).execute()).map((t) => t.tag).sort();

describe('drafts', () => {
  it('keeps one draft per item, agent and kind; saving again replaces it; empty text removes it', async () => {
    await saveDraft(env.ctx, sam, id, 'reply', 'Half a reply');
    await saveDraft(env.ctx, sam, id, 'reply', 'Half a reply, longer');
    await saveDraft(env.ctx, sam, id, 'note', 'A note');
    await saveDraft(env.ctx, ana, id, 'reply', "Ana's own");
    expect((await getDraft(env.ctx, sam, id, 'reply'))?.body).toBe('Half a reply, longer');
    expect((await listDrafts(env.ctx, sam)).map((d) => d.kind).sort()).toEqual(['note', 'reply']);
    expect((await getDraft(env.ctx, ana, id, 'reply'))?.body).toBe("Ana's own");
    expect([...(await itemsWithDrafts(env.store.db, sam, [id, 999]))]).toEqual([id]);
    await saveDraft(env.ctx, sam, id, 'note', '   ');
    expect(await getDraft(env.ctx, sam, id, 'note')).toBeNull();
    await deleteDraft(env.ctx, sam, id, 'reply');
    expect(await listDrafts(env.ctx, sam)).toEqual([]);
    // A draft is not an item change: no event, no new version.
    expect((await row()).version).toBe(1);
    await expect(saveDraft(env.ctx, sam, 999, 'reply', 'x')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('sending removes the draft in the same change; a refused send keeps it', async () => {
    await saveDraft(env.ctx, sam, id, 'reply', 'We are on it.');
    await items.setPriority(env.ctx, ana, id, 'high'); // the item moves on: version 2
    await expect(sendWithDraft(env.ctx, sam, id, 'reply', 'We are on it.', { expectedVersion: 1 })).rejects.toMatchObject({
      kind: 'conflict',
    });
    expect((await getDraft(env.ctx, sam, id, 'reply'))?.body).toBe('We are on it.');
    const r = await sendWithDraft(env.ctx, sam, id, 'reply', 'We are on it.', { expectedVersion: 2, status: 'pending' });
    expect(r.item.status).toBe('pending');
    expect(await getDraft(env.ctx, sam, id, 'reply')).toBeNull();
    expect((await itemEvents(env.store.db, id)).filter((e) => e.type === 'reply').map((e) => e.body)).toEqual(['We are on it.']);
  });
});

describe('undo', () => {
  it('undoes a resolve without counting a reopen: every KPI column and the KPIs are as before', async () => {
    await items.reply(env.ctx, sam, id, 'Looking into it');
    env.clock.minutes(5);
    const before = await row();
    const period = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };
    const kpisBefore = await computeKpis(env.ctx, { role: 'all', period, byAgent: true });
    const r = await items.resolve(env.ctx, sam, id);
    expect(r.undo).toBeDefined();
    expect((await row()).first_resolved_at).not.toBeNull();
    env.clock.minutes(1);
    const u = await undoChange(env.ctx, sam, r.undo!);
    expect(u.item.status).toBe('open');
    const after = await row();
    for (const col of [
      'status',
      'resolved_at',
      'first_resolved_at',
      'closed_at',
      'reopen_count',
      'first_response_due_at',
      'resolution_due_at',
      'next_due_at',
      'resolution_secs',
    ] as const) {
      expect(after[col], col).toEqual(before[col]);
    }
    expect(after.version).toBe(before.version + 2);
    const kpisAfter = await computeKpis(env.ctx, { role: 'all', period, byAgent: true });
    expect(JSON.stringify(kpisAfter.support)).toBe(JSON.stringify(kpisBefore.support));
    // The timeline tells it: the resolve, then its undo.
    const last = (await itemEvents(env.store.db, id)).at(-1)!;
    expect(last).toMatchObject({ type: 'status', data: { from: 'resolved', to: 'open', undo: r.undo!.version } });
  });

  it('undoes a reopen (reopen_count back), a snooze, a priority change (due times back) and tags', async () => {
    await items.resolve(env.ctx, sam, id);
    const resolved = await row();
    const reopen = await items.setStatus(env.ctx, sam, id, 'open');
    expect((await row()).reopen_count).toBe(1);
    await undoChange(env.ctx, sam, reopen.undo!);
    expect(await row()).toMatchObject({
      status: 'resolved',
      reopen_count: 0,
      resolved_at: resolved.resolved_at,
      first_resolved_at: resolved.first_resolved_at,
    });
    await items.reopen(env.ctx, sam, id);

    const open = await row();
    const z = await items.snooze(env.ctx, sam, id, '2h');
    await undoChange(env.ctx, sam, z.undo!);
    expect(await row()).toMatchObject({ status: 'open', snoozed_until: null });

    const p = await items.setPriority(env.ctx, sam, id, 'urgent');
    expect((await row()).first_response_due_at).not.toBe(open.first_response_due_at);
    await undoChange(env.ctx, sam, p.undo!);
    expect(await row()).toMatchObject({
      priority: 'normal',
      first_response_due_at: open.first_response_due_at,
      resolution_due_at: open.resolution_due_at,
    });

    await items.changeTags(env.ctx, sam, id, { add: ['vip'] });
    const t = await items.changeTags(env.ctx, sam, id, { add: ['late'], remove: ['vip'] });
    expect(await tags()).toEqual(['late']);
    await undoChange(env.ctx, sam, t.undo!);
    expect(await tags()).toEqual(['vip']);

    const a = await items.assign(env.ctx, sam, id, 'cleo');
    await undoChange(env.ctx, sam, a.undo!);
    expect((await row()).assignee_id).toBeNull();
  });

  it('refuses when the item moved on, when too late, for someone else, and for replies', async () => {
    const r = await items.resolve(env.ctx, sam, id);
    await items.customerMessage(env.ctx, id, 'Still broken');
    const err = await undoChange(env.ctx, sam, r.undo!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).kind).toBe('conflict');
    expect((await row()).reopen_count).toBe(1); // the customer's reopen stands

    const p = await items.setPriority(env.ctx, sam, id, 'high');
    await expect(undoChange(env.ctx, ana, p.undo!)).rejects.toMatchObject({ kind: 'invalid' });
    env.clock.advance(UNDO_WINDOW_MS + 1000);
    await expect(undoChange(env.ctx, sam, p.undo!)).rejects.toThrow(/more than 2 minutes old/);
    expect((await row()).priority).toBe('high');

    expect((await items.reply(env.ctx, sam, id, 'Hello')).undo).toBeUndefined();
    expect((await items.note(env.ctx, sam, id, 'Psst')).undo).toBeUndefined();
  });

  it('refuses to undo resolving a support item whose escalation already went back to service', async () => {
    const { escalate } = await import('../../src/core/escalation.js');
    const svc = await items.createItem(env.ctx, sam, { subject: 'Seats?', customer: 'jo@example.com', kind: 'question' });
    const esc = await escalate(env.ctx, sam, svc.id, { reason: 'Seat bug', to: 'cleo' });
    // With a resolution note there is nothing to undo (a note is never undone); without one, undo refuses.
    expect((await items.resolve(env.ctx, sam, esc.support.id, { note: 'Fixed' })).undo).toBeUndefined();
    await items.reopen(env.ctx, sam, esc.support.id);
    const again = await escalate(env.ctx, sam, svc.id, { reason: 'Seat bug again', to: 'cleo' });
    const r = await items.resolve(env.ctx, sam, again.support.id);
    expect(r.undo).toBeDefined();
    await expect(undoChange(env.ctx, sam, r.undo!)).rejects.toThrow(/sent service #\d+ its answer; that cannot be undone/);
    const support = await env.store.db.selectFrom('items').select('status').where('id', '=', again.support.id).executeTakeFirstOrThrow();
    expect(support.status).toBe('resolved');
  });
});
