// Saying exactly what failed when talking to a mail server: name lookup, connection, TLS,
// authentication or a missing folder, in one sentence a person can act on.
import type { ServerAddress } from './server-url.js';

export type ConnectStage = 'password' | 'name lookup' | 'connection' | 'TLS' | 'authentication' | 'folder' | 'server';

export interface ConnectProblem {
  stage: ConnectStage;
  message: string;
}

function field(e: unknown, key: string): unknown {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
}

export function describeConnectError(e: unknown, a: ServerAddress): ConnectProblem {
  const code = String(field(e, 'code') ?? '');
  const raw = e instanceof Error ? e.message : String(e);
  const where = `${a.kind.toUpperCase()} ${a.host}:${a.port}`;
  const response = String(field(e, 'response') ?? field(e, 'responseText') ?? '').trim();
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EDNS' || /getaddrinfo|ENOTFOUND|EAI_AGAIN/.test(raw)) {
    return { stage: 'name lookup', message: `${where}: name lookup failed: no address for ${a.host}` };
  }
  if (field(e, 'authenticationFailed') === true || code === 'EAUTH' || (/authenticat/i.test(raw) && !/TLS/i.test(raw))) {
    return {
      stage: 'authentication',
      message: `${where}: authentication failed for ${a.user ?? '(no user)'}${response ? `: ${response}` : ''}`,
    };
  }
  if (
    code === 'ETLS' ||
    /^ERR_(TLS|SSL)/.test(code) ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) ||
    /certificate|ssl|tls|wrong version number/i.test(raw)
  ) {
    return { stage: 'TLS', message: `${where}: TLS failed: ${raw}` };
  }
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(raw))
    return { stage: 'connection', message: `${where}: connection refused (nothing listens there?)` };
  if (
    [
      'ETIMEDOUT',
      'ECONNRESET',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ECONNECTION',
      'ESOCKET',
      'NoConnection',
      'EPIPE',
      'ClosedAfterConnectTLS',
      'ClosedAfterConnectText',
    ].includes(code) ||
    /timed? ?out|connection (closed|reset|lost)|socket/i.test(raw)
  ) {
    return { stage: 'connection', message: `${where}: connection failed: ${raw}` };
  }
  return { stage: 'server', message: `${where}: ${raw}${response && !raw.includes(response) ? `: ${response}` : ''}` };
}

/** An Error carrying the stage, so callers can tell a wrong password from a server that is down. */
export class MailConnectError extends Error {
  constructor(readonly problem: ConnectProblem) {
    super(problem.message);
    this.name = 'MailConnectError';
  }
}

/** The mailbox's password, or a MailConnectError at the 'password' stage. */
export async function passwordOrStage<T>(get: () => Promise<T>): Promise<T> {
  try {
    return await get();
  } catch (e) {
    throw new MailConnectError({ stage: 'password', message: e instanceof Error ? e.message : String(e) });
  }
}
