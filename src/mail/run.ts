// The long-running side of mail: one watcher per mailbox (IMAP IDLE, reconnecting with backoff) and
// a sender that delivers the outbox every few seconds. One mailbox's failure never stops the others;
// the console sees new mail and delivery states through the database, as any other change.
import type { ImapFlow } from 'imapflow';
import type { Agent } from '../core/agents.js';
import type { Ctx } from '../core/context.js';
import { fetchNew, type FetchOptions } from './fetch.js';
import { connectImap } from './imap.js';
import type { Mailbox } from './mailboxes.js';
import { sendQueue, type SendResult } from './send.js';

export interface RunOptions extends FetchOptions {
  signal: AbortSignal;
  log: (line: string) => void;
  /** Fetch even without an IDLE notice this often (a missed notice costs at most this long). */
  pollMs?: number;
  /** Deliver the outbox this often; 0 = never (fetch only). */
  sendEveryMs?: number;
  onSent?: (r: SendResult) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Watch one mailbox until aborted: fetch on connect, on every IDLE notice, and every pollMs. */
async function watchMailbox(ctx: Ctx, importer: Agent, mb: Mailbox, opts: RunOptions): Promise<void> {
  let backoff = 1_000;
  while (!opts.signal.aborted) {
    let client: ImapFlow | null = null;
    try {
      client = await connectImap(mb, opts.env);
      opts.log(`${mb.name}: connected to ${mb.imap.host}, watching ${mb.imap.folder}`);
      let wake: (() => void) | null = null;
      let closed = false;
      // New mail the server announced since the last fetch began. The server tells of a new message
      // once, in the reply to whatever command comes next: during a fetch, too, whose search may
      // already have been answered without it. Such a notice must make the next fetch start at once;
      // waiting for another would leave the message until the poll.
      let announced = false;
      client.on('exists', () => {
        announced = true;
        wake?.();
      });
      client.on('close', () => {
        closed = true;
        wake?.();
      });
      for (;;) {
        announced = false;
        const r = await fetchNew(ctx, importer, mb, client, opts);
        if (r.reset)
          opts.log(`${mb.name}: the server's UIDVALIDITY changed; rescanned ${mb.imap.folder} (Message-IDs keep it free of duplicates)`);
        backoff = 1_000;
        if (opts.signal.aborted) break;
        // Keep the folder selected so the server's IDLE notices arrive; wait for one (unless one came
        // already), the poll, or the end.
        if (!announced && !closed) {
          const lock = await client.getMailboxLock(mb.imap.folder);
          lock.release();
        }
        if (!announced && !closed)
          await new Promise<void>((resolve) => {
            const t = setTimeout(done, opts.pollMs ?? 60_000);
            function done() {
              clearTimeout(t);
              opts.signal.removeEventListener('abort', done);
              wake = null;
              resolve();
            }
            wake = done;
            opts.signal.addEventListener('abort', done, { once: true });
          });
        if (opts.signal.aborted) break;
        if (closed) throw new Error('the server closed the connection');
      }
    } catch (e) {
      if (opts.signal.aborted) break;
      opts.log(`${mb.name}: ${message(e)}; reconnecting in ${Math.round(backoff / 1000)} s`);
      await sleep(backoff, opts.signal);
      backoff = Math.min(backoff * 2, 5 * 60_000);
    } finally {
      if (client) await client.logout().catch(() => client!.close());
    }
  }
}

/** Deliver the outbox every sendEveryMs until aborted. */
async function sendLoop(ctx: Ctx, opts: RunOptions): Promise<void> {
  const every = opts.sendEveryMs ?? 5_000;
  while (!opts.signal.aborted) {
    try {
      await sendQueue(ctx, { env: opts.env, onResult: opts.onSent });
    } catch (e) {
      opts.log(`outbox: ${message(e)}`);
    }
    await sleep(every, opts.signal);
  }
}

/** `tandem mail run` (send on) and `tandem mail fetch --watch` (sendEveryMs 0). */
export async function runMail(ctx: Ctx, importer: Agent, mailboxes: Mailbox[], opts: RunOptions): Promise<void> {
  const tasks = mailboxes.map((mb) => watchMailbox(ctx, importer, mb, opts));
  if ((opts.sendEveryMs ?? 5_000) > 0) tasks.push(sendLoop(ctx, opts));
  await Promise.all(tasks);
}
