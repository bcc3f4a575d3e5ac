// Reading one period for one role: every tally and duration its figures need, in one grouped query per
// family (kpi-queries.ts), split by agent and by day so the team, each agent and each day are lookups.
import type { Db } from '../store/store.js';
import { minIso, type Period } from './kpi-period.js';
import {
  backlogAt, createdTallies, durationRows, escalationsReceivedTallies, resolvedTallies, slaTallies, surveyTallies,
  type DurationRow, type Grouping, type Scope, type Tallies, type Tally,
} from './kpi-queries.js';

const EMPTY: Tally = { n: 0, k: 0, j: 0 };

/** Inputs of one role's figures for one group (the team, one agent, or one day). */
export interface Inputs {
  created: Tally;
  backlog: Tally;
  firstResponse: number[];
  resolution: number[];
  resolved: Tally;
  csat: Tally;
  nps: Tally;
  slaFirstResponse: Tally;
  slaResolution: Tally;
  followUps: Tally;
  escalationsReceived: Tally;
}

/** Which part of a period's tallies to sum: one agent ('' = unassigned), one day, or everything (team). */
export type Pick = { agent: string } | { day: string } | Record<string, never>;

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

  constructor(entries: Iterable<[agent: string, day: string, value: V]>, fresh: () => T, add: (into: T, v: V) => void, private readonly none: T) {
    this.all = fresh();
    for (const [agent, day, v] of entries) {
      for (const [map, k] of [[this.byAgent, agent], [this.byDay, day]] as const) {
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

function tallySplit(t: Tallies): Split<Tally, Tally> {
  const entries = [...t].map(([key, v]): [string, string, Tally] => {
    const bar = key.indexOf('|');
    return [key.slice(0, bar), key.slice(bar + 1), v];
  });
  return new Split(entries, () => ({ n: 0, k: 0, j: 0 }), (into, v) => { into.n += v.n; into.k += v.k; into.j += v.j; }, EMPTY);
}

function durationSplit(rows: DurationRow[]): Split<number, number[]> {
  const entries = rows.map((r): [string, string, number] => [r.assigneeId === null ? '' : String(r.assigneeId), r.at.slice(0, 10), r.seconds]);
  return new Split(entries, () => [] as number[], (into, v) => { into.push(v); }, []);
}

/** Read everything a role's figures need for one period, split as asked. */
export async function gather(db: Db, scope: Scope, p: Period, now: string, g: Grouping): Promise<Gathered> {
  // A target "falls due" only once its time has come: due times after now are not counted yet.
  const dueP: Period = { from: p.from, to: minIso(p.to, now) };
  const duePeriod = dueP.from < dueP.to ? dueP : null;
  const none: Tallies = new Map();
  const support = scope.role === 'support';
  const [created, resolved, csat, nps, slaFr, slaRes, followUps, escRecv, backlog, frRows, resRows] = await Promise.all([
    createdTallies(db, scope, p, g, !support),
    support ? resolvedTallies(db, scope, p, g) : none,
    support ? surveyTallies(db, 'csat', scope.agentId, p, g) : none,
    support ? none : surveyTallies(db, 'nps', scope.agentId, p, g),
    support && duePeriod ? slaTallies(db, scope, duePeriod, g, 'first_response') : none,
    support && duePeriod ? slaTallies(db, scope, duePeriod, g, 'resolution') : none,
    !support && duePeriod ? slaTallies(db, scope, duePeriod, g, 'resolution', true) : none,
    support ? escalationsReceivedTallies(db, scope.agentId, p, g) : none,
    support ? backlogAt(db, scope, p.to, g.agent) : none,
    durationRows(db, scope, p, 'first_response'),
    support ? durationRows(db, scope, p, 'resolution') : Promise.resolve([] as DurationRow[]),
  ]);
  const cr = tallySplit(created), rs = tallySplit(resolved), cs = tallySplit(csat), np = tallySplit(nps);
  const sf = tallySplit(slaFr), sr = tallySplit(slaRes), fu = tallySplit(followUps), er = tallySplit(escRecv), bl = tallySplit(backlog);
  const fr = durationSplit(frRows);
  const res = durationSplit(resRows);
  const agents = new Set<string>();
  for (const r of [cr, rs, cs, np, sf, sr, fu, er, bl, fr, res]) for (const a of r.agents()) agents.add(a);
  return {
    agents,
    pick: (which) => ({
      created: cr.get(which), resolved: rs.get(which), csat: cs.get(which), nps: np.get(which),
      slaFirstResponse: sf.get(which), slaResolution: sr.get(which), followUps: fu.get(which), escalationsReceived: er.get(which),
      // The backlog is a count at an instant, not per day (its series is computed apart).
      backlog: 'day' in which ? EMPTY : bl.get(which),
      firstResponse: fr.get(which), resolution: res.get(which),
    }),
  };
}

