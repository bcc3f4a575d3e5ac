// `tandem import --format surveys FILE --kind csat|nps`: answers from survey and review exports,
// through the core. Each answer is linked by whatever the row has: an item's external id (that
// item and its customer), an order reference (that order's customer), or an email (that customer,
// made if new). A row with no link is an anonymous answer (counted); a score outside the scale is a
// bad record; a row with no score at all (a survey offered, never answered) is skipped and counted.
import type { Ctx } from '../core/context.js';
import { findOrCreateCustomerByNameOrEmail } from '../core/customers.js';
import { usage } from '../core/errors.js';
import { customerOfOrder } from '../core/orders.js';
import { SCORE_RANGE, recordSurveyAnswer } from '../core/surveys.js';
import { SURVEY_KINDS, parseEnum, type SurveyKind } from '../core/vocabulary.js';
import { parseCsvDate } from './csv-dates.js';
import { detectColumns, looksLikeEmail, type FieldSpec } from './csv-detect.js';
import { inspectTable, type InspectReport } from './csv-inspect.js';
import { runRowsThroughCore, type RowTask } from './csv-core-import.js';
import { present, readCsvTable, type CsvTable } from './csv-table.js';
import { parseScore } from './csv-values.js';
import { fallbackExternalId } from './csv-identity.js';
import { RecordError, bump, newReport, type ImportOptions, type ImportReport } from './import-report.js';

export const SURVEY_FIELDS = ['responseId', 'score', 'comment', 'createdAt', 'email', 'orderReference', 'itemExternalId'] as const;
export type SurveyField = (typeof SURVEY_FIELDS)[number];

export interface SurveysOptions extends ImportOptions {
  kind?: string;
  map?: string[];
  dateFormat?: string;
  encoding?: string;
  delimiter?: string;
  /** Put before item external ids, as given to the items' import (e.g. zendesk:). */
  idPrefix?: string;
}

/** Zendesk's satisfaction export says good or bad: satisfied (5) or not (1) on the CSAT scale. */
const CSAT_WORDS: Record<string, number> = { good: 5, bad: 1, satisfied: 5, unsatisfied: 1, dissatisfied: 1 };

function surveySpecs(dateFormat?: string): FieldSpec<SurveyField>[] {
  const isDate = (v: string) => {
    try {
      parseCsvDate(v, 'date', dateFormat);
      return true;
    } catch {
      return false;
    }
  };
  return [
    {
      field: 'responseId',
      about: "the answer's id in the survey tool (re-imports are idempotent by it)",
      names: ['response id', 'respondent id', 'survey response id', 'id', 'response', 'rating id', 'answer id', 'submission id', '#'],
      contains: ['responseid', 'respondentid', 'submissionid'],
      check: { test: (v) => v.trim().length <= 64 && !/\s/.test(v.trim()), what: 'ids', minShare: 0.95, exactToo: true },
    },
    {
      field: 'score',
      about: 'the score (CSAT 1–5, NPS 0–10)',
      names: ['score', 'rating', 'nps', 'csat', 'nps score', 'csat score', 'satisfaction', 'stars', 'rating score'],
      contains: ['likely', 'recommend', 'satisf', 'rating', 'score', 'stars'],
      excludes: ['comment', 'reason', 'date', 'id'],
      check: {
        test: (v) => parseScore(v) !== null || CSAT_WORDS[v.trim().toLowerCase()] !== undefined,
        what: 'scores',
        minShare: 0.6,
        exactToo: true,
      },
    },
    {
      field: 'comment',
      about: 'what the customer wrote',
      names: ['comment', 'comments', 'feedback', 'review', 'reason', 'why', 'text', 'body', 'message', 'verbatim', 'review text'],
      contains: ['comment', 'feedback', 'review', 'reason', 'why', 'verbatim', 'tellus'],
    },
    {
      field: 'createdAt',
      about: 'when it was answered',
      names: [
        'created at',
        'date',
        'submitted at',
        'submitted',
        'response date',
        'timestamp',
        'end date',
        'date submitted',
        'created',
        'responded at',
        'rated at',
        'updated at',
      ],
      contains: ['date', 'time', 'submitted', 'created', 'responded'],
      excludes: ['start', 'order', 'ticket'],
      check: { test: isDate, what: 'dates', minShare: 0.6, exactToo: true },
    },
    {
      field: 'email',
      about: "the customer's email (a link)",
      names: ['email', 'customer email', 'respondent email', 'email address', 'requester email', 'person email'],
      contains: ['email'],
      check: { test: looksLikeEmail, what: 'email addresses', minShare: 0.5, exactToo: true },
    },
    {
      field: 'orderReference',
      about: "an order reference (a link: that order's customer)",
      names: ['order', 'order number', 'order id', 'order reference', 'order #', 'order no'],
      contains: ['order'],
      excludes: ['date', 'total'],
    },
    {
      field: 'itemExternalId',
      about: "the item's external id (a link: that item and its customer)",
      names: [
        'ticket id',
        'ticket',
        'ticket number',
        'conversation id',
        'case id',
        'item',
        'item external id',
        'external id',
        'conversation #',
      ],
      contains: ['ticket', 'conversation', 'case'],
    },
  ];
}

