// Getting a mailbox's password when it is needed: from a command (run each time, like aerc's
// credential commands) or an environment variable. The password is never stored, logged or printed.
import { spawn } from 'node:child_process';
import { failure } from '../core/errors.js';
import type { Mailbox } from './mailboxes.js';

export async function mailboxPassword(mb: Mailbox, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (mb.passwordEnv) {
    const value = env[mb.passwordEnv];
    if (value === undefined || value === '')
      throw failure(`the environment variable ${mb.passwordEnv} (the mailbox's password) is not set`);
    return value;
  }
  if (mb.passwordCmd) return runPasswordCommand(mb.passwordCmd, env);
  return null;
}

function runPasswordCommand(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(failure(`the password command could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Only the command's stderr is ever quoted: its stdout is the secret.
      const why = err.trim().split('\n')[0]?.slice(0, 200) ?? '';
      if (code !== 0)
        return reject(failure(`the password command failed (${signal ? `killed by ${signal}` : `exit ${code}`})${why ? ': ' + why : ''}`));
      // Like pass(1): the first line is the password.
      const password = Buffer.concat(out).toString('utf8').split(/\r?\n/)[0] ?? '';
      if (!password) return reject(failure(`the password command printed nothing`));
      resolve(password);
    });
  });
}
