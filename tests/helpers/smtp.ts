// A real SMTP server for tests (the smtp-server package) on a loopback port. It can accept, answer
// 451 or 550 to the message, or drop the connection after the message's data (the "maybe it took it"
// case). It checks the login, and keeps every message it accepted (and those it dropped after DATA).
import type net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { freePort } from './dovecot.js';

export type SmtpMode = 'accept' | '451' | '550' | 'drop-after-data';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  /** The mode the server was in: 'accept' or 'drop-after-data' (the message arrived whole either way). */
  mode: SmtpMode;
}

export class TestSmtp {
  readonly user = 'support';
  password = 'smtp-secret-Q7';
  mode: SmtpMode = 'accept';
  /** Modes for the next messages, used before `mode` (e.g. ['451'] then accept). */
  readonly next: SmtpMode[] = [];
  readonly received: Received[] = [];
  attempts = 0;
  private server: SMTPServer | null = null;
  private sockets = new Set<net.Socket>();

  private constructor(readonly port: number) {}

  /** Start on a free port, or on `port` (a server coming back). */
  static async start(port?: number): Promise<TestSmtp> {
    const s = new TestSmtp(port ?? (await freePort()));
    await s.listen();
    return s;
  }

  get url(): string {
    return `smtp://${this.user}@127.0.0.1:${this.port}`;
  }

  private listen(): Promise<void> {
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.user && auth.password === this.password) return cb(null, { user: auth.username });
        return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        const mode = this.next.shift() ?? this.mode;
        this.attempts++;
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          if (mode === 'accept') {
            this.received.push({ ...envelope, raw, mode });
            return cb(null);
          }
          if (mode === 'drop-after-data') {
            this.received.push({ ...envelope, raw, mode });
            for (const s of this.sockets) s.destroy();
            return;
          }
          const code = Number(mode);
          cb(
            Object.assign(new Error(code === 451 ? 'Try again later: greylisted' : 'Mailbox unavailable: no such user'), {
              responseCode: code,
            }),
          );
        });
      },
    });
    this.server = server;
    (server as unknown as { server: net.Server }).server.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

/** A header's value from raw mail (unfolded). */
export function headerOf(raw: Buffer | string, name: string): string | null {
  const text = raw.toString();
  const head = text.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
  return m ? m[1]!.trim() : null;
}
