// Reading a period and its previous one for one role: every tally and duration the figures need, in one
// statement per family over both periods (kpi-queries.ts), split by agent and by day so the team, each
// agent and each day are lookups.
import type { CoreStore } from '../store/store.js';
import { family, readFamilies, type Family, type FamilyAnswer, type FamilyRequest } from './kpi-days.js';
import type { Role } from './vocabulary.js';
import { dayEnd, minIso, periodDays, type Period } from './kpi-period.js';
import {
  backlogAt,
  businessDurationLists,
  COUNT_FIELDS,
  createdTallies,
  csatTallies,
  durationLists,
  durationsWithTallies,
  escalationsReceivedTallies,
  npsTallies,
  slaTallies,
  zeroCounts,
  type Bucket,
  type Counts,
  type CreatedCount,
  type CsatCount,
  type DurationPair,
  type ItemCount,
  type NpsCount,
  type ResolvedCount,
  type Scope,
  type Tallies,
  type TallyPair,
  type TargetCount,
} from './kpi-queries.js';

/** Inputs of one role's figures for one group (the team, one agent, or one day). */
export interface Inputs {
  created: CreatedCount;
  backlog: ItemCount;
  /** Durations in seconds, in no particular order. */
  firstResponse: ArrayLike<number>;
  /** Durations in seconds, in no particular order. */
  resolution: ArrayLike<number>;
  /** Business-time durations (items under a policy with a calendar), in seconds. */
  firstResponseBusiness: ArrayLike<number>;
  resolutionBusiness: ArrayLike<number>;
  resolved: ResolvedCount;
  csat: CsatCount;
  nps: NpsCount;
  slaFirstResponse: TargetCount;
  slaResolution: TargetCount;
  followUps: TargetCount;
  escalationsReceived: ItemCount;
}

/** Which part of a period's tallies to sum: one agent ('' = unassigned), one day, or everything (team). */
type Pick = { agent: string } | { day: string } | Record<string, never>;

/** Everything a role's figures need for one period, keyed by assignee and day. */
export interface Gathered {
  agents: Set<string>;
  pick(which: Pick): Inputs;
}

/** Values split by agent, by day and in all, built once so each pick is a lookup. */
class Split<V, T> {
  private readonly byAgent = new Map<string, T>();
  private readonly byDay = new Map<string, T>();
  private readonly all: T;

  constructor(
    entries: Iterable<[agent: string, day: string, value: V]>,
    fresh: () => T,
    add: (into: T, v: V) => void,
    private readonly none: T,
  ) {
    this.all = fresh();
    for (const [agent, day, v] of entries) {
      for (const [map, k] of [
        [this.byAgent, agent],
        [this.byDay, day],
      ] as const) {
        let into = map.get(k);
        if (!into) map.set(k, (into = fresh()));
        add(into, v);
      }
      add(this.all, v);
    }
  }

  agents(): string[] {
    return [...this.byAgent.keys()];
  }

  get(which: Pick): T {
    if ('agent' in which) return this.byAgent.get(which.agent) ?? this.none;
    if ('day' in which) return this.byDay.get(which.day) ?? this.none;
    return this.all;
  }
}

/** Counts split by agent and day, added up field by field; `fields` are the kind's (its zero when nothing matches). */
function tallySplit<K extends string>(t: Tallies<Record<K, number>>, fields: readonly K[]): Split<Record<K, number>, Record<K, number>> {
  const entries = [...t].map(([key, v]): [string, string, Record<K, number>] => {
    const bar = key.indexOf('|');
    return [key.slice(0, bar), key.slice(bar + 1), v];
  });
  const add = (into: Record<K, number>, v: Record<K, number>) => {
    for (const f of fields) into[f] += v[f];
  };
  return new Split(entries, () => zeroCounts(fields), add, zeroCounts(fields));
}

/** Durations by agent, by day and in all; each list is put together once, when first asked for. */
class DurationSplit {
  private readonly byAgent = new Map<string, ArrayLike<number>[]>();
  private readonly byDay = new Map<string, ArrayLike<number>[]>();
  private readonly all: ArrayLike<number>[] = [];
  private readonly joined = new Map<ArrayLike<number>[], Float64Array>();

  constructor(entries: [agent: string, day: string, seconds: ArrayLike<number>][]) {
    for (const [agent, day, seconds] of entries) {
      for (const [map, k] of [
        [this.byAgent, agent],
        [this.byDay, day],
      ] as const) {
        let into = map.get(k);
        if (!into) map.set(k, (into = []));
        into.push(seconds);
      }
      this.all.push(seconds);
    }
  }

  agents(): string[] {
    return [...this.byAgent.keys()];
  }

  get(which: Pick): ArrayLike<number> {
    const parts = 'agent' in which ? this.byAgent.get(which.agent) : 'day' in which ? this.byDay.get(which.day) : this.all;
    if (!parts) return [];
    let out = this.joined.get(parts);
    if (!out) {
      out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      this.joined.set(parts, out);
    }
    return out;
  }
}

