// Shop orders and survey answers from the exports shops and survey tools write, through the binary:
// the service KPIs (repeat purchase rate, lifetime value, NPS, CSAT) then show real figures.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runJson, runTandem } from '../helpers/cli-inproc.js';
import { tempDir } from '../helpers/core.js';
import { newDatabase } from '../helpers/store-target.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const orders = (name: string) => path.join(FIXTURES, 'orders', name);
const surveys = (name: string) => path.join(FIXTURES, 'surveys', name);
let dir: string;
let db: string;

beforeEach(async () => {
  dir = tempDir();
  db = await newDatabase('tandem');
  await runTandem(['init', '--handle', 'sam'], { db });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const exported = async () =>
  (await runTandem(['export'], { db, as: 'sam' })).stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const ordersOf = async () => (await exported()).filter((r) => r.type === 'order');
const surveysOf = async () => (await exported()).filter((r) => r.type === 'survey');
const customerByEmail = async (email: string) => (await exported()).find((r) => r.type === 'customer' && r.email === email);
const service = async (from: string, to: string) =>
  (await runJson(['kpi', '--role', 'service', '--from', from, '--to', to], { db, as: 'sam' })).service.figures;

describe('orders from shop and payment exports', () => {
  it('reads a Shopify export: line-item rows folded in, net of refunds, voided and fully refunded orders are no purchases', async () => {
    const r = await runJson(['import', '--format', 'orders', orders('shopify-orders.csv')], { db, as: 'sam' });
    expect(r.added).toEqual({ order: 3, customer: 2 });
    expect(r.ignored).toEqual({ 'line-item row': 1, 'voided order': 1, 'order refunded in full': 1 });
    const byRef = Object.fromEntries((await ordersOf()).map((o) => [o.reference, o]));
    expect(Object.keys(byRef).sort()).toEqual(['#1001', '#1002', '#1003']);
    expect(byRef['#1001']).toMatchObject({ amountCents: 6545, currency: 'EUR', orderedAt: '2024-03-01T09:04:12.000Z' });
    expect(byRef['#1002'].amountCents).toBe(120000); // 1,428.00 less 228.00 refunded
    const k = await service('2024-03-01T00:00:00Z', '2024-05-01T00:00:00Z');
    expect(k.repeatPurchaseRate).toMatchObject({ value: 0.5, count: 2 }); // Mara twice, Tom once
    expect(k.customerLifetimeValue.value).toBeCloseTo((89.25 + 1200) / 2, 6);
  });

  it('is idempotent by order reference, and a later export with a refund brings the order up to date', async () => {
    await runJson(['import', '--format', 'orders', orders('shopify-orders.csv')], { db, as: 'sam' });
    const again = await runJson(['import', '--format', 'orders', orders('shopify-orders.csv')], { db, as: 'sam' });
    expect(again.added).toEqual({});
    expect(again.unchanged.order).toBe(3);
    const later = path.join(dir, 'later.csv');
    const text = fs
      .readFileSync(orders('shopify-orders.csv'), 'utf8')
      .replace('#1003,mara@example.com,paid', '#1003,mara@example.com,refunded')
      .replace(
        '#1001,mara@example.com,paid,2024-03-01 10:05:00 +0100,fulfilled,2024-03-02 09:00:00 +0100,yes,EUR,50.00,5.00,10.45,65.45,,0.00,Standard,2024-03-01 10:04:12 +0100,1,Grinder,50.00,Mara Quinn,0.00',
        '#1001,mara@example.com,partially_refunded,2024-03-01 10:05:00 +0100,fulfilled,2024-03-02 09:00:00 +0100,yes,EUR,50.00,5.00,10.45,65.45,,0.00,Standard,2024-03-01 10:04:12 +0100,1,Grinder,50.00,Mara Quinn,5.45',
      );
    fs.writeFileSync(later, text);
    const r = await runJson(['import', '--format', 'orders', later], { db, as: 'sam' });
    expect(r.updated).toEqual({ order: 1, 'order removed as refunded in full': 1 });
    const byRef = Object.fromEntries((await ordersOf()).map((o) => [o.reference, o]));
    expect(byRef['#1001'].amountCents).toBe(6000);
    expect(byRef['#1003']).toBeUndefined();
    expect((await ordersOf()).length).toBe(2);
  });

  it('reads WooCommerce (first and last name, wc- statuses) and Stripe (charges, refunds, failures) exports', async () => {
    const woo = await runJson(['import', '--format', 'orders', orders('woocommerce-orders.csv')], { db, as: 'sam' });
    expect(woo.added).toEqual({ order: 3, customer: 2 });
    expect(woo.ignored).toEqual({ 'wc-cancelled order': 1 });
    expect((await customerByEmail('ada@example.com')).name).toBe('Ada Lovelace');
    const stripe = await runJson(['import', '--format', 'orders', orders('stripe-payments.csv')], { db, as: 'sam' });
    expect(stripe.added).toEqual({ order: 2, customer: 1 });
    expect(stripe.ignored).toEqual({ 'failed order': 1, 'order refunded in full': 1 });
    const ch4 = (await ordersOf()).find((o) => o.reference === 'ch_3Oa4');
    expect(ch4).toMatchObject({ amountCents: 3900, currency: 'USD' });
  });

  it('refuses a file with no currency unless --currency names it, and reports bad rows with their line', async () => {
    const file = path.join(dir, 'plain.csv');
    fs.writeFileSync(
      file,
      'Order,Email,Total,Date\nA-1,jo@example.com,10.00,2024-01-02\nA-2,jo@example.com,ten,2024-01-03\nA-3,al@example.com,"1,5",2024-01-04\n',
    );
    const noCurrency = await runTandem(['import', '--format', 'orders', file], { db, as: 'sam' });
    expect(noCurrency.code).toBe(2);
    expect(noCurrency.stderr).toMatch(/--currency/);
    const bad = await runTandem(['import', '--format', 'orders', file, '--currency', 'EUR'], { db, as: 'sam' });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/plain\.csv:3: amount: "ten" is not an amount of money/);
    expect(await ordersOf()).toEqual([]);
    await runJson(['import', '--format', 'orders', file, '--currency', 'EUR', '--skip-invalid'], { db, as: 'sam' });
    expect((await ordersOf()).map((o) => [o.reference, o.amountCents, o.currency])).toEqual([
      ['A-1', 1000, 'EUR'],
      ['A-3', 150, 'EUR'],
    ]);
  });
});

describe('survey answers from survey and review exports', () => {
  it('links NPS answers by email or order reference; no link is an anonymous answer, counted; NPS shows', async () => {
    await runJson(['import', '--format', 'orders', orders('shopify-orders.csv')], { db, as: 'sam' });
    const r = await runJson(['import', '--format', 'surveys', '--kind', 'nps', surveys('delighted-nps.csv')], { db, as: 'sam' });
    expect(r.added).toEqual({ survey: 4, customer: 1 });
    expect(Object.values(r.flagged)).toEqual([1]);
    const byComment = Object.fromEntries((await surveysOf()).map((s) => [s.comment, s]));
    expect(byComment['Love the grinder'].customerId).toBe((await customerByEmail('mara@example.com')).id);
    expect(byComment['Shipping took ages'].customerId).toBe((await customerByEmail('tom@example.com')).id); // by order #1002
    expect(byComment['No idea who I am'].customerId).toBeNull();
    expect(await customerByEmail('newbie@example.com')).toBeDefined();
    // NPS over all four: promoters 1 (10), detractors 2 (3, 6) → (1 − 2) / 4 = −25.
    const k = await service('2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z');
    expect(k.nps).toMatchObject({ value: -25, count: 4 });
    // An anonymous detractor puts no one at risk; Tom (3) is.
    const atRisk = (
      await runJson(['kpi', '--role', 'service', '--from', '2024-03-01T00:00:00Z', '--to', '2024-03-20T00:00:00Z'], { db, as: 'sam' })
    ).service.atRisk;
    expect(atRisk.map((c: any) => c.email)).toEqual(['tom@example.com']);
    const again = await runJson(['import', '--format', 'surveys', '--kind', 'nps', surveys('delighted-nps.csv')], { db, as: 'sam' });
    expect(again.added).toEqual({});
    expect(again.unchanged.survey).toBe(4);
    // `tandem db copy` (an export loaded into another database) keeps the anonymous answer and the
    // answers' external ids: the copy exports the same bytes.
    const copy = await newDatabase('copy');
    expect((await runTandem(['db', 'copy', '--to', copy], { db, as: 'sam' })).code).toBe(0);
    const copied = (await runTandem(['export'], { db: copy, as: 'sam' })).stdout;
    expect(copied).toBe((await runTandem(['export'], { db, as: 'sam' })).stdout);
    expect(copied.split('\n').filter((l) => l.includes('"type":"survey"') && l.includes('"customerId":null'))).toHaveLength(1);
  });

  it('links Zendesk satisfaction ratings to the imported tickets (good/bad on the CSAT scale; offered-only rows skipped)', async () => {
    await runJson(['import', path.join(FIXTURES, 'csv', 'helpscout.csv'), '--id-prefix', 'zd:'], { db, as: 'sam' });
    const r = await runJson(
      ['import', '--format', 'surveys', '--kind', 'csat', surveys('zendesk-satisfaction.csv'), '--id-prefix', 'zd:'],
      { db, as: 'sam' },
    );
    expect(r.added).toEqual({ survey: 2 });
    expect(r.ignored).toEqual({ 'row without a score (not answered)': 1 });
    const items = (await exported()).filter((x) => x.type === 'item');
    const good = (await surveysOf()).find((s) => s.score === 5);
    expect(items.find((i) => i.id === good.itemId).externalId).toBe('zd:48211');
    const show = await runJson(['item', 'show', String(good.itemId)], { db, as: 'sam' });
    expect(show.events.at(-1)).toMatchObject({ type: 'survey', body: 'Quick and kind' });
    const k = (
      await runJson(['kpi', '--role', 'support', '--from', '2024-02-01T00:00:00Z', '--to', '2024-03-01T00:00:00Z'], { db, as: 'sam' })
    ).support.figures;
    expect(k.csat).toMatchObject({ value: 0.5, count: 2 });
  });

  it('a score outside the scale is a bad record with its line; a survey without --kind is refused', async () => {
    const bad = await runTandem(['import', '--format', 'surveys', '--kind', 'nps', surveys('google-forms-nps.csv')], { db, as: 'sam' });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/google-forms-nps\.csv:4: score: 11 is outside the NPS scale 0–10/);
    expect(await surveysOf()).toEqual([]);
    const ok = await runJson(['import', '--format', 'surveys', '--kind', 'nps', surveys('google-forms-nps.csv'), '--skip-invalid'], {
      db,
      as: 'sam',
    });
    expect(ok.added.survey).toBe(2);
    expect((await surveysOf()).map((s) => s.createdAt).sort()).toEqual(['2024-03-14T09:15:02.000Z', '2024-03-14T10:01:44.000Z']);
    const noKind = await runTandem(['import', '--format', 'surveys', surveys('google-forms-nps.csv')], { db, as: 'sam' });
    expect(noKind.code).toBe(2);
    expect(noKind.stderr).toMatch(/--kind csat or --kind nps/);
  });

  it('--inspect shows how a survey export is read, writing nothing', async () => {
    const r = await runJson(['import', '--format', 'surveys', surveys('google-forms-nps.csv'), '--inspect'], { db, as: 'sam' });
    const col = (f: string) => r.fields.find((x: any) => x.field === f).column;
    expect(col('score')).toBe('How likely are you to recommend us to a friend or colleague?');
    expect(col('comment')).toBe('What is the main reason for your score?');
    expect(col('createdAt')).toBe('Timestamp');
    expect(col('email')).toBe('Email Address');
  });
});
