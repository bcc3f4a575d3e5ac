// A real IMAP server for tests: Dovecot from Debian's packages, started WITHOUT root privileges on a
// loopback port with a throwaway config and a passwd-file user, stopped on every way out. When the
// tests run as root (CI), Dovecot runs as `nobody` through setpriv; otherwise as the current user.
// When Dovecot is missing the tests skip and say so, except under CI, where its absence is a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { test } from 'vitest';
import { tempDir } from './core.js';

const DOVECOT = '/usr/sbin/dovecot';

export const dovecotMissing: string | null = fs.existsSync(DOVECOT)
  ? null
  : `Dovecot is not installed (${DOVECOT}); install dovecot-imapd (Debian) to run the IMAP tests`;

/**
 * Call at the top of a test file that needs Dovecot: true when present. When absent it says why, and
 * under CI it adds a failing test instead of letting the file skip quietly.
 */
export function dovecotPresent(): boolean {
  if (!dovecotMissing) return true;
  if (process.env.CI) {
    test('Dovecot is installed (required when CI is set)', () => {
      throw new Error(dovecotMissing!);
    });
  } else {
    console.warn(`skipping IMAP tests: ${dovecotMissing}`);
  }
  return false;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-p.pid!, signal);
  } catch {
    // already gone
  }
}
process.once('exit', () => {
  for (const p of running) killGroup(p, 'SIGKILL');
});

export class Dovecot {
  readonly user = 'support';
  readonly password = 'test-secret-Kx9';
  private child: ChildProcess | null = null;
  private clientValue: ImapFlow | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<Dovecot> {
    const dir = tempDir('tandem-dovecot-');
    const dv = new Dovecot(dir, await freePort());
    await dv.launch();
    return dv;
  }

  get url(): string {
    return `imap://${this.user}@127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const root = process.getuid?.() === 0;
    const uid = root ? 65534 : process.getuid!();
    const gid = root ? 65534 : process.getgid!();
    const userName = root ? 'nobody' : os.userInfo().username;
    const groupName = spawnSync('getent', ['group', String(gid)], { encoding: 'utf8' }).stdout.split(':')[0] || String(gid);
    const d = this.dir;
    for (const sub of ['run', 'state', 'home']) fs.mkdirSync(path.join(d, sub), { recursive: true });
    fs.writeFileSync(path.join(d, 'passwd'), `${this.user}:{PLAIN}${this.password}:${uid}:${gid}::${d}/home/${this.user}::\n`);
    fs.writeFileSync(
      path.join(d, 'dovecot.conf'),
      `
protocols = imap
listen = 127.0.0.1
base_dir = ${d}/run
state_dir = ${d}/state
log_path = ${d}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${userName}
default_internal_group = ${groupName}
default_login_user = ${userName}
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${d}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${d}/passwd
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
`,
    );
    if (root) chownTree(d, uid, gid);
    // setpriv: drop root when we have it, and take Dovecot down if this test process dies.
    const args = [
      ...(root ? ['--reuid=65534', '--regid=65534', '--clear-groups'] : []),
      '--pdeathsig',
      'KILL',
      DOVECOT,
      '-F',
      '-c',
      path.join(d, 'dovecot.conf'),
    ];
    // Its own process group, so stopping it takes its imap, auth and log processes too.
    const child = spawn('setpriv', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    this.child = child;
    running.add(child);
    child.once('exit', () => running.delete(child));
    const until = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${stderr}${this.log()}`);
      if (await canConnect(this.port)) return;
      if (Date.now() > until) throw new Error(`dovecot did not listen on ${this.port}: ${stderr}${this.log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** A logged-in client for seeding (APPEND) and changing folders. */
  async client(): Promise<ImapFlow> {
    if (this.clientValue?.usable) return this.clientValue;
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user: this.user, pass: this.password },
      logger: false,
    });
    c.on('error', () => undefined);
    await c.connect();
    this.clientValue = c;
    return c;
  }

  /** APPEND a message; `received` sets the server's internal date (when the server got it). */
  async append(raw: string | Buffer, folder = 'INBOX', received?: Date): Promise<void> {
    await (await this.client()).append(folder, raw, [], received);
  }

  /**
   * APPEND a message and return only once the server has it, with this whole process blocked meanwhile
   * (another process delivers it): for a test that puts mail on the server at an exact point inside
   * code running here, such as a fetch's callback.
   */
  appendBlocking(raw: string, folder: string): void {
    const r = spawnSync(process.execPath, ['-e', APPEND_SCRIPT], {
      input: raw,
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        ...process.env,
        IMAPFLOW: createRequire(import.meta.url).resolve('imapflow'),
        APPEND_PORT: String(this.port),
        APPEND_USER: this.user,
        APPEND_PASS: this.password,
        APPEND_FOLDER: folder,
      },
    });
    if (r.status !== 0) throw new Error(`could not append to ${folder}: ${r.stderr || r.error?.message}`);
  }

  /** Stop the server and start it again on the same port with the same mail (a server restart). */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async kill(): Promise<void> {
    if (this.clientValue) await this.clientValue.logout().catch(() => this.clientValue?.close());
    this.clientValue = null;
    const child = this.child;
    this.child = null;
    if (child) {
      const exited = child.exitCode === null ? new Promise((r) => child.once('exit', r)) : Promise.resolve();
      killGroup(child, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      // Client processes outlive the master on SIGTERM: end them as a crashed server would.
      killGroup(child, 'SIGKILL');
      running.delete(child);
    }
  }
}

/** appendBlocking's other process: the message on stdin, the server and folder in the environment. */
const APPEND_SCRIPT = `
const { ImapFlow } = require(process.env.IMAPFLOW);
const e = process.env;
const c = new ImapFlow({ host: '127.0.0.1', port: Number(e.APPEND_PORT), secure: false, auth: { user: e.APPEND_USER, pass: e.APPEND_PASS }, logger: false });
c.connect()
  .then(() => c.append(e.APPEND_FOLDER, require('node:fs').readFileSync(0)))
  .then(() => c.logout())
  .then(() => process.exit(0), (err) => { console.error(err.message); process.exit(1); });
`;

function chownTree(p: string, uid: number, gid: number): void {
  fs.chownSync(p, uid, gid);
  if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p)) chownTree(path.join(p, f), uid, gid);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('data', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    setTimeout(() => {
      s.destroy();
      resolve(false);
    }, 1000);
  });
}

let seq = 0;

/** A plain RFC 5322 message. */
export function mailText(o: {
  from: string;
  to?: string;
  subject: string;
  body?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  date?: string;
}): string {
  const id = o.messageId ?? `<t${++seq}.${process.pid}.${Date.now()}@customer.example>`;
  const lines = [
    `From: ${o.from}`,
    `To: ${o.to ?? 'support@shop.example'}`,
    `Subject: ${o.subject}`,
    `Date: ${o.date ?? new Date().toUTCString()}`,
    `Message-ID: ${id}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body ?? 'Hello',
    '',
  ];
  return lines.join('\r\n');
}
