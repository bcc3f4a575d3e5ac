// Live refresh on PostgreSQL: one dedicated connection LISTENs on 'tandem_changes' (a statement-level
// trigger NOTIFYs on every table a screen shows, migration 0001). When the server goes away the feed
// says so, reconnects with backoff, listens again, and signals a change (something may have happened
// while it was away).
import pg from 'pg';
import type { ChangeFeed, ChangeSignal } from '../store.js';

const CHANNEL = 'tandem_changes';

export class ListenFeed implements ChangeFeed {
  private readonly listeners = new Set<(s: ChangeSignal) => void>();
  private client: pg.Client | null = null;
  private stopped = true;
  private retry: NodeJS.Timeout | null = null;
  private backoffMs = 250;
  private online = true;

  constructor(
    private readonly url: string,
    private readonly location: string,
    private readonly ownBackends: ReadonlySet<number> = new Set(),
  ) {}

  subscribe(listener: (s: ChangeSignal) => void): () => void {
    this.listeners.add(listener);
    if (this.stopped) {
      this.stopped = false;
      void this.connect();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }

  private emit(s: ChangeSignal): void {
    for (const l of [...this.listeners]) l(s);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, keepAlive: true });
    this.client = client;
    // The feed's connection only while it is this.client: after a stop (and a subscribe that starts a new
    // one) its end is not news, and it must not reconnect beside the new one.
    const current = () => this.client === client && !this.stopped;
    let lost = false;
    const onLost = (reason: string) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => undefined);
      if (!current()) return;
      this.client = null;
      if (this.online) {
        this.online = false;
        this.emit({ type: 'offline', reason: `lost the connection to ${this.location}: ${reason}` });
      }
      this.retry = setTimeout(() => void this.connect(), this.backoffMs);
      this.backoffMs = Math.min(5_000, this.backoffMs * 2);
    };
    client.on('error', (e) => onLost(e.message));
    client.on('end', () => onLost('the server closed the connection'));
    client.on('notification', (n) => {
      // Our own commits are not news (the screen that made them already shows them).
      if (current() && n.channel === CHANNEL && !this.ownBackends.has(n.processId)) this.emit({ type: 'change' });
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (e) {
      onLost((e as Error).message);
      return;
    }
    if (!current()) {
      await client.end().catch(() => undefined);
      return;
    }
    this.backoffMs = 250;
    if (!this.online) {
      this.online = true;
      this.emit({ type: 'online' });
      this.emit({ type: 'change' });
    }
  }
}
