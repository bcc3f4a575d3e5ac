// `tandem mailbox …`, `tandem mail …` and `tandem outbox …`: email as a real channel, and the outbox
import type { Command } from 'commander';
import { lazyAction, withJson } from '../command-kit.js';
import type * as run from './mail.run.js';
import { invalid } from '../../core/errors.js';

// The work is in mail.run.ts, loaded only when one of these commands runs.
const load = () => import('./mail.run.js');
const toInt = (what: string) => (v: string) => {
  if (!/^\d+$/.test(v.trim())) throw invalid(`${what} takes a whole number (got ${JSON.stringify(v)})`);
  return Number(v);
};

export function registerMailCommands(program: Command): void {
  // ------------------------------------------------------------------------------------------
  const mailbox = program.command('mailbox').description('mailboxes: support or service addresses with their IMAP and SMTP servers');

  withJson(mailbox.command('add'))
    .description('add a mailbox; the password comes from --password-cmd or --password-env, never the command line')
    .argument('<name>', 'a short name, e.g. support')
    .requiredOption('--address <email>', 'the address customers write to (Reply-To of every reply)')
    .requiredOption('--imap <url>', 'imaps://USER@HOST[:PORT][/FOLDER] (folder default INBOX)')
    .requiredOption('--smtp <url>', 'smtps://USER@HOST[:PORT] (smtp:// uses STARTTLS when offered)')
    .option('--role <role>', 'role of items its mail opens: support | service', 'support')
    .option('--from-name <name>', "sender name on replies (default: the replying agent's name)")
    .option('--password-cmd <command>', "a command that prints the password, run each time (e.g. 'pass show shop/mail')")
    .option('--password-env <VAR>', 'the name of an environment variable holding the password')
    .option('--insecure', 'allow plain imap:// or smtp:// to a host that is not loopback')
    .action(lazyAction(load, (m, deps, name: string, o: run.AddFlags) => m.runAdd({ ...o, name }, deps)));

  withJson(mailbox.command('list'))
    .description('list mailboxes (never their passwords)')
    .action(lazyAction(load, (m, deps) => m.runList({}, deps)));

  withJson(mailbox.command('show'))
    .description('a mailbox with its fetch cursors and its mail and outbox counts')
    .argument('<name>')
    .action(lazyAction(load, (m, deps, name: string) => m.runShow({ name }, deps)));

  withJson(mailbox.command('verify'))
    .description('log in to both servers and say exactly what failed: name lookup, connection, TLS, authentication, missing folder')
    .argument('<name>')
    .action(lazyAction(load, (m, deps, name: string) => m.runVerify({ name }, deps)));

  withJson(mailbox.command('remove'))
    .description('remove a mailbox (refused while replies wait to go out through it)')
    .argument('<name>')
    .action(lazyAction(load, (m, deps, name: string) => m.runRemove({ name }, deps)));

  // ------------------------------------------------------------------------------------------
  const mail = program.command('mail').description('fetch mail into items and deliver replies');

  withJson(mail.command('fetch'))
    .description('fetch new mail from every mailbox (or one) into items; fetching again adds nothing')
    .option('--mailbox <name>', 'only this mailbox')
    .option('--watch', 'stay connected (IMAP IDLE), fetch new mail within seconds, reconnect with backoff; Ctrl-C stops')
    .option('-v, --verbose', 'a line per message as it is committed')
    .option(
      '--since <when>',
      'only mail received on or after this day (e.g. 2026-03-01 or 30d): a first fetch that skips years of old mail',
    )
    .action(lazyAction(load, (m, deps, o: run.FetchOptions) => m.runFetch(o, deps)));

  withJson(mail.command('send'))
    .description('deliver the email outbox once (replies waiting to retry go when their backoff ends)')
    .option('--now', 'also send replies waiting to retry now, without waiting for their backoff')
    .action(lazyAction(load, (m, deps, o: run.SendOptions) => m.runSend(o, deps)));

  mail
    .command('run')
    .description('the mail daemon: watch every mailbox (IDLE) and deliver the outbox, until Ctrl-C')
    .option('--mailbox <name>', 'only this mailbox')
    .option('--send-every <seconds>', 'how often the outbox is delivered', toInt('--send-every'), 5)
    .action(lazyAction(load, (m, deps, o: run.RunOptions) => m.runRun(o, deps)));

  withJson(mail.command('list'))
    .description('fetched mail, newest first; --failed for messages that could not be applied (kept)')
    .option('--failed', 'only messages that failed')
    .option('--state <state>', 'applied | duplicate | skipped | failed')
    .option('-n, --limit <n>', 'at most', toInt('--limit'), 100)
    .action(lazyAction(load, (m, deps, o: run.List2Options) => m.runList2(o, deps)));

  mail
    .command('show')
    .description("write a fetched message's raw bytes to standard output (e.g. to re-import or inspect a failed one)")
    .argument('<id>', 'id from `tandem mail list`')
    .action(lazyAction(load, (m, deps, id: string) => m.runShow2({ id }, deps)));

  // ------------------------------------------------------------------------------------------
  const ob = withJson(program.command('outbox'))
    .description('replies waiting for delivery, and what became of them; scripts deliver other channels with --follow and ack')
    .option('--state <state>', 'queued | sending | retry | sent | failed | uncertain | cancelled')
    .option('--channel <channel>', 'email, sms, whatsapp, chat, social')
    .option('--item <id>', "only this item's replies")
    .option('--follow', 'stream replies of --channel as they are queued, taking each for delivery (then `outbox ack ID`)')
    .option('-n, --limit <n>', 'at most', toInt('--limit'), 200)
    .action(lazyAction(load, (m, deps, o: run.OutboxOptions) => m.runOutbox(o, deps)));

  const outboxAction = (verb: 'retry' | 'cancel' | 'ack', description: string) =>
    withJson(ob.command(verb))
      .description(description)
      .argument('<id>', 'outbox id (see tandem outbox)')
      .action(lazyAction(load, (m, deps, id: string, o: { failed?: string }) => m.runOutboxChange(verb, { ...o, id }, deps)));

  outboxAction('retry', 'send a failed, uncertain or retrying reply again (now); the same mail, the same Message-ID');
  outboxAction('cancel', 'never send this reply (it stays in the thread as written)');
  outboxAction('ack', "record a script's delivery: sent, or --failed REASON").option(
    '--failed <reason>',
    "the delivery failed, with the provider's words",
  );
}
