// `tandem import --format orders FILE`: orders from shop and payment exports (Shopify, WooCommerce,
// Stripe and the like), through the core: the customer by email or name, the order's reference,
// its net amount (refunds taken off) and currency, and its date. Idempotent by reference: a later
// export with a refund brings the amount up to date. Unpaid, failed, cancelled and fully refunded
// orders are no purchases and are skipped (counted; a fully refunded one imported earlier is removed);
// Shopify's extra line-item rows of an order are folded in.
import type { Ctx } from '../core/context.js';
import { recordOrder, removeRefundedOrder } from '../core/orders.js';
import { parseCsvDate } from './csv-dates.js';
import { detectColumns, looksLikeEmail, looksLikeNumber, squash, type FieldSpec } from './csv-detect.js';
import { inspectTable, type InspectReport } from './csv-inspect.js';
import { runRowsThroughCore, type RowTask } from './csv-core-import.js';
import { present, readCsvTable, type CsvRow, type CsvTable } from './csv-table.js';
import { parseMoneyCents } from './csv-values.js';
import { RecordError, bump, newReport, addProblem, type ImportOptions, type ImportReport } from './import-report.js';
import { usage } from '../core/errors.js';

export const ORDER_FIELDS = [
  'reference',
  'email',
  'name',
  'firstName',
  'lastName',
  'amount',
  'refunded',
  'currency',
  'orderedAt',
  'status',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

export interface OrdersOptions extends ImportOptions {
  map?: string[];
  dateFormat?: string;
  encoding?: string;
  delimiter?: string;
  /** The currency of every order when the file has no currency column. */
  currency?: string;
}

/** Payment states that are no purchase (yet): skipped, counted in the report. */
const NOT_A_PURCHASE = new Set([
  'pending',
  'failed',
  'voided',
  'void',
  'cancelled',
  'canceled',
  'authorized',
  'onhold',
  'draft',
  'expired',
  'abandoned',
  'unpaid',
  'declined',
  'incomplete',
  'requirespaymentmethod',
  'wcpending',
  'wcfailed',
  'wccancelled',
  'wconhold',
  'checkoutdraft',
]);
const FULLY_REFUNDED = new Set(['refunded', 'wcrefunded', 'fullyrefunded']);

function orderSpecs(dateFormat?: string): FieldSpec<OrderField>[] {
  const isDate = (v: string) => {
    try {
      parseCsvDate(v, 'date', dateFormat);
      return true;
    } catch {
      return false;
    }
  };
  const money = { test: looksLikeNumber, what: 'amounts', minShare: 0.6, exactToo: true };
  return [
    {
      field: 'reference',
      about: 'the order number (re-imports are idempotent by it)',
      names: [
        'order number',
        'order id',
        'order #',
        'order no',
        'order',
        'name',
        'order reference',
        'reference',
        'id',
        'charge id',
        'payment id',
        'invoice number',
        'number',
      ],
      contains: ['order', 'reference'],
      excludes: ['date', 'status', 'total', 'amount', 'currency', 'note', 'email', 'refund'],
      check: { test: (v) => v.trim().length <= 64 && !/\s/.test(v.trim()), what: 'order references', minShare: 0.95, exactToo: true },
    },
    {
      field: 'email',
      about: "the customer's email",
      names: ['email', 'customer email', 'billing email', 'email (billing)', 'customer email address', 'buyer email'],
      contains: ['email'],
      check: { test: looksLikeEmail, what: 'email addresses', minShare: 0.5, exactToo: true },
    },
    {
      field: 'name',
      about: "the customer's name",
      names: [
        'billing name',
        'customer name',
        'customer',
        'full name',
        'name (billing)',
        'shipping name',
        'buyer name',
        'card name',
        'customer description',
      ],
      contains: ['billingname', 'customername'],
    },
    { field: 'firstName', about: 'first name (WooCommerce)', names: ['first name (billing)', 'billing first name', 'first name'] },
    { field: 'lastName', about: 'last name (WooCommerce)', names: ['last name (billing)', 'billing last name', 'last name'] },
    {
      field: 'amount',
      about: 'the order total, in its currency',
      names: ['total', 'order total', 'order total amount', 'amount', 'grand total', 'total amount', 'gross', 'order amount', 'total paid'],
      contains: ['total', 'amount'],
      excludes: ['refund', 'tax', 'shipping', 'discount', 'subtotal', 'fee', 'converted', 'items', 'quantity', 'count'],
      check: money,
    },
    {
      field: 'refunded',
      about: 'the amount refunded (taken off the total)',
      names: ['refunded amount', 'amount refunded', 'refund', 'order refund', 'refunds', 'total refunded', 'refunded'],
      contains: ['refund'],
      excludes: ['date', 'reason', 'status'],
      check: money,
    },
    {
      field: 'currency',
      about: "the order's currency (or give --currency)",
      names: ['currency', 'order currency', 'currency code', 'presentment currency'],
      contains: ['currency'],
      excludes: ['converted'],
      check: { test: (v) => /^[A-Za-z]{3}$/.test(v.trim()), what: 'currency codes', minShare: 0.9, exactToo: true },
    },
    {
      field: 'orderedAt',
      about: 'when it was ordered (or paid)',
      names: [
        'created at',
        'order date',
        'date',
        'paid at',
        'created (utc)',
        'created date (utc)',
        'created',
        'date created',
        'order created',
        'processed at',
        'date paid',
      ],
      contains: ['created', 'date', 'paid at'],
      excludes: ['updated', 'refund', 'cancel', 'fulfilled', 'shipped', 'due', 'modified'],
      check: { test: isDate, what: 'dates', minShare: 0.6, exactToo: true },
    },
    {
      field: 'status',
      about: 'the payment state (unpaid, failed, cancelled: skipped; refunded: net 0)',
      names: ['financial status', 'payment status', 'order status', 'status'],
      contains: ['status'],
      excludes: ['fulfillment', 'shipping'],
    },
  ];
}

const REQUIRED: OrderField[][] = [['reference'], ['amount'], ['orderedAt'], ['email', 'name', 'firstName']];

function detect(table: CsvTable, opts: OrdersOptions, required: boolean) {
  return detectColumns(
    orderSpecs(opts.dateFormat),
    table.header,
    table.rows,
    opts.map,
    required ? REQUIRED.map((fields) => ({ fields })) : [],
  );
}

export function inspectOrders(file: string, opts: OrdersOptions = {}): InspectReport {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  return inspectTable(file, 'orders', table, detect(table, opts, false), REQUIRED);
}

interface OrderRow {
  line: number;
  reference: string;
  email: string | null;
  name: string | null;
  totalCents: number;
  refundedCents: number;
  currency: string;
  orderedAt: string;
  status: string;
}

export async function importOrders(ctx: Ctx, file: string, opts: OrdersOptions = {}): Promise<ImportReport> {
  const table = readCsvTable(file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const { columns } = detect(table, opts, true);
  if (!columns.has('currency') && !opts.currency) {
    throw usage(
      `no currency column (columns: ${table.header.join(', ')}); give --currency CODE (e.g. --currency EUR) or --map currency=COLUMN`,
    );
  }
  if (opts.currency && !/^[A-Za-z]{3}$/.test(opts.currency.trim()))
    throw usage(`--currency takes a 3-letter code like EUR (got ${JSON.stringify(opts.currency)})`);
  const report = newReport('orders', [file], Boolean(opts.dryRun));

  // First read every row, folding rows of one order together (Shopify writes one row per line item,
  // the totals only on the first; some exports write a refund as a row of its own with a negative amount).
  const orders = new Map<string, OrderRow>();
  for (const row of table.rows) {
    try {
      const r = readOrderRow(row, columns, opts, (ref) => orders.has(ref));
      if (!r) {
        bump(report.ignored, 'line-item row');
        continue;
      }
      const earlier = orders.get(r.reference);
      if (!earlier) {
        orders.set(r.reference, r);
      } else if (r.totalCents < 0) {
        earlier.refundedCents += -r.totalCents;
      } else if (r.totalCents === 0 && r.refundedCents === 0) {
        bump(report.ignored, 'line-item row');
      } else {
        throw new RecordError(`order ${r.reference} appears twice with totals (also line ${earlier.line})`);
      }
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      addProblem(report, { file, line: row.line, reason: e.message });
    }
  }

  const tasks: RowTask[] = [];
  for (const o of orders.values()) {
    const status = squash(o.status);
    if (NOT_A_PURCHASE.has(status)) {
      bump(report.ignored, `${o.status.trim().toLowerCase()} order`);
      continue;
    }
    const refunded = FULLY_REFUNDED.has(status) && o.refundedCents === 0 ? o.totalCents : o.refundedCents;
    tasks.push({
      line: o.line,
      run: async (session) => {
        if (o.totalCents < 0) throw new RecordError(`order ${o.reference}: a refund (${o.totalCents / 100}) for an order not in the file`);
        if (refunded > o.totalCents)
          throw new RecordError(`order ${o.reference}: refunds (${refunded / 100}) exceed the total (${o.totalCents / 100})`);
        const c = session.ctxAt(new Date(o.orderedAt));
        if (refunded === o.totalCents && o.totalCents > 0) {
          // Refunded in full: no purchase. One imported earlier, when it was paid, goes.
          if (await removeRefundedOrder(c, o.reference)) bump(report.updated, 'order removed as refunded in full');
          else bump(report.ignored, 'order refunded in full');
          return;
        }
        const r = await recordOrder(c, {
          reference: o.reference,
          customer: { email: o.email, name: o.name },
          amountCents: o.totalCents - refunded,
          currency: o.currency,
          orderedAt: o.orderedAt,
        });
        bump(r.outcome === 'added' ? report.added : r.outcome === 'updated' ? report.updated : report.unchanged, 'order');
        if (r.newCustomer) bump(report.added, 'customer');
        if (refunded > 0 && r.outcome !== 'unchanged') bump(report.flagged, 'order partly refunded (net amount kept)');
      },
    });
  }
  return runRowsThroughCore(ctx, file, report, tasks, opts);
}

function readOrderRow(
  row: CsvRow,
  columns: Map<OrderField, number>,
  opts: OrdersOptions,
  seen: (reference: string) => boolean,
): OrderRow | null {
  const cell = (f: OrderField) => {
    const i = columns.get(f);
    return i === undefined ? undefined : present(row.cells[i])?.trim();
  };
  const reference = cell('reference');
  if (!reference) throw new RecordError('reference: no order reference');
  const amount = cell('amount');
  // A Shopify line-item row: the reference of an order already read, or no totals and no date.
  if (amount === undefined && (seen(reference) || cell('orderedAt') === undefined)) return null;
  if (amount === undefined) throw new RecordError('amount: no order total');
  const orderedAtText = cell('orderedAt');
  if (!orderedAtText) throw new RecordError('orderedAt: no order date');
  const refundedText = cell('refunded');
  const name = cell('name') ?? ([cell('firstName'), cell('lastName')].filter(Boolean).join(' ') || null);
  const email = cell('email') ?? null;
  if (!email && !name) throw new RecordError('no customer (neither an email nor a name)');
  if (email && !looksLikeEmail(email)) throw new RecordError(`email: not an email address: ${JSON.stringify(email)}`);
  return {
    line: row.line,
    reference,
    email,
    name,
    totalCents: parseMoneyCents(amount, 'amount'),
    refundedCents: refundedText ? Math.abs(parseMoneyCents(refundedText, 'refunded')) : 0,
    currency: (cell('currency') ?? opts.currency ?? '').toUpperCase(),
    orderedAt: parseCsvDate(orderedAtText, 'orderedAt', opts.dateFormat),
    status: cell('status') ?? 'paid',
  };
}
