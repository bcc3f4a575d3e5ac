// Mail server addresses as URLs: imaps://USER@HOST[:PORT][/FOLDER] and smtps://USER@HOST[:PORT].
// A URL never carries a password; plain (non-TLS) schemes are for loopback hosts or an explicit --insecure.
import { invalid } from '../core/errors.js';

export interface ServerAddress {
  kind: 'imap' | 'smtp';
  /** TLS from the first byte (imaps, smtps). Plain schemes still upgrade with STARTTLS when offered. */
  secure: boolean;
  host: string;
  port: number;
  user: string | null;
  /** IMAP only: the folder to read (default INBOX). */
  folder: string;
}

const DEFAULT_PORTS = { imaps: 993, imap: 143, smtps: 465, smtp: 587 } as const;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export function parseServerUrl(kind: 'imap' | 'smtp', text: string, opts: { insecure?: boolean } = {}): ServerAddress {
  const flag = `--${kind}`;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid(
      `${flag} must be a URL like ${kind}s://user@mail.example.com${kind === 'imap' ? '/INBOX' : ''} (got ${JSON.stringify(text)})`,
    );
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== kind && scheme !== `${kind}s`) throw invalid(`${flag} must start with ${kind}s:// (TLS) or ${kind}:// (got ${scheme}://)`);
  if (url.password) {
    throw invalid(`${flag} must not contain a password: give it with --password-cmd or --password-env (nothing was written)`);
  }
  if (!url.hostname) throw invalid(`${flag} needs a host name`);
  const secure = scheme === `${kind}s`;
  if (!secure && !isLoopback(url.hostname) && !opts.insecure) {
    throw invalid(
      `${flag} ${scheme}:// sends the password unencrypted; use ${kind}s://, or --insecure if you really mean it (only loopback hosts are allowed without it)`,
    );
  }
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[scheme as keyof typeof DEFAULT_PORTS];
  const path = decodeURIComponent(url.pathname.replace(/^\//, '')).trim();
  if (kind === 'smtp' && path) throw invalid(`${flag} takes no folder (got /${path})`);
  if (url.search || url.hash) throw invalid(`${flag} takes no ?query or #fragment`);
  return {
    kind,
    secure,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: url.username ? decodeURIComponent(url.username) : null,
    folder: kind === 'imap' ? path || 'INBOX' : '',
  };
}

/** The canonical URL stored and shown (never a password). */
export function formatServerUrl(a: ServerAddress): string {
  const scheme = a.kind + (a.secure ? 's' : '');
  const user = a.user ? encodeURIComponent(a.user) + '@' : '';
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  const folder = a.kind === 'imap' ? '/' + a.folder.split('/').map(encodeURIComponent).join('/') : '';
  return `${scheme}://${user}${host}:${a.port}${folder}`;
}
