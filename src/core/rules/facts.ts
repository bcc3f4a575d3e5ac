// What a rule's conditions look at: the item as it stands (or as a test simulates it) and facts
// about its customer, read lazily so a rule that tests only the subject costs no extra query.
import type { Db } from '../../store/store.js';
import type { ItemRow } from '../item-mutate.js';
import { suggestionFor, type Suggestion } from '../routing/suggest.js';
import { inBusinessHours } from './business-hours.js';
import type { ChangeKind, Leaf } from './definition.js';

export interface ItemState {
  row: ItemRow;
  tags: Set<string>;
}

export async function loadItemState(db: Db, row: ItemRow): Promise<ItemState> {
  const tags = await db.selectFrom('item_tags').select('tag').where('item_id', '=', row.id).execute();
  return { row: { ...row }, tags: new Set(tags.map((t) => t.tag)) };
}

const HOUR_MS = 3_600_000;

/** Facts for one item during one rule pass (or one test). Customer facts are cached once read. */
export class Facts {
  private cache = new Map<string, unknown>();
  private suggestion: Suggestion | null | undefined;

  constructor(
    private readonly db: Db,
    readonly state: ItemState,
    readonly now: Date,
    readonly change: ChangeKind,
  ) {}

  private async once<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, await load());
    return this.cache.get(key) as T;
  }

  private customerEmail(): Promise<string> {
    const id = this.state.row.customer_id;
    return this.once('email', async () => {
      if (!id) return '';
      const c = await this.db.selectFrom('customers').select('email').where('id', '=', id).executeTakeFirst();
      return (c?.email ?? '').toLowerCase();
    });
  }

  /** The latest customer message, or the opening message. */
  private body(): Promise<string> {
    return this.once('body', async () => {
      const e = await this.db
        .selectFrom('events')
        .select('body')
        .where('item_id', '=', this.state.row.id)
        .where('type', 'in', ['created', 'message'])
        .where('body', 'is not', null)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return e?.body ?? '';
    });
  }

  async suggest(): Promise<Suggestion | null> {
    if (this.suggestion === undefined) this.suggestion = await suggestionFor(this.db, this.state.row.subject, await this.body());
    return this.suggestion;
  }

  /** The value a condition compares, as shown by `rule test`. */
  async value(leaf: Leaf): Promise<string | number | boolean | string[] | null> {
    const row = this.state.row;
    switch (leaf.field) {
      case 'role':
      case 'kind':
      case 'channel':
      case 'direction':
      case 'status':
      case 'priority':
        return row[leaf.field];
      case 'change':
        return this.change;
      case 'subject':
        return row.subject;
      case 'body':
        return this.body();
      case 'assignee': {
        const id = row.assignee_id;
        if (!id) return '';
        return this.once(
          `agent:${id}`,
          async () => (await this.db.selectFrom('agents').select('handle').where('id', '=', id).executeTakeFirst())?.handle ?? '',
        );
      }
      case 'customer_email':
        return this.customerEmail();
      case 'customer_domain': {
        const email = await this.customerEmail();
        return email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : '';
      }
      case 'tags':
        return [...this.state.tags].sort();
      case 'lifetime_value': {
        const id = row.customer_id;
        return this.once('ltv', async () => {
          if (!id) return 0;
          const r = await this.db
            .selectFrom('orders')
            .where('customer_id', '=', id)
            .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.val(0)).as('cents'))
            .executeTakeFirstOrThrow();
          return Number(r.cents) / 100;
        });
      }
      case 'open_items': {
        const id = row.customer_id;
        if (!id) return 0;
        const others = await this.once('open_others', async () => {
          const r = await this.db
            .selectFrom('items')
            .where('customer_id', '=', id)
            .where('id', '!=', row.id)
            .where('status', 'in', ['new', 'open', 'pending', 'escalated'])
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          return Number(r.n);
        });
        // This item counts with its current (perhaps simulated) status.
        return others + (['new', 'open', 'pending', 'escalated'].includes(row.status) ? 1 : 0);
      }
      case 'hours_since_created':
        return round2((this.now.getTime() - Date.parse(row.created_at)) / HOUR_MS);
      case 'hours_since_updated':
        return round2((this.now.getTime() - Date.parse(row.updated_at)) / HOUR_MS);
      case 'business_hours':
        return inBusinessHours(leaf.hours!, this.now);
      case 'suggested_role':
      case 'suggested_kind':
      case 'suggested_agent': {
        const s = await this.suggest();
        const target = leaf.field.slice('suggested_'.length) as 'role' | 'kind' | 'agent';
        return s?.[target]?.label ?? null;
      }
    }
    return null;
  }

  async confidence(leaf: Leaf): Promise<number | null> {
    const s = await this.suggest();
    const target = leaf.field.slice('suggested_'.length) as 'role' | 'kind' | 'agent';
    return s?.[target]?.confidence ?? null;
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
