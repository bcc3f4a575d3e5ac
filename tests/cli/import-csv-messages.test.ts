// Conversations exported one message per row, through the binary: grouped by a conversation column
// or by reply-to chains, authors told apart by a yes/no column, --agent-author or the agents' own
// handles and emails, applied in time order so first response time and reopens come out right.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/messages');
const twitter = path.join(FIXTURES, 'twitter-support.csv');
const comments = path.join(FIXTURES, 'zendesk-comments.csv');
let dir: string;
let db: string;

beforeEach(async () => {
  dir = tempDir();
  db = await newDatabase('tandem');
  await runTandem(['init', '--handle', 'sam', '--email', 'sam@tandem.example'], { db });
  await runJson(['agent', 'add', 'cleo', '--roles', 'support', '--name', 'Cleo Martin'], { db, as: 'sam' });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const importMessages = (file: string, ...args: string[]) =>
  runJson(['import', '--format', 'csv-messages', file, ...args], { db, as: 'sam' });
const list = async () => runJson<any[]>(['inbox', '--status', 'all'], { db, as: 'sam' });
const show = async (id: number) => runJson(['item', 'show', String(id)], { db, as: 'sam' });
const bySubject = async (start: string) => show((await list()).find((i) => i.subject.startsWith(start))!.id);

describe('--format csv-messages', () => {
  it('follows reply-to chains to their root, out of file order, and first response time comes out right', async () => {
    const r = await importMessages(twitter);
    expect(r.added).toEqual({ item: 2, reply: 3, message: 2 });
    const first = await bySubject('@sprintcare I have sent');
    expect(first.createdAt).toBe('2017-10-31T22:08:27.000Z'); // tweet 3, the root, though it is the third row
    expect(first.firstResponseAt).toBe('2017-10-31T22:09:40.000Z');
    expect(first.channel).toBe('social');
    expect(first.customer.name).toBe('115712');
    expect(first.events.map((e: any) => e.type)).toEqual(['created', 'reply', 'status', 'message', 'reply']);
    const bill = await bySubject('@sprintcare my bill');
    expect(bill.firstResponseAt).toBe('2017-11-01T08:30:00.000Z');
    const again = await importMessages(twitter);
    expect(again.added).toEqual({});
    expect(again.unchanged.message).toBe(7);
  });

  it("without a yes/no column, --agent-author names the company account; without it every message is the customer's", async () => {
    await importMessages(twitter, '--map', 'fromCustomer=', '--agent-author', '@SprintCare');
    expect((await bySubject('@sprintcare I have sent')).firstResponseAt).toBe('2017-10-31T22:09:40.000Z');
    const other = await newDatabase('other');
    await runTandem(['init', '--handle', 'sam'], { db: other });
    const r = await runJson(['import', '--format', 'csv-messages', twitter, '--map', 'fromCustomer='], { db: other, as: 'sam' });
    expect(r.added.reply).toBeUndefined();
  });

  it('groups helpdesk comments by ticket; agents are matched by handle or email; private comments are notes; an agent-first conversation is outbound', async () => {
    const r = await importMessages(comments);
    expect(r.added).toEqual({ item: 2, reply: 1, note: 1, message: 2 });
    const broken = await bySubject('Broken on arrival');
    expect(broken.customer.email).toBe('jo@example.com');
    expect(broken.events[1]).toMatchObject({ type: 'reply', author: { handle: 'cleo' } });
    expect(broken.events[0].body).toBe('My order arrived broken.\nPhotos attached.');
    expect(broken.firstResponseAt).toBe('2024-05-01T09:45:00.000Z');
    // Public=false is an internal note by its author, never shown to the customer as a reply.
    expect(broken.events.find((e: any) => e.type === 'note')).toMatchObject({
      body: 'Replacement sent from the Leeds warehouse.',
      author: { handle: 'cleo' },
    });
    expect(broken.events.filter((e: any) => e.type === 'reply')).toHaveLength(1);
    expect((await importMessages(comments)).added).toEqual({});
    const checkIn = await bySubject('Checking in');
    expect(checkIn).toMatchObject({ direction: 'outbound', role: 'service', firstResponseAt: null });
    expect(checkIn.customer.email).toBe('pat@example.com');
  });

  it('a later customer message reopens a resolved conversation, as a new email would', async () => {
    const first = path.join(dir, 'part1.csv');
    const all = fs.readFileSync(comments, 'utf8').split('\n');
    fs.writeFileSync(first, all.slice(0, 4).join('\n') + '\n'); // header and ticket 9001's first two comments
    await importMessages(first);
    const item = await bySubject('Broken on arrival');
    await runJson(['item', 'resolve', String(item.id)], { db, as: 'cleo' });
    await importMessages(comments);
    const after = await show(item.id);
    expect(after.status).toBe('open');
    expect(after.reopenCount).toBe(1);
  });

  it('refuses a file that says nothing of who wrote what or how messages group', async () => {
    const file = path.join(dir, 'flat.csv');
    fs.writeFileSync(file, 'text,created_at\nhello,2024-01-01\n');
    const r = await runTandem(['import', '--format', 'csv-messages', file], { db, as: 'sam' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no column for conversation or replyTo/);
  });
});
