// CSV exports from other helpdesks, through the importer and the core's view of the result.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAgent } from '../../src/core/agents.js';
import { TandemError } from '../../src/core/errors.js';
import { getItemView, itemEvents } from '../../src/core/item-view.js';
import { nextDueAt } from '../../src/core/sla.js';
import { importCsv } from '../../src/io/import-csv.js';
import { runTandem } from '../helpers/cli-inproc.js';
import { tempDir, testEnv, type TestEnv } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/csv');
let env: TestEnv;

beforeEach(async () => {
  env = await testEnv('2026-03-02T09:00:00.000Z');
  await addAgent(env.ctx, { handle: 'cleo', name: 'Cleo Martin', roles: 'support' });
  await addAgent(env.ctx, { handle: 'sam', name: 'Sam Rivera', roles: 'both' });
});
afterEach(async () => env.close());

const byExternalId = async (id: string) => {
  const row = await env.store.db.selectFrom('items').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();
  return { row, view: await getItemView(env.store.db, row.id, env.clock.now()), events: await itemEvents(env.store.db, row.id) };
};

describe('CSV import', () => {
  it('reads a Zendesk-style export: BOM, quoted multi-line cells, default columns, statuses and assignees', async () => {
    const report = await importCsv(env.ctx, path.join(FIXTURES, 'zendesk.csv'));
    expect(report.added.item).toBe(3);
    expect(report.added.customer).toBe(2); // JO@example.com is jo@example.com

    const solved = await byExternalId('1001'); // the BOM did not stick to the "Id" header
    expect(solved.view.subject).toBe('Cannot log in');
    expect(solved.events[0]!.body).toBe('I reset my password and now\nthe login page says "invalid token".\n\nPlease help!');
    expect(solved.view.status).toBe('resolved');
    expect(solved.view.resolvedAt).toBe('2017-10-12T08:30:00.000Z');
    expect(solved.view.createdAt).toBe('2017-10-11T06:55:44.000Z');
    expect(solved.view.assignee).toBe('cleo');
    expect(solved.view.priority).toBe('high');
    expect(solved.view.tags).toEqual(['access', 'login']);
    expect(solved.events.map((e) => e.type)).toEqual(['created', 'status']);
    expect(solved.view.version).toBe(solved.events.length);

    const pending = await byExternalId('1003');
    expect(pending.view.customer?.id).toBe(solved.view.customer?.id);
    expect(pending.view.assignee).toBe('sam'); // matched by name
    expect(pending.view.status).toBe('pending');
    expect(pending.view.channel).toBe('chat');

    const open = await byExternalId('1002');
    expect(open.view.channel).toBe('web');
    // Due times follow the SLA policy, and next_due_at the core's rule.
    expect(open.row.first_response_due_at).toBe('2017-10-13T11:00:00.000Z'); // support urgent: 1 h
    expect(open.row.next_due_at).toBe(nextDueAt(open.row));
  });

  it('reads a Freshdesk-style export: ";" delimiter, CRLF, dd-mm-yy dates, numeric priorities, closed tickets', async () => {
    const report = await importCsv(env.ctx, path.join(FIXTURES, 'freshdesk-semicolon.csv'));
    expect(report.added.item).toBe(2);
    const closed = await byExternalId('7');
    expect(closed.view.subject).toBe('Parcel lost');
    expect(closed.events[0]!.body).toBe('Tracking says delivered; nothing here');
    expect(closed.view.createdAt).toBe('2017-10-11T09:15:00.000Z');
    expect(closed.view.status).toBe('closed');
    expect(closed.view.priority).toBe('high');
    expect(closed.view.kind).toBe('bug');
    const vat = await byExternalId('8');
    expect(vat.events[0]!.body).toBe('Invoice 22\nshows 25% VAT');
    expect(vat.view.createdAt).toBe('2017-10-16T06:55:44.000Z');
    expect(vat.view.priority).toBe('normal');
  });

  it('refuses the whole file on a bad row, naming the line; --skip-invalid imports the rest', async () => {
    const file = path.join(FIXTURES, 'bad-row.csv');
    const refused = await importCsv(env.ctx, file).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TandemError);
    expect((refused as TandemError).exitCode).toBe(5);
    expect((refused as TandemError).message).toContain('bad-row.csv:3: status "frobnicated"');
    expect((refused as TandemError).message).toContain('bad-row.csv:4: createdAt');
    expect(await env.store.db.selectFrom('items').select('id').execute()).toEqual([]);
    expect(await env.store.db.selectFrom('customers').select('id').execute()).toEqual([]);

    const report = await importCsv(env.ctx, file, { skipInvalid: true });
    expect(report.added.item).toBe(2);
    expect(report.problems.map((p) => p.line)).toEqual([3, 4]);
    // The bad rows left no customer behind.
    expect((await env.store.db.selectFrom('customers').select('email').orderBy('email').execute()).map((c) => c.email)).toEqual([
      'a@example.com',
      'd@example.com',
    ]);
  });

  it('importing the same file twice adds nothing the second time', async () => {
    await importCsv(env.ctx, path.join(FIXTURES, 'zendesk.csv'));
    const again = await importCsv(env.ctx, path.join(FIXTURES, 'zendesk.csv'));
    expect(again.added).toEqual({});
    expect(again.unchanged.item).toBe(3);
    expect((await env.store.db.selectFrom('items').select('id').execute()).length).toBe(3);
  });

  it('a dry run reports the counts and writes nothing', async () => {
    const report = await importCsv(env.ctx, path.join(FIXTURES, 'zendesk.csv'), { dryRun: true });
    expect(report.added.item).toBe(3);
    expect(report.written).toBe(false);
    expect(await env.store.db.selectFrom('items').select('id').execute()).toEqual([]);
  });

  it('takes --map, --status-map, --priority-map, --date-format and --id-prefix for unusual exports', async () => {
    const file = path.join(tempDir(), 'odd.csv');
    fs.writeFileSync(file, 'Ref\tHeadline\tWho\tState\tSeverity\tOpened\nA-1\tSlow app\tpat@example.com\tTriage\tSev1\t2017|10|11 08:00\n');
    const report = await importCsv(env.ctx, file, {
      map: ['externalId=Ref', 'subject=Headline', 'requesterEmail=Who', 'status=State', 'priority=Severity', 'createdAt=Opened'],
      statusMap: ['Triage=open'],
      priorityMap: ['Sev1=urgent'],
      dateFormat: 'yyyy|MM|dd HH:mm',
      idPrefix: 'jira:',
      role: 'service',
    });
    expect(report.added.item).toBe(1);
    const item = await byExternalId('jira:A-1');
    expect(item.view).toMatchObject({
      subject: 'Slow app',
      status: 'open',
      priority: 'urgent',
      role: 'service',
      createdAt: '2017-10-11T08:00:00.000Z',
    });
  });

  it('a quote left open is a clear error with the line, through the binary (exit 5)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'open-quote.csv');
    fs.writeFileSync(file, 'id,subject,email,created\n1,"never closed,a@example.com,2017-10-11\n');
    const r = await runTandem(['import', file], { db: await newDatabase('t') });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/open-quote\.csv:\d+: not readable as CSV/);
  });
});