function durationSplit(entries: [string, string, ArrayLike<number>][]): DurationSplit {
  return new DurationSplit(entries);
}

/** What to split the figures by: assignee (per-agent table) and day (the period's series). */
export interface Grouping {
  agent: boolean;
  day: boolean;
  /** Read the business-time durations too (some policy has a calendar). */
  business?: boolean;
  /** Count everything from the rows, without the day rollups (what the rollups are checked against). */
  raw?: boolean;
}

/**
 * The ranges to read: the previous period whole, and the period whole or (for its series) day by
 * day. `clipTo` cuts them (targets count only once due: not after now); empty ranges are dropped.
 */
export function bucketsFor(cur: Period, prev: Period, byDay: boolean, clipTo?: string): Bucket[] {
  const ranges: Bucket[] = [{ from: prev.from, to: prev.to, prev: true, day: '' }];
  if (byDay) {
    let from = cur.from;
    for (const day of periodDays(cur)) {
      const to = dayEnd(day, cur);
      ranges.push({ from, to, prev: false, day });
      from = to;
    }
  } else {
    ranges.push({ from: cur.from, to: cur.to, prev: false, day: '' });
  }
  if (clipTo === undefined) return ranges;
  return ranges.map((b) => ({ ...b, to: minIso(b.to, clipTo) })).filter((b) => b.from < b.to);
}

/** Read everything a role's figures need for the period and the previous one, split as asked. */
export async function gatherBoth(
  store: CoreStore,
  scope: Scope,
  cur: Period,
  prev: Period,
  now: string,
  g: Grouping,
): Promise<{ cur: Gathered; prev: Gathered }> {
  const db = store.db;
  const all = bucketsFor(cur, prev, g.day);
  // A target "falls due" only once its time has come: due times after now are not counted yet.
  const due = bucketsFor(cur, prev, g.day, now);
  const noDurations: DurationPair = { cur: [], prev: [] };
  const support = scope.role === 'support';
  const by = g.agent;
  const f = roleFamilies(scope.role);
  // Each family's answer, exactly as its raw query gives it: from the day rollups (kpi-days.ts), or
  // (g.raw) straight from the rows, which is what the rollups are checked against.
  const ask = (family: Family | null, buckets: Bucket[]) => (family ? [{ family, buckets, scope, byAgent: by }] : []);
  const asked: FamilyRequest[] = [
    ...ask(f.created, all),
    ...ask(f.firstResponse, all),
    ...ask(f.resolved, all),
    ...ask(support ? CSAT : NPS, all),
    ...ask(f.slaFirstResponse, due),
    ...ask(f.slaResolution, due),
    ...ask(f.followUps, due),
    ...ask(support ? ESCALATIONS_RECEIVED : null, all),
  ];
  const [answers, backlogCur, backlogPrev] = await Promise.all([
    g.raw ? Promise.all(asked.map((r) => r.family.raw(db, scope, r.buckets, r.byAgent))) : readFamilies(store, now, asked),
    support ? backlogAt(db, scope, cur.to, by) : (new Map() as Tallies<ItemCount>),
    support ? backlogAt(db, scope, prev.to, by) : (new Map() as Tallies<ItemCount>),
  ]);
  const none: FamilyAnswer = { tallies: { cur: new Map(), prev: new Map() }, durations: noDurations };
  const of = (family: Family | null) => (family ? (answers[asked.findIndex((r) => r.family === family)] ?? none) : none);
  // Each family's counts, typed by what they count (each family reads the fields of its kind).
  const tallies = <T extends Counts>(family: Family | null) => of(family).tallies as TallyPair<T>;
  const [frBiz, resBiz] = g.business
    ? await Promise.all([
        businessDurationLists(db, scope, all, by, 'first_response'),
        support ? businessDurationLists(db, scope, all, by, 'resolution') : noDurations,
      ])
    : [noDurations, noDurations];
  const created = tallies<CreatedCount>(f.created);
  const fr = of(f.firstResponse).durations;
  // Resolution times and the resolved tallies come from one scan of the first-resolution index.
  const resolved = tallies<ResolvedCount>(f.resolved);
  const res = of(f.resolved).durations;
  const csat = tallies<CsatCount>(support ? CSAT : null);
  const nps = tallies<NpsCount>(support ? null : NPS);
  const slaFr = tallies<TargetCount>(f.slaFirstResponse);
  const slaRes = tallies<TargetCount>(f.slaResolution);
  const followUps = tallies<TargetCount>(f.followUps);
  const escRecv = tallies<ItemCount>(support ? ESCALATIONS_RECEIVED : null);
  const side = (which: 'cur' | 'prev', backlog: Tallies<ItemCount>) =>
    assemble(
      {
        created: created[which],
        resolved: resolved[which],
        csat: csat[which],
        nps: nps[which],
        slaFirstResponse: slaFr[which],
        slaResolution: slaRes[which],
        followUps: followUps[which],
        escalationsReceived: escRecv[which],
        backlog,
      },
      fr[which],
      res[which],
      frBiz[which],
      resBiz[which],
    );
  return { cur: side('cur', backlogCur), prev: side('prev', backlogPrev) };
}

