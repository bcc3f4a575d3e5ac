// `tandem demo`: write the deterministic demo data set.
import { holdsData, writeDemo } from '../../io/demo.js';
import { invalid } from '../../core/errors.js';
import { parseIsoStrict } from '../../core/time.js';
import type { Deps } from '../runtime.js';

export type DemoOptions = { items: string; seed: string; now?: string; ifMissing?: boolean; quiet?: boolean };

export async function runDemo(o: DemoOptions, rt: Deps): Promise<void> {
  const items = Number(o.items);
  const seed = Number(o.seed);
  if (!Number.isInteger(items) || items < 0) throw invalid('--items must be a whole number');
  if (!Number.isInteger(seed)) throw invalid('--seed must be a whole number');
  const ctx = await rt.ctx();
  if (o.ifMissing && (await holdsData(ctx))) return;
  const now = o.now ? new Date(parseIsoStrict('--now', o.now)) : new Date();
  const started = Date.now();
  const progress = !o.quiet && rt.io.stderr.isTTY;
  const summary = await writeDemo(ctx, {
    items,
    seed,
    now,
    onProgress: progress
      ? (done, total) => {
          const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
          rt.io.stderr.write(
            `\r  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} items · ${rate.toLocaleString('en-US')}/s `,
          );
        }
      : undefined,
  });
  if (progress) rt.io.stderr.write('\n');
  if (rt.out.json) return rt.out.printJson({ database: rt.location, ...summary });
  if (!o.quiet) {
    rt.out.note(
      `Demo written to ${rt.location}: ${summary.items} items, ${summary.customers} customers, ${summary.orders} orders, ${summary.surveys} surveys, ${summary.escalations} escalations in ${((Date.now() - started) / 1000).toFixed(1)}s.`,
    );
    rt.out.note(
      'Agents: sam (both roles), ana and ben (service), cleo, dev and eli (support). Try: tandem --db ' +
        rt.location +
        ' (the console asks who you are; --as sam skips the question)',
    );
  }
}