function detect(table: CsvTable, opts: SurveysOptions, required: boolean) {
  return detectColumns(
    surveySpecs(opts.dateFormat),
    table.header,
    table.rows,
    opts.map,
    required ? [{ fields: ['score'] }, { fields: ['createdAt'] }] : [],
  );
}

export function inspectSurveys(file: string, opts: SurveysOptions = {}): InspectReport {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const detection = detect(table, opts, false);
  const report = inspectTable(file, 'surveys', table, detection, [['score'], ['createdAt']]);
  if (!(['email', 'orderReference', 'itemExternalId'] as const).some((f) => detection.columns.has(f))) {
    report.notes.push('No link column (email, order, ticket): every answer imports as anonymous.');
  }
  return report;
}

export async function importSurveys(ctx: Ctx, file: string, opts: SurveysOptions = {}): Promise<ImportReport> {
  if (!opts.kind) throw usage('--format surveys needs --kind csat or --kind nps (which scale the scores are on)');
  const kind: SurveyKind = parseEnum('--kind', SURVEY_KINDS, opts.kind.trim().toLowerCase());
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const { columns } = detect(table, opts, true);
  const report = newReport('surveys', [file], Boolean(opts.dryRun));
  const occurrences = new Map<string, number>();
  const [lo, hi] = SCORE_RANGE[kind];
  const tasks: RowTask[] = table.rows.map((row) => ({
    line: row.line,
    run: async (session) => {
      const cell = (f: SurveyField) => {
        const i = columns.get(f);
        return i === undefined ? undefined : present(row.cells[i])?.trim();
      };
      const scoreText = cell('score');
      if (scoreText === undefined) return bump(report.ignored, 'row without a score (not answered)');
      const word = kind === 'csat' ? CSAT_WORDS[scoreText.toLowerCase()] : undefined;
      if (word === undefined && ['offered', 'unoffered'].includes(scoreText.toLowerCase()))
        return bump(report.ignored, 'row without a score (not answered)');
      const score = word ?? parseScore(scoreText);
      if (score === null) throw new RecordError(`score: ${JSON.stringify(scoreText)} is not a number`);
      if (score < lo || score > hi) throw new RecordError(`score: ${score} is outside the ${kind.toUpperCase()} scale ${lo}–${hi}`);
      const createdAtText = cell('createdAt');
      if (!createdAtText) throw new RecordError('createdAt: no date');
      const at = parseCsvDate(createdAtText, 'createdAt', opts.dateFormat);
      const comment = cell('comment') ?? null;
      const trx = session.trx;

      // The links, most specific first.
      let itemId: number | null = null;
      let customerId: number | null = null;
      let newCustomer = false;
      const itemRef = cell('itemExternalId');
      const orderRef = cell('orderReference');
      const email = cell('email');
      if (itemRef) {
        const item = await trx
          .selectFrom('items')
          .select(['id', 'customer_id'])
          .where('external_id', '=', (opts.idPrefix ?? '') + itemRef)
          .executeTakeFirst();
        if (item) {
          itemId = item.id;
          customerId = item.customer_id;
        }
      }
      if (customerId === null && orderRef) customerId = await customerOfOrder(session.ctxAt(new Date(at)), orderRef);
      if (customerId === null && email) {
        if (!looksLikeEmail(email)) throw new RecordError(`email: not an email address: ${JSON.stringify(email)}`);
        const found = await findOrCreateCustomerByNameOrEmail(trx, { email }, at);
        customerId = found.customer.id;
        newCustomer = found.created;
      }
      if (customerId === null && itemId === null && (itemRef || orderRef)) {
        throw new RecordError(
          itemRef
            ? `no item with external id ${JSON.stringify((opts.idPrefix ?? '') + itemRef)} (import the items first)`
            : `no order ${JSON.stringify(orderRef)} (import the orders first)`,
        );
      }
      const responseId = cell('responseId');
      const externalId =
        `${kind}:` +
        (responseId
          ? `${opts.idPrefix ?? ''}${responseId}`
          : fallbackExternalId([String(score), at, comment ?? '', email ?? '', orderRef ?? '', itemRef ?? ''], occurrences));
      const added = await recordSurveyAnswer(session.ctxAt(new Date(at)), { kind, score, comment, at, customerId, itemId, externalId });
      if (!added) return bump(report.unchanged, 'survey');
      bump(report.added, 'survey');
      if (newCustomer) bump(report.added, 'customer');
      if (customerId === null) bump(report.flagged, 'anonymous response (no email, order or item to link it to)');
    },
  }));
  return runRowsThroughCore(ctx, file, report, tasks, opts, () => occurrences.clear());
}
