// `tandem mail send`: deliver the email outbox once. Replies a dead sender left half sent become
// uncertain first; then each due reply is claimed, handed to its mailbox's SMTP server and its outcome
// recorded. One mailbox's bad day (wrong password, server down) does not stop the others' mail.
import type { Ctx } from '../core/context.js';
import { getMailboxById } from './mailboxes.js';
import { claimDue, recordOutcome, recoverStaleSending, type DeliveryOutcome } from './outbox.js';
import type { OutboxState } from '../store/schema.js';
import { deliverMail } from './smtp.js';

export interface SendResult {
  id: number;
  itemId: number;
  recipient: string | null;
  state: OutboxState;
  detail: string;
}

export interface SendOptions {
  env?: NodeJS.ProcessEnv;
  /** Send replies waiting to retry now, instead of after their backoff. */
  ignoreBackoff?: boolean;
  onResult?: (r: SendResult) => void;
}

export async function sendQueue(ctx: Ctx, opts: SendOptions = {}): Promise<{ recovered: number; results: SendResult[] }> {
  const recovered = await recoverStaleSending(ctx);
  const results: SendResult[] = [];
  for (;;) {
    // Each reply gets one attempt per pass, even when its retry would be due again at once.
    const batch = await claimDue(ctx, 'email', { ignoreBackoff: opts.ignoreBackoff, limit: 20, exclude: results.map((r) => r.id) });
    if (batch.length === 0) break;
    for (const row of batch) {
      const mb = row.mailbox_id === null ? null : await getMailboxById(ctx.store.db, row.mailbox_id);
      let outcome: DeliveryOutcome;
      if (!mb) outcome = { kind: 'failed', error: 'its mailbox was removed' };
      else if (!row.raw || !row.recipient || !row.sender) outcome = { kind: 'failed', error: row.last_error ?? 'nothing to send' };
      else outcome = await deliverMail(mb, { from: row.sender, to: row.recipient }, Buffer.from(row.raw, 'base64'), opts.env);
      const state = await recordOutcome(ctx, row.id, outcome);
      const r: SendResult = {
        id: row.id,
        itemId: row.item_id,
        recipient: row.recipient,
        state,
        detail: outcome.kind === 'sent' ? outcome.response : outcome.error,
      };
      results.push(r);
      opts.onResult?.(r);
    }
  }
  return { recovered, results };
}
