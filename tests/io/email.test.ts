// Email into items: encoded headers, MIME with HTML and an attachment, a thread across files, an
// agent's reply recognised by address, bounces and auto-replies kept apart, idempotent re-imports.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAgent, type Agent } from '../../src/core/agents.js';
import { getItemView, itemEvents } from '../../src/core/item-view.js';
import { importEmail } from '../../src/io/import-email.js';
import { runTandem } from '../helpers/cli-inproc.js';
import { tempDir, testEnv, type TestEnv } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

const F = (name: string) => path.resolve(import.meta.dirname, '../fixtures/email', name);
let env: TestEnv;
let sam: Agent;

beforeEach(async () => {
  env = await testEnv('2026-03-10T09:00:00.000Z');
  sam = await addAgent(env.ctx, { handle: 'sam', name: 'Sam', roles: 'both' });
  await addAgent(env.ctx, { handle: 'cleo', name: 'Cleo Martin', roles: 'support', email: 'cleo@tandem.example' });
});
afterEach(async () => env.close());

const items = () => env.store.db.selectFrom('items').selectAll().orderBy('id').execute();

describe('email import', () => {
  it('threads three messages across three files into one item, oldest first, whatever the argument order', async () => {
    await importEmail(env.ctx, sam, [F('02-agent-reply.eml'), F('01-question.eml')], 'eml');
    await importEmail(env.ctx, sam, [F('thread-and-noise.mbox')], 'mbox', { autoReplies: 'skip' });
    const all = await items();
    expect(all).toHaveLength(1);
    const view = await getItemView(env.store.db, all[0]!.id, env.clock.now());
    const events = await itemEvents(env.store.db, view.id);
    expect(events.map((e) => [e.type, e.author.type, e.messageId])).toEqual([
      ['created', 'customer', '<q1@example.de>'],
      ['reply', 'agent', '<r1@tandem.example>'],
      ['status', 'agent', null],
      ['message', 'customer', '<q2@example.de>'],
    ]);
    expect(events[1]!.author.handle).toBe('cleo'); // from the agent's address
    expect(view.firstResponseAt).toBe('2026-03-02T10:30:00.000Z');
    expect(view.createdAt).toBe('2026-03-02T09:00:00.000Z');
    expect(view.status).toBe('open');
    // mboxrd: the escaped ">From" line is read back as "From".
    expect(events[3]!.body).toContain('\nFrom here on it fails.');
  });

  it('decodes RFC 2047 headers, turns HTML into text and records attachments by name, type and size', async () => {
    await importEmail(env.ctx, sam, [F('01-question.eml')], 'eml');
    const [row] = await items();
    const view = await getItemView(env.store.db, row!.id, env.clock.now());
    expect(view.subject).toBe('Export kaputt – bitte helfen');
    expect(view.customer).toMatchObject({ name: 'Jörg Müller', email: 'jorg@example.de' });
    const [created] = await itemEvents(env.store.db, view.id);
    expect(created!.body).toContain('der Export läuft nicht mehr.');
    expect(created!.body).not.toContain('<p>');
    expect(created!.data?.attachments).toEqual([{ name: 'report.pdf', type: 'application/pdf', size: 78 }]);
  });

  it('flags bounces and auto-replies by default: their own tagged low-priority items, never mixed into a thread', async () => {
    const report = await importEmail(env.ctx, sam, [F('thread-and-noise.mbox')], 'mbox');
    expect(report.added.bounce).toBe(1);
    expect(report.added['auto-reply']).toBe(1);
    const views = await Promise.all((await items()).map((r) => getItemView(env.store.db, r.id, env.clock.now())));
    const bounce = views.find((v) => v.tags.includes('bounce'))!;
    const auto = views.find((v) => v.tags.includes('auto-reply'))!;
    expect(bounce.subject).toBe('Undelivered Mail Returned to Sender');
    expect(bounce.priority).toBe('low');
    expect(auto.customer?.email).toBe('ola@example.no');
  });

  it('skips bounces and auto-replies when asked, and says so', async () => {
    const report = await importEmail(env.ctx, sam, [F('thread-and-noise.mbox')], 'mbox', { autoReplies: 'skip' });
    expect(report.ignored).toEqual({ bounce: 1, 'auto-reply': 1 });
    expect(await items()).toHaveLength(1); // only the customer's message (its thread is not here)
  });

  it('re-importing the same mail adds nothing; a dry run writes nothing', async () => {
    const dry = await importEmail(env.ctx, sam, [F('01-question.eml'), F('02-agent-reply.eml')], 'eml', { dryRun: true });
    expect(dry.added).toEqual({ item: 1, reply: 1 });
    expect(await items()).toHaveLength(0);
    await importEmail(env.ctx, sam, [F('01-question.eml'), F('02-agent-reply.eml')], 'eml');
    const again = await importEmail(env.ctx, sam, [F('01-question.eml'), F('02-agent-reply.eml')], 'eml');
    expect(again.added).toEqual({});
    expect(again.unchanged.message).toBe(2);
    expect((await env.store.db.selectFrom('events').select('id').execute()).length).toBe(3);
  });

  it('a message without a Message-ID is still recognised when imported again', async () => {
    const file = path.join(tempDir(), 'no-id.eml');
    fs.writeFileSync(file, 'From: Pat <pat@example.com>\r\nSubject: Hello\r\nDate: Tue, 03 Mar 2026 08:00:00 +0000\r\n\r\nHi there\r\n');
    await importEmail(env.ctx, sam, [file], 'eml');
    const again = await importEmail(env.ctx, sam, [file], 'eml');
    expect(again.unchanged.message).toBe(1);
    expect(await items()).toHaveLength(1);
  });

  it('a customer writing again on a resolved item reopens it (the core rule)', async () => {
    await importEmail(env.ctx, sam, [F('01-question.eml'), F('02-agent-reply.eml')], 'eml');
    const [row] = await items();
    await env.store.db
      .updateTable('items')
      .set({ status: 'resolved', resolved_at: '2026-03-02T11:00:00.000Z', first_resolved_at: '2026-03-02T11:00:00.000Z' })
      .where('id', '=', row!.id)
      .execute();
    await importEmail(env.ctx, sam, [F('thread-and-noise.mbox')], 'mbox', { autoReplies: 'skip' });
    const view = await getItemView(env.store.db, row!.id, env.clock.now());
    expect(view.status).toBe('open');
    expect(view.reopenCount).toBe(1);
  });

  it('through the binary: an mbox given as eml, and a binary file, are clear errors (exit 5)', async () => {
    const dir = tempDir();
    const db = await newDatabase('t');
    expect((await runTandem(['agent', 'add', 'sam'], { db })).code).toBe(0);
    const r = await runTandem(['import', '--format', 'eml', F('thread-and-noise.mbox')], { db });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('--format mbox');
    const bin = path.join(dir, 'x.eml');
    fs.writeFileSync(bin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0]));
    const b = await runTandem(['import', bin], { db });
    expect(b.code).toBe(5);
    expect(b.stderr).toContain('binary');
  });
});
