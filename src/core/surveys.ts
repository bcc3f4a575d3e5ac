// Surveys: CSAT (1-5) and NPS (0-10) answers, for an item or for a customer.
import type { Agent } from './agents.js';
import type { Ctx } from './context.js';
import { findCustomer } from './customers.js';
import { invalid } from './errors.js';
import { applyChange, loadItemRow } from './item-mutate.js';
import { parseIsoStrict } from './time.js';
import { SURVEY_KINDS, parseEnum, type SurveyKind } from './vocabulary.js';
import { forgetKpiDays } from './kpi-days.js';

export interface Survey {
  id: number;
  kind: SurveyKind;
  score: number;
  comment: string | null;
  /** Null for an anonymous answer. */
  customerId: number | null;
  itemId: number | null;
  createdAt: string;
}

export const SCORE_RANGE: Record<SurveyKind, [number, number]> = { csat: [1, 5], nps: [0, 10] };

export interface NewSurvey {
  kind: string;
  score: number | string;
  comment?: string | null;
  itemId?: number | null;
  customer?: string | null;
  at?: string | null;
}

/** Record a survey answer. On an item it also appears in the item's timeline (a customer event). */
export async function addSurvey(ctx: Ctx, _agent: Agent, input: NewSurvey): Promise<Survey> {
  const kind = parseEnum('survey kind', SURVEY_KINDS, input.kind);
  const score = typeof input.score === 'number' ? input.score : Number(String(input.score).trim());
  const [lo, hi] = SCORE_RANGE[kind];
  if (!Number.isInteger(score) || score < lo || score > hi) {
    throw invalid(`a ${kind.toUpperCase()} score is a whole number from ${lo} to ${hi} (got ${JSON.stringify(input.score)})`);
  }
  if (!input.itemId && !input.customer) throw invalid('a survey needs an item (--item ID) or a customer (--customer EMAIL)');
  const at = input.at ? parseIsoStrict('survey time', input.at) : ctx.clock().toISOString();
  const comment = input.comment?.trim() || null;
  return ctx.store.write(async (trx) => {
    let customerId: number;
    let itemId: number | null = null;
    if (input.itemId) {
      const row = await loadItemRow(trx, input.itemId);
      if (!row.customer_id) throw invalid(`item #${row.id} has no customer to answer a survey`);
      if (input.customer) {
        const c = await findCustomer(trx, input.customer);
        if (c.id !== row.customer_id) throw invalid(`item #${row.id} belongs to another customer`);
      }
      customerId = row.customer_id;
      itemId = row.id;
      await applyChange(
        trx,
        row,
        { type: 'customer', customerId },
        {
          set: {},
          events: [{ type: 'survey', body: comment, data: { kind, score } }],
        },
        ctx.clock().toISOString(),
      );
    } else {
      customerId = (await findCustomer(trx, input.customer!)).id;
    }
    const r = await trx
      .insertInto('surveys')
      .values({ kind, score, comment, customer_id: customerId, item_id: itemId, created_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    await forgetKpiDays(trx, [at]);
    return { id: r.id, kind, score: r.score, comment: r.comment, customerId: r.customer_id, itemId: r.item_id, createdAt: r.created_at };
  });
}

export interface SurveyAnswer {
  kind: SurveyKind;
  score: number;
  comment: string | null;
  at: string;
  /** Null for an anonymous answer. */
  customerId: number | null;
  itemId: number | null;
  /** The answer's id in the survey tool (re-recording it changes nothing). */
  externalId: string;
}

/**
 * Record an imported answer once (by its external id): on an item it is also a customer event in the
 * item's timeline, at the answer's time. Returns false when it was recorded before.
 */
export async function recordSurveyAnswer(ctx: Ctx, a: SurveyAnswer): Promise<boolean> {
  const [lo, hi] = SCORE_RANGE[a.kind];
  if (!Number.isInteger(a.score) || a.score < lo || a.score > hi)
    throw invalid(`a ${a.kind.toUpperCase()} score is a whole number from ${lo} to ${hi} (got ${a.score})`);
  return ctx.store.write(async (trx) => {
    const seen = await trx.selectFrom('surveys').select('id').where('external_id', '=', a.externalId).executeTakeFirst();
    if (seen) return false;
    if (a.itemId !== null) {
      const row = await loadItemRow(trx, a.itemId);
      await applyChange(
        trx,
        row,
        row.customer_id ? { type: 'customer', customerId: row.customer_id } : { type: 'system' },
        {
          set: {},
          events: [{ type: 'survey', body: a.comment, data: { kind: a.kind, score: a.score, imported: true } }],
        },
        a.at > row.updated_at ? a.at : row.updated_at,
      );
    }
    await trx
      .insertInto('surveys')
      .values({
        kind: a.kind,
        score: a.score,
        comment: a.comment,
        customer_id: a.customerId,
        item_id: a.itemId,
        created_at: a.at,
        external_id: a.externalId,
      })
      .execute();
    await forgetKpiDays(trx, [a.at]);
    return true;
  });
}