// Survey answers and escalations received are counted whatever the role of their item.
const CSAT = family('csat', 1, COUNT_FIELDS.csat, async (db, s, b, by) => ({ tallies: await csatTallies(db, s.agentId, b, by) }));
const NPS = family('nps', 1, COUNT_FIELDS.nps, async (db, s, b, by) => ({ tallies: await npsTallies(db, s.agentId, b, by) }));
const ESCALATIONS_RECEIVED = family('escalations_received', 1, COUNT_FIELDS.items, async (db, s, b, by) => ({
  tallies: await escalationsReceivedTallies(db, s.agentId, b, by),
}));

/** The families of one role's figures (each role's items counted apart). */
function makeRoleFamilies(role: Role) {
  const ofRole = (key: string, fields: readonly string[], q: Parameters<typeof family>[3]) => family(`${key}:${role}`, 1, fields, q);
  return {
    created: ofRole('created', COUNT_FIELDS.created, async (db, s, b, by) => ({
      tallies: await createdTallies(db, s, b, by, role === 'service'),
    })),
    firstResponse: ofRole('first_response', [], async (db, s, b, by) => ({
      durations: await durationLists(db, s, b, by, 'first_response'),
    })),
    resolved:
      role === 'support'
        ? ofRole('resolved', COUNT_FIELDS.resolved, (db, s, b, by) => durationsWithTallies(db, s, b, by, 'resolution'))
        : null,
    slaFirstResponse:
      role === 'support'
        ? ofRole('sla_first_response', COUNT_FIELDS.target, async (db, s, b, by) => ({
            tallies: await slaTallies(db, s, b, by, 'first_response'),
          }))
        : null,
    slaResolution:
      role === 'support'
        ? ofRole('sla_resolution', COUNT_FIELDS.target, async (db, s, b, by) => ({ tallies: await slaTallies(db, s, b, by, 'resolution') }))
        : null,
    followUps:
      role === 'service'
        ? ofRole('follow_ups', COUNT_FIELDS.target, async (db, s, b, by) => ({
            tallies: await slaTallies(db, s, b, by, 'resolution', true),
          }))
        : null,
  };
}
const ROLE_FAMILIES = { support: makeRoleFamilies('support'), service: makeRoleFamilies('service') };

const roleFamilies = (role: Role) => ROLE_FAMILIES[role];

/** The counts of one period, by figure. */
interface PeriodTallies {
  created: Tallies<CreatedCount>;
  resolved: Tallies<ResolvedCount>;
  csat: Tallies<CsatCount>;
  nps: Tallies<NpsCount>;
  slaFirstResponse: Tallies<TargetCount>;
  slaResolution: Tallies<TargetCount>;
  followUps: Tallies<TargetCount>;
  escalationsReceived: Tallies<ItemCount>;
  backlog: Tallies<ItemCount>;
}

function assemble(
  t: PeriodTallies,
  frEntries: DurationPair['cur'],
  resEntries: DurationPair['cur'],
  frBizEntries: DurationPair['cur'],
  resBizEntries: DurationPair['cur'],
): Gathered {
  const cr = tallySplit(t.created, COUNT_FIELDS.created);
  const rs = tallySplit(t.resolved, COUNT_FIELDS.resolved);
  const cs = tallySplit(t.csat, COUNT_FIELDS.csat);
  const np = tallySplit(t.nps, COUNT_FIELDS.nps);
  const sf = tallySplit(t.slaFirstResponse, COUNT_FIELDS.target);
  const sr = tallySplit(t.slaResolution, COUNT_FIELDS.target);
  const fu = tallySplit(t.followUps, COUNT_FIELDS.target);
  const er = tallySplit(t.escalationsReceived, COUNT_FIELDS.items);
  const bl = tallySplit(t.backlog, COUNT_FIELDS.items);
  const fr = durationSplit(frEntries);
  const res = durationSplit(resEntries);
  const frBiz = durationSplit(frBizEntries);
  const resBiz = durationSplit(resBizEntries);
  const agents = new Set<string>();
  for (const r of [cr, rs, cs, np, sf, sr, fu, er, bl, fr, res, frBiz, resBiz]) for (const a of r.agents()) agents.add(a);
  return {
    agents,
    pick: (which) => ({
      created: cr.get(which),
      resolved: rs.get(which),
      csat: cs.get(which),
      nps: np.get(which),
      slaFirstResponse: sf.get(which),
      slaResolution: sr.get(which),
      followUps: fu.get(which),
      escalationsReceived: er.get(which),
      // The backlog is a count at an instant, not per day (its series is computed apart).
      backlog: 'day' in which ? zeroCounts(COUNT_FIELDS.items) : bl.get(which),
      firstResponse: fr.get(which),
      resolution: res.get(which),
      firstResponseBusiness: frBiz.get(which),
      resolutionBusiness: resBiz.get(which),
    }),
  };
}
