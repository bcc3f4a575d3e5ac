// `tandem ingest`: JSON lines from scripts and webhooks, one item or one message per line, in the
// shapes `item add --json -` reads and `--json` prints, each through the core; every line's outcome
// is reported. External ids and Message-IDs already seen are reported as "exists", never duplicated.
import { z } from 'zod';
import { ItemJson } from './item-json.js';
import { findAgent, type Agent } from '../core/agents.js';
import type { Ctx } from '../core/context.js';
import { invalid } from '../core/errors.js';
import { parseItemId } from '../core/item-view.js';
import { createItem, customerMessage, note, reply } from '../core/items.js';
import { parseIsoStrict } from '../core/time.js';
import { inOneTransaction, type CoreSession } from './core-session.js';
import { Rollback, addProblem, bump, errorMessage, newReport, type ImportOptions, type ImportReport } from './import-report.js';

export interface LineOutcome {
  line: number;
  ok: boolean;
  /** created (a new item), added (a message/reply/note on an item), exists (seen before: nothing written). */
  outcome?: 'created' | 'added' | 'exists';
  kind?: 'item' | 'message' | 'reply' | 'note';
  itemId?: number;
  error?: string;
}

// Unknown fields are ignored, so an item printed by `item show --json` can be fed back in.
const ItemLine = ItemJson.extend({
  type: z.literal('item').optional(),
  messageId: z.string().nullish(),
  createdAt: z.string().optional(),
});

const MessageLine = z.object({
  type: z.enum(['message', 'reply', 'note']),
  item: z.union([z.number(), z.string()]).optional(),
  itemId: z.number().optional(),
  externalId: z.string().optional(),
  body: z.string(),
  messageId: z.string().nullish(),
  /** For replies and notes: the agent's handle (default: who runs the command). */
  as: z.string().optional(),
  author: z.object({ handle: z.string().optional() }).passthrough().optional(),
  createdAt: z.string().optional(),
});

function zodReason(e: z.ZodError): string {
  const issue = e.issues[0]!;
  return `${issue.path.join('.') || 'line'}: ${issue.message}`;
}

export interface IngestResult {
  report: ImportReport;
  outcomes: LineOutcome[];
}

export async function ingestLines(ctx: Ctx, me: Agent, text: string, opts: ImportOptions = {}): Promise<IngestResult> {
  const report = newReport('ingest', ['stdin'], Boolean(opts.dryRun));
  const outcomes: LineOutcome[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  try {
    await inOneTransaction(ctx, async (session) => {
      for (const [i, raw] of lines.entries()) {
        const line = i + 1;
        opts.onProgress?.(i, lines.length);
        if (!raw.trim()) continue;
        try {
          const outcome = await session.record(() => ingestOne(session, ctx, me, raw));
          outcomes.push({ line, ok: true, ...outcome });
          if (outcome.outcome === 'exists') bump(report.unchanged, outcome.kind!);
          else bump(report.added, outcome.kind!);
        } catch (e) {
          const reason = errorMessage(e);
          outcomes.push({ line, ok: false, error: reason });
          addProblem(report, { file: 'stdin', line, reason });
        }
      }
      opts.onProgress?.(lines.length, lines.length);
      if (opts.dryRun || (report.problemCount > 0 && !opts.skipInvalid)) throw new Rollback(report);
    });
    report.written = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return { report, outcomes };
}

async function ingestOne(session: CoreSession, ctx: Ctx, me: Agent, raw: string): Promise<Omit<LineOutcome, 'line' | 'ok'>> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw invalid(`not valid JSON: ${errorMessage(e)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('each line must be a JSON object');
  const type = (value as { type?: unknown }).type;
  const at = (createdAt: string | undefined) => (createdAt ? new Date(parseIsoStrict('createdAt', createdAt)) : ctx.clock());
  const trx = session.trx;

  if (type === undefined || type === 'item') {
    const parsed = ItemLine.safeParse(value);
    if (!parsed.success) throw invalid(zodReason(parsed.error));
    const input = parsed.data;
    if (input.externalId) {
      const dup = await trx.selectFrom('items').select('id').where('external_id', '=', input.externalId.trim()).executeTakeFirst();
      if (dup) return { outcome: 'exists', kind: 'item', itemId: dup.id };
    }
    if (input.messageId) {
      const dup = await trx.selectFrom('events').select('item_id').where('message_id', '=', input.messageId).executeTakeFirst();
      if (dup) return { outcome: 'exists', kind: 'item', itemId: dup.item_id };
    }
    const c = input.customer;
    const customer =
      typeof c === 'object' && c !== null
        ? c.email
          ? { name: c.name, email: c.email, phone: c.phone, company: c.company }
          : c.id
            ? `#${c.id}`
            : { name: c.name }
        : c;
    const view = await createItem(session.ctxAt(at(input.createdAt)), me, { ...input, customer });
    return { outcome: 'created', kind: 'item', itemId: view.id };
  }

  if (type === 'message' || type === 'reply' || type === 'note') {
    const parsed = MessageLine.safeParse(value);
    if (!parsed.success) throw invalid(zodReason(parsed.error));
    const m = parsed.data;
    let itemId: number;
    if (m.externalId) {
      const row = await trx.selectFrom('items').select('id').where('external_id', '=', m.externalId).executeTakeFirst();
      if (!row) throw invalid(`no item with external id ${JSON.stringify(m.externalId)}`);
      itemId = row.id;
    } else if (m.item !== undefined || m.itemId !== undefined) {
      itemId = parseItemId(m.item ?? m.itemId!);
    } else {
      throw invalid(`a ${m.type} line needs "item" (an item id) or "externalId"`);
    }
    if (m.messageId) {
      const dup = await trx.selectFrom('events').select('item_id').where('message_id', '=', m.messageId).executeTakeFirst();
      if (dup) return { outcome: 'exists', kind: m.type, itemId: dup.item_id };
    }
    const c = session.ctxAt(at(m.createdAt));
    if (m.type === 'message') {
      await customerMessage(c, itemId, m.body, { messageId: m.messageId });
    } else {
      const handle = m.as ?? m.author?.handle;
      const agent = handle ? await findAgent(trx, handle) : me;
      if (m.type === 'reply') await reply(c, agent, itemId, m.body, { messageId: m.messageId });
      else await note(c, agent, itemId, m.body);
    }
    return { outcome: 'added', kind: m.type, itemId };
  }
  throw invalid(`unknown line type ${JSON.stringify(type)} (item, message, reply or note)`);
}
