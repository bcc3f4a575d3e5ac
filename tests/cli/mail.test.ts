// Email through the built binary against real servers (Dovecot unprivileged on loopback, smtp-server):
// mailbox set-up and its refusals, verify's diagnoses, fetch → reply → send, kill -9 of a fetch
// mid-batch, two fetchers at once (two processes, and two runs in one process), and the outbox for
// scripts (--follow, ack).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runTandem as runBinary } from '../helpers/cli.js';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { Dovecot, dovecotPresent, mailText } from '../helpers/dovecot.js';
import { dropDatabase, dumpTables, newDatabase, onPostgres } from '../helpers/store-target.js';
import { TestSmtp, headerOf } from '../helpers/smtp.js';

const present = dovecotPresent();

describe.skipIf(!present)('tandem mailbox, mail and outbox', () => {
  let dv: Dovecot;
  let smtp: TestSmtp;
  let dir: string;
  let db: string;
  let folder: string;
  let seq = 0;
  // The secret travels only in the environment of the processes that need it.
  let pwEnv: Record<string, string>;

  beforeAll(async () => {
    dv = await Dovecot.start();
    smtp = await TestSmtp.start();
  }, 30_000);
  afterAll(async () => {
    await smtp?.stop();
    await dv?.stop();
  });

  beforeEach(async () => {
    dir = tempDir('tandem-mail-cli-');
    db = await newDatabase('mail');
    folder = `C${++seq}`;
    await (await dv.client()).mailboxCreate(folder);
    smtp.received.length = 0;
    smtp.mode = 'accept';
    pwEnv = { SHOP_IMAP_PW: dv.password };
    // One password serves both servers, as with most mail providers.
    smtp.password = dv.password;
    expect((await runTandem(['init', '--handle', 'sam', '--name', 'Sam', '--email', 'sam@shop.example'], { db })).code).toBe(0);
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await dropDatabase(db);
  });

  const run = (args: string[], env: Record<string, string> = {}) => runTandem(args, { db, as: 'sam', env: { ...pwEnv, ...env } });
  const json = <T = any>(args: string[]) => runJson<T>(args, { db, as: 'sam', env: pwEnv });

  /** The usual mailbox: one password (from a file, through --password-cmd) for both servers. */
  async function addMailbox(extra: string[] = [], imapPath = `/${folder}`) {
    const pwFile = path.join(dir, 'imap-pw');
    fs.writeFileSync(pwFile, dv.password + '\n', { mode: 0o600 });
    const r = await run([
      'mailbox',
      'add',
      'support',
      '--address',
      'support@shop.example',
      '--imap',
      `${dv.url}${imapPath}`,
      '--smtp',
      smtp.url,
      '--password-cmd',
      `cat ${pwFile}`,
      '--from-name',
      'Shop support',
      ...extra,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }

  async function allItems() {
    return json<any[]>(['inbox', '--status', 'all', '--limit', '1000']);
  }

  it('refuses unsafe or unclear mailboxes, and never stores or prints the password', async () => {
    const bad = async (args: string[], message: RegExp) => {
      const r = await run(['mailbox', 'add', 'x', '--address', 'support@shop.example', ...args]);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(message);
    };
    await bad(
      ['--imap', 'imap://u@mail.example.com', '--smtp', 'smtps://u@mail.example.com', '--password-env', 'PW'],
      /unencrypted.*--insecure/,
    );
    await bad(
      ['--imap', 'imaps://u:hunter2@mail.example.com', '--smtp', 'smtps://u@mail.example.com', '--password-env', 'PW'],
      /must not contain a password/,
    );
    await bad(
      ['--imap', 'imaps://u@mail.example.com', '--smtp', 'smtps://u@mail.example.com', '--password-env', 'hunter2 is my password'],
      /NAME of an environment variable/,
    );
    await bad(['--imap', 'imaps://u@mail.example.com', '--smtp', 'smtps://u@mail.example.com'], /needs a password/);
    await bad(
      ['--imap', 'pop3://u@mail.example.com', '--smtp', 'smtps://u@mail.example.com', '--password-env', 'PW'],
      /must start with imaps:\/\//,
    );
    expect(await json(['mailbox', 'list'])).toEqual([]);
    // Plain text to a real host is possible, but only when asked for by name.
    const insecure = await run([
      'mailbox',
      'add',
      'legacy',
      '--address',
      'old@shop.example',
      '--imap',
      'imap://u@mail.example.com',
      '--smtp',
      'smtp://u@mail.example.com',
      '--password-env',
      'PW',
      '--insecure',
    ]);
    expect(insecure.code).toBe(0);

    const r = await run([
      'mailbox',
      'add',
      'support',
      '--address',
      'Support@Shop.example',
      '--imap',
      `${dv.url}/${folder}`,
      '--smtp',
      smtp.url,
      '--password-env',
      'SHOP_IMAP_PW',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: 'support',
      address: 'support@shop.example',
      role: 'support',
      password: { from: 'env', variable: 'SHOP_IMAP_PW' },
    });
    expect(
      (
        await run([
          'mailbox',
          'add',
          'support',
          '--address',
          'a@shop.example',
          '--imap',
          `${dv.url}`,
          '--smtp',
          smtp.url,
          '--password-env',
          'X',
        ])
      ).code,
    ).toBe(4);
    await dv.append(mailText({ from: 'jo@customer.example', subject: 'Hi' }), folder);
    expect((await run(['mail', 'fetch', '--mailbox', 'support'])).code).toBe(0);
    // Every mailbox is tried; the one that cannot connect is named, and the exit code says so.
    const all = await run(['mail', 'fetch']);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/tandem: legacy: the environment variable PW \(the mailbox's password\) is not set/);
    const outputs = [
      (await run(['mailbox', 'list'])).stdout,
      (await run(['mailbox', 'show', 'support', '--json'])).stdout,
      (await run(['mailbox', 'verify', 'support'])).stdout,
      (await run(['export'])).stdout,
      all.stderr,
    ];
    expect(outputs[1]).toContain('SHOP_IMAP_PW');
    for (const out of outputs) expect(out).not.toContain(dv.password);
    // Nowhere in the database: every table that could hold it, on either engine, and on SQLite the file's bytes too.
    const dump = await dumpTables(db, ['agents', 'customers', 'items', 'events', 'mailboxes', 'mail_messages', 'outbox']);
    expect(dump).toContain('SHOP_IMAP_PW');
    expect(dump).not.toContain(dv.password);
    if (!onPostgres) {
      expect(fs.readFileSync(db).includes(dv.password)).toBe(false);
      if (fs.existsSync(db + '-wal')) expect(fs.readFileSync(db + '-wal').includes(dv.password)).toBe(false);
    }
    expect((await run(['mailbox', 'remove', 'legacy'])).code).toBe(0);
    expect((await json<any[]>(['mailbox', 'list'])).map((m) => m.name)).toEqual(['support']);
  });

  it('verify logs in to both servers and names exactly what failed', async () => {
    await addMailbox();
    const ok = await run(['mailbox', 'verify', 'support']);
    expect(ok.stdout).toMatch(/IMAP ok: .*logged in as support; folder C\d+ has 0 messages/);
    expect(ok.stdout).toMatch(/SMTP ok: .*logged in as support/);
    expect(ok.code).toBe(0);

    const diagnose = async (name: string, args: string[], stage: RegExp) => {
      const add = await run(['mailbox', 'add', name, '--address', `${name}@shop.example`, ...args]);
      expect(add.code).toBe(0);
      const r = await run(['mailbox', 'verify', name, '--json']);
      expect(r.code).toBe(1);
      return { ...JSON.parse(r.stdout), stage };
    };
    const wrongPw = await diagnose(
      'wrongpw',
      ['--imap', dv.url, '--smtp', smtp.url, '--password-cmd', 'echo not-the-password'],
      /authentication/,
    );
    expect(wrongPw.imap).toMatchObject({ ok: false, stage: 'authentication' });
    expect(wrongPw.smtp).toMatchObject({ ok: false, stage: 'authentication' });
    const noFolder = await diagnose(
      'nofolder',
      ['--imap', `${dv.url}/NoSuchFolder`, '--smtp', smtp.url, '--password-cmd', `printf %s ${dv.password}`],
      /folder/,
    );
    expect(noFolder.imap).toMatchObject({ ok: false, stage: 'folder', message: expect.stringContaining('NoSuchFolder') });
    expect(noFolder.smtp.ok).toBe(true);
    const refused = await diagnose(
      'refused',
      ['--imap', 'imap://support@127.0.0.1:1', '--smtp', 'smtp://support@127.0.0.1:1', '--password-env', 'SHOP_IMAP_PW'],
      /connection/,
    );
    expect(refused.imap).toMatchObject({ ok: false, stage: 'connection', message: expect.stringContaining('connection refused') });
    expect(refused.smtp).toMatchObject({ ok: false, stage: 'connection' });
    // TLS to a server that speaks plain text: the TLS stage, not a vague connection error.
    const tls = await diagnose(
      'tls',
      [
        '--imap',
        `imaps://support@127.0.0.1:${dv.port}`,
        '--smtp',
        `smtps://support@127.0.0.1:${smtp.port}`,
        '--password-env',
        'SHOP_IMAP_PW',
      ],
      /TLS/,
    );
    expect(tls.imap).toMatchObject({ ok: false, stage: 'TLS' });
    expect(tls.smtp).toMatchObject({ ok: false, stage: 'TLS' });
    const lookup = await diagnose(
      'nohost',
      [
        '--imap',
        'imap://support@no-such-host.invalid',
        '--smtp',
        'smtp://support@no-such-host.invalid',
        '--password-env',
        'SHOP_IMAP_PW',
        '--insecure',
      ],
      /name lookup/,
    );
    expect(lookup.imap).toMatchObject({ ok: false, stage: 'name lookup' });
    expect(lookup.smtp).toMatchObject({ ok: false, stage: 'name lookup' });
    // A password command that fails says so, without quoting what it printed.
    await run([
      'mailbox',
      'add',
      'badcmd',
      '--address',
      'b@shop.example',
      '--imap',
      dv.url,
      '--smtp',
      smtp.url,
      '--password-cmd',
      'echo leaked-secret; echo "gpg: decryption failed" >&2; exit 2',
    ]);
    const bc = await run(['mailbox', 'verify', 'badcmd']);
    expect(bc.stdout).toContain('password command failed (exit 2): gpg: decryption failed');
    expect(bc.stdout + bc.stderr).not.toContain('leaked-secret');
    // The doctor tests every mailbox's login the same way, names the broken ones, prints no secret.
    const doc = await run(['doctor', '--json'], { XDG_CONFIG_HOME: tempDir(), LANG: 'C.UTF-8' });
    expect(doc.code).toBe(1);
    const findings = JSON.parse(doc.stdout).findings as { check: string; status: string; message: string }[];
    expect(findings.filter((f) => f.check === 'mailbox support').every((f) => f.status === 'ok')).toBe(true);
    expect(findings.find((f) => f.check === 'mailbox wrongpw' && f.status === 'fail')?.message).toMatch(/authentication/i);
    expect(findings.find((f) => f.check === 'mailbox badcmd' && f.status === 'fail')?.message).toContain('password command failed');
    expect(findings.find((f) => f.check === 'outbox')).toMatchObject({ status: 'ok' });
    expect(doc.stdout + doc.stderr).not.toContain('leaked-secret');
    expect(doc.stdout + doc.stderr).not.toContain(dv.password);
  });

  it('fetches mail into items, sends a reply through SMTP, and shows the outbox', async () => {
    await addMailbox();
    await dv.append(
      mailText({
        from: 'Jo Lee <jo@customer.example>',
        subject: 'Broken zipper',
        messageId: '<zip@customer.example>',
        body: 'The zipper broke.',
      }),
      folder,
    );
    const f = await run(['mail', 'fetch']);
    expect(f.code).toBe(0);
    expect(f.stderr).toMatch(/support C\d+: 1 new \(1 item\)/);
    const [item] = await allItems();
    expect(item).toMatchObject({ subject: 'Broken zipper', channel: 'email', customer: { email: 'jo@customer.example' } });
    expect((await run(['mail', 'fetch'])).stderr).toMatch(/0 new/);

    expect((await run(['item', 'reply', String(item.id), 'A new one is on its way.'])).code).toBe(0);
    const [queued] = await json<any[]>(['outbox']);
    expect(queued).toMatchObject({
      itemId: item.id,
      state: 'queued',
      channel: 'email',
      mailbox: 'support',
      author: 'sam',
      recipient: 'jo@customer.example',
    });
    const s = await run(['mail', 'send']);
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(new RegExp(`outbox ${queued.id} \\(#${item.id}\\) to jo@customer.example: sent`));
    expect(smtp.received).toHaveLength(1);
    expect(headerOf(smtp.received[0]!.raw, 'In-Reply-To')).toBe('<zip@customer.example>');
    expect(headerOf(smtp.received[0]!.raw, 'Subject')).toBe(`Re: Broken zipper [#${item.id}]`);
    expect(await json(['outbox', '--state', 'sent'])).toHaveLength(1);
    expect((await json(['item', 'show', String(item.id)])).deliveries).toMatchObject([{ id: queued.id, state: 'sent' }]);
    expect((await run(['item', 'show', String(item.id)])).stdout).toMatch(/sam replied[^\n]*\n\s+✉ sent to jo@customer\.example/);

    // The customer answers the mail we sent: it joins the item.
    await dv.append(
      mailText({ from: 'jo@customer.example', subject: `Re: Broken zipper [#${item.id}]`, inReplyTo: queued.messageId, body: 'Thanks!' }),
      folder,
    );
    await run(['mail', 'fetch']);
    const shown = await json(['item', 'show', String(item.id)]);
    expect(shown.events.at(-1)).toMatchObject({ type: 'message', body: 'Thanks!' });
    expect(await allItems()).toHaveLength(1);

    // A refused reply is failed, said so by `mail send`'s exit code, listed, retried or cancelled by an agent.
    smtp.mode = '550';
    await run(['item', 'reply', String(item.id), 'One more thing.']);
    const refused = await run(['mail', 'send']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/failed: 550/);
    const [failed] = await json<any[]>(['outbox', '--state', 'failed']);
    expect(failed.lastError).toMatch(/550/);
    expect((await run(['outbox', 'cancel', String(failed.id)])).code).toBe(0);
    expect((await run(['outbox', 'cancel', String(failed.id)])).code).toBe(4);
    expect((await run(['outbox', 'retry', '999'])).code).toBe(3);
    expect((await json(['outbox', '--state', 'cancelled'])).map((e: any) => e.id)).toEqual([failed.id]);
  });

  it('loses nothing and doubles nothing when `mail fetch` is killed with -9 mid-batch', async () => {
    await addMailbox();
    const N = 150;
    for (let i = 1; i <= N; i++) await dv.append(mailText({ from: `c${i}@customer.example`, subject: `Message ${i}` }), folder);
    const child = spawn(process.execPath, [BIN, 'mail', 'fetch', '--verbose'], {
      env: { ...process.env, ...pwEnv, TANDEM_DB: db, TANDEM_AGENT: 'sam', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let lines = 0;
    const killed = new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        lines += (d.match(/\n/g) ?? []).length;
        if (lines >= 5 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    await killed;
    expect(child.signalCode).toBe('SIGKILL');
    const before = (await allItems()).length;
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThan(N);
    const again = await run(['mail', 'fetch']);
    expect(again.code).toBe(0);
    const list = await allItems();
    expect(list).toHaveLength(N);
    expect(new Set(list.map((i) => i.subject)).size).toBe(N);
    expect(await json(['mail', 'list', '--limit', '1000'])).toHaveLength(N);
  }, 60_000);

  it('two fetchers at once make each message exactly once', async () => {
    await addMailbox();
    const N = 40;
    for (let i = 1; i <= N; i++) await dv.append(mailText({ from: `d${i}@customer.example`, subject: `Twice ${i}` }), folder);
    // Two processes (the built binary), as two cron jobs would be.
    const fetch = () => runBinary(['mail', 'fetch'], { db, as: 'sam', env: pwEnv });
    const [a, b] = await Promise.all([fetch(), fetch()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const list = await allItems();
    expect(list).toHaveLength(N);
    expect(new Set(list.map((i) => i.subject)).size).toBe(N);
  }, 60_000);

  it('two fetchers in one process make each message exactly once, and a `mail run` after them sees new mail', async () => {
    await addMailbox();
    const N = 40;
    for (let i = 1; i <= N; i++) await dv.append(mailText({ from: `e${i}@customer.example`, subject: `Once ${i}` }), folder);
    // Two runs of main() at once in this process: nothing of one (store, connections, signals) may reach the other.
    const [a, b] = await Promise.all([run(['mail', 'fetch', '--json']), run(['mail', 'fetch', '--json'])]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const reports = [a, b].flatMap((r) => JSON.parse(r.stdout).mailboxes[0].messages as { uid: string; state: string }[]);
    expect(
      reports
        .filter((m) => m.state === 'applied')
        .map((m) => Number(m.uid))
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const list = await allItems();
    expect(list).toHaveLength(N);
    expect(new Set(list.map((i) => i.subject)).size).toBe(N);

    // The next run sees new mail by IDLE, even mail that arrives as its first fetch searches the folder.
    const daemon = spawn(process.execPath, [BIN, 'mail', 'run', '--send-every', '60'], {
      env: { ...process.env, ...pwEnv, TANDEM_DB: db, TANDEM_AGENT: 'sam', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    const exited = new Promise<number | null>((r) => daemon.on('exit', (code) => r(code)));
    const appended = new Promise<void>((resolve, reject) => {
      daemon.stderr.setEncoding('utf8').on('data', (d: string) => {
        const watching = /watching C\d+/.test(log);
        log += d;
        if (!watching && /watching C\d+/.test(log))
          dv.append(mailText({ from: 'live@customer.example', subject: 'Live after the fetchers' }), folder).then(resolve, reject);
      });
    });
    try {
      await appended;
      const end = Date.now() + 20_000;
      while ((await allItems()).length === N) {
        if (Date.now() > end) throw new Error(`timed out waiting for the new item; the daemon said:\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      daemon.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const after = await allItems();
    expect(after).toHaveLength(N + 1);
    expect(after.filter((i) => i.subject === 'Live after the fetchers')).toHaveLength(1);
  }, 60_000);

  it('`mail run` picks up new mail within seconds (IDLE), delivers replies, and stops cleanly', async () => {
    await addMailbox();
    const daemon = spawn(process.execPath, [BIN, 'mail', 'run', '--send-every', '1'], {
      env: { ...process.env, ...pwEnv, TANDEM_DB: db, TANDEM_AGENT: 'sam', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    daemon.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    const exited = new Promise<number | null>((r) => daemon.on('exit', (code) => r(code)));
    try {
      const until = async (what: () => Promise<boolean> | boolean, label: string) => {
        const end = Date.now() + 20_000;
        while (!(await what())) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${label}; the daemon said:\n${log}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      await until(() => /watching C\d+/.test(log), 'the watcher');
      await dv.append(mailText({ from: 'jo@customer.example', subject: 'Live mail', body: 'Arrived while watching.' }), folder);
      let item: any;
      await until(async () => (item = (await allItems())[0]) !== undefined, 'the new item');
      expect(item).toMatchObject({ subject: 'Live mail', customer: { email: 'jo@customer.example' } });
      await run(['item', 'reply', String(item.id), 'Seen it live.']);
      await until(() => smtp.received.length === 1, 'the reply at the SMTP server');
      expect(smtp.received[0]!.raw.toString()).toContain('Seen it live.');
      await until(async () => (await json<any[]>(['outbox']))[0]?.state === 'sent', 'the outbox to say sent');
      // The server restarts: the watcher notices, reconnects with backoff, and goes on.
      await dv.restart();
      await dv.append(mailText({ from: 'kim@customer.example', subject: 'After the restart' }), folder);
      await until(async () => (await allItems()).length === 2, 'mail after the server restarted');
      expect(log).toMatch(/support: .*reconnecting in 1 s/);
    } finally {
      daemon.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log).toMatch(/mail run: stopped/);
    expect(log).not.toContain(dv.password);
  }, 60_000);

  it("streams a script channel's replies with --follow and records the script's outcome with ack", async () => {
    const add = await run([
      'item',
      'add',
      '--subject',
      'Text me',
      '--customer',
      'p@customer.example',
      '--channel',
      'sms',
      '--body',
      'hi',
      '--json',
    ]);
    const item = JSON.parse(add.stdout);
    await run(['item', 'reply', String(item.id), 'Your parcel left the depot.']);
    const child = spawn(process.execPath, [BIN, 'outbox', '--channel', 'sms', '--follow', '--json'], {
      env: { ...process.env, TANDEM_DB: db, TANDEM_AGENT: 'sam' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`--follow exited ${code}`)));
    });
    const entry = JSON.parse(line);
    expect(entry).toMatchObject({ itemId: item.id, channel: 'sms', state: 'sending', body: 'Your parcel left the depot.' });
    const stopped = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await stopped;
    expect((await run(['outbox', 'ack', String(entry.id)])).code).toBe(0);
    expect((await json<any>(['outbox', '--channel', 'sms']))[0]).toMatchObject({ id: entry.id, state: 'sent' });
    expect((await run(['outbox', 'ack', String(entry.id), '--failed', ''])).code).toBe(5);
    expect((await run(['outbox', '--follow'])).code).toBe(2);
  }, 30_000);
});
