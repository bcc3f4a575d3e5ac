// The mailbox watcher behind `mail run` and `mail fetch --watch` against a real IMAP server (Dovecot):
// mail the server announces while a fetch is under way is fetched at once, not left for the poll, and
// every message lands exactly once.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addAgent, type Agent } from '../../src/core/agents.js';
import { queryInbox } from '../../src/core/inbox.js';
import { addMailbox, type Mailbox } from '../../src/mail/mailboxes.js';
import { runMail } from '../../src/mail/run.js';
import { Dovecot, dovecotPresent, mailText } from '../helpers/dovecot.js';
import { testEnv, type TestEnv } from '../helpers/core.js';

const present = dovecotPresent();

describe.skipIf(!present)('mail run against Dovecot', () => {
  let dv: Dovecot;
  let env: TestEnv;
  let sam: Agent;
  let mb: Mailbox;
  let folder = '';
  let folderSeq = 0;
  const secrets = { TANDEM_TEST_IMAP_PW: '' };

  beforeAll(async () => {
    dv = await Dovecot.start();
    secrets.TANDEM_TEST_IMAP_PW = dv.password;
  }, 30_000);
  afterAll(async () => {
    await dv?.stop();
  });
  beforeEach(async () => {
    env = await testEnv();
    sam = await addAgent(env.ctx, { handle: 'sam', name: 'Sam', roles: 'both', email: 'sam@shop.example' });
    folder = `W${++folderSeq}`;
    await (await dv.client()).mailboxCreate(folder);
    mb = await addMailbox(env.ctx, {
      name: 'support',
      address: 'support@shop.example',
      imap: `${dv.url}/${folder}`,
      smtp: 'smtp://support@127.0.0.1:1',
      passwordEnv: 'TANDEM_TEST_IMAP_PW',
    });
  });
  afterEach(async () => {
    await env.close();
  });

  const allItems = () => queryInbox(env.ctx, null, { statuses: 'all', limit: 100 });

  it('fetches mail that arrives during a fetch at once, not at the next poll, and each message once', async () => {
    // More than one fetch chunk (25): the server answers the search without the late message and
    // announces it (EXISTS) in its reply to the second chunk's FETCH, once; IDLE will not repeat it.
    for (let i = 1; i <= 26; i++) await dv.append(mailText({ from: `c${i}@customer.example`, subject: `Early ${i}` }), folder);
    const ac = new AbortController();
    const log: string[] = [];
    const running = runMail(env.ctx, sam, [mb], {
      signal: ac.signal,
      env: secrets,
      sendEveryMs: 0,
      // No poll within the test: only the server's notice can bring the late message.
      pollMs: 60 * 60_000,
      log: (l) => log.push(l),
      onMessage: (m) => {
        if (m.uid === '1') dv.appendBlocking(mailText({ from: 'late@customer.example', subject: 'Late' }), folder);
      },
    });
    try {
      const end = Date.now() + 20_000;
      while ((await allItems()).length < 27) {
        if (Date.now() > end) throw new Error(`the late message was not fetched; the watcher said:\n${log.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      ac.abort();
      await running;
    }
    const subjects = (await allItems()).map((i) => i.subject);
    expect(subjects).toHaveLength(27);
    expect(new Set(subjects)).toEqual(new Set(['Late', ...Array.from({ length: 26 }, (_, i) => `Early ${i + 1}`)]));
  }, 60_000);
});
