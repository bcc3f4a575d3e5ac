// `tandem init`, `tandem completion` (`tandem sla` lives in sla.ts).
import { addAgent, defaultFirstAgent, listAgents } from '../../core/agents.js';
import type { Deps } from '../runtime.js';

export type InitOptions = { handle?: string; name?: string; email?: string; sharedGroup?: string };

export async function runInit(o: InitOptions, rt: Deps): Promise<void> {
  rt.sharedGroup = o.sharedGroup ?? null;
  const ctx = await rt.ctx();
  const existing = await listAgents(ctx, { includeInactive: true });
  if (existing.length > 0) {
    if (rt.out.json) return rt.out.printJson({ database: rt.location, created: false, agent: null });
    return rt.out.note(`${rt.location} is already set up (${existing.length} agent(s)); nothing to do`);
  }
  const d = defaultFirstAgent(rt.env);
  const agent = await addAgent(ctx, { handle: o.handle ?? d.handle, name: o.name ?? d.name, email: o.email, roles: 'both' });
  if (rt.out.json) return rt.out.printJson({ database: rt.location, created: true, agent });
  rt.out.note(`Created ${rt.location} with agent @${agent.handle} (service and support).`);
  rt.out.note('Next: `tandem item add --subject "…" --customer someone@example.com`, or `tandem` for the console.');
}
