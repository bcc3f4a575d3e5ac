// Agents: the people using Tandem, their roles, and who "I" am for a command.
import os from 'node:os';
import type { Ctx } from './context.js';
import { nowIso } from './context.js';
import { conflict, invalid, notFound, usage } from './errors.js';
import { AGENT_ROLES, parseEnum, type AgentRoles, type Role } from './vocabulary.js';
import type { Db } from '../store/store.js';
import type { Selectable } from 'kysely';
import type { AgentTable } from '../store/schema.js';

export interface Agent {
  id: number;
  handle: string;
  name: string;
  email: string | null;
  roles: AgentRoles;
  active: boolean;
  createdAt: string;
}

type AgentRow = Selectable<AgentTable>;

export function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    handle: r.handle,
    name: r.name,
    email: r.email,
    roles: r.roles,
    active: r.active === 1,
    createdAt: r.created_at,
  };
}

export function agentHasRole(agent: Pick<Agent, 'roles'>, role: Role): boolean {
  return agent.roles === 'both' || agent.roles === role;
}

const HANDLE_RE = /^[a-z0-9][a-z0-9._-]{0,31}$/;

export function normaliseHandle(handle: string): string {
  const h = handle.trim().replace(/^@/, '').toLowerCase();
  if (!HANDLE_RE.test(h)) {
    throw invalid(`handle must be 1-32 letters, digits, '.', '_' or '-' (got ${JSON.stringify(handle)})`);
  }
  return h;
}

export interface NewAgent {
  handle: string;
  name?: string;
  email?: string | null;
  roles?: string;
}

export async function addAgent(ctx: Ctx, input: NewAgent): Promise<Agent> {
  const handle = normaliseHandle(input.handle);
  const roles = parseEnum('roles', AGENT_ROLES, input.roles ?? 'both');
  const name = (input.name ?? handle).trim() || handle;
  const email = input.email?.trim().toLowerCase() || null;
  return ctx.store.write(async (trx) => {
    const existing = await trx.selectFrom('agents').select('id').where('handle', '=', handle).executeTakeFirst();
    if (existing) throw conflict(`an agent with handle @${handle} already exists`);
    const row = await trx
      .insertInto('agents')
      .values({ handle, name, email, roles, active: 1, created_at: nowIso(ctx) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAgent(row);
  });
}

export async function listAgents(ctx: Ctx, opts: { includeInactive?: boolean } = {}): Promise<Agent[]> {
  let q = ctx.store.db.selectFrom('agents').selectAll().orderBy('handle');
  if (!opts.includeInactive) q = q.where('active', '=', 1);
  return (await q.execute()).map(toAgent);
}

export async function findAgent(db: Db, handle: string): Promise<Agent> {
  const h = handle.trim().replace(/^@/, '').toLowerCase();
  const row = await db.selectFrom('agents').selectAll().where('handle', '=', h).executeTakeFirst();
  if (!row) throw notFound(`no agent with handle @${h}`);
  return toAgent(row);
}

export async function getAgentById(db: Db, id: number): Promise<Agent> {
  const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no agent with id ${id}`);
  return toAgent(row);
}

export async function deactivateAgent(ctx: Ctx, handle: string): Promise<Agent> {
  return ctx.store.write(async (trx) => {
    const agent = await findAgent(trx, handle);
    if (!agent.active) return agent;
    await trx.updateTable('agents').set({ active: 0 }).where('id', '=', agent.id).execute();
    return { ...agent, active: false };
  });
}

/**
 * Who is acting: --as HANDLE, else $TANDEM_AGENT, else the only active agent.
 * Anything else is a clear error rather than a guess.
 */
export async function resolveIdentity(ctx: Ctx, asHandle: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Agent> {
  const wanted = asHandle ?? env.TANDEM_AGENT;
  if (wanted) {
    const agent = await findAgent(ctx.store.db, wanted);
    if (!agent.active) throw invalid(`agent @${agent.handle} is deactivated`);
    return agent;
  }
  const active = await listAgents(ctx);
  if (active.length === 1) return active[0]!;
  if (active.length === 0) throw usage('no agents yet: run `tandem init` or `tandem agent add HANDLE`');
  throw usage(`several agents exist (${active.map((a) => '@' + a.handle).join(', ')}): say who you are with --as HANDLE or TANDEM_AGENT`);
}

/** The first agent for `tandem init`: named after the OS user, with both roles. */
export function defaultFirstAgent(env: NodeJS.ProcessEnv = process.env): NewAgent {
  let user = env.USER || env.LOGNAME || '';
  if (!user) {
    try {
      user = os.userInfo().username;
    } catch {
      user = 'me';
    }
  }
  const handle =
    user
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '')
      .slice(0, 32) || 'me';
  return { handle, name: user, roles: 'both' };
}
