// Colours for the console. Rows and lines are built as strings with these (one <Text> per line), so a
// frame costs string concatenation, not hundreds of React nodes. NO_COLOR gives plain text; the layout
// never depends on colour alone (cursor and selection have their own marks).
import { Chalk, type ChalkInstance } from 'chalk';

export interface Theme {
  c: ChalkInstance;
  colour: boolean;
  svc: string;
  sup: string;
  cursor: (s: string) => string;
  selected: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  ok: (s: string) => string;
  warn: (s: string) => string;
  bad: (s: string) => string;
  accent: (s: string) => string;
  customer: (s: string) => string;
  reply: (s: string) => string;
  note: (s: string) => string;
  handoff: (s: string) => string;
  priority: (p: string, s: string) => string;
  sla: (state: 'breached' | 'due_soon' | 'ok' | 'none', s: string) => string;
}

export function colourLevel(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR === '0' || env.TERM === 'dumb') return 0;
  if (env.FORCE_COLOR && /^[123]$/.test(env.FORCE_COLOR)) return Number(env.FORCE_COLOR) as 1 | 2 | 3;
  if (!isTTY) return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return /256/.test(env.TERM ?? '') ? 2 : 1;
}

export function makeTheme(level: 0 | 1 | 2 | 3): Theme {
  const c = new Chalk({ level });
  const id = (s: string) => s;
  return {
    c,
    colour: level > 0,
    // Two role colours, computed once: every row reuses the same strings.
    svc: c.bold.cyan('SVC'),
    sup: c.bold.magenta('SUP'),
    cursor: level > 0 ? (s) => c.inverse(s) : id,
    selected: level > 0 ? (s) => c.bold(s) : id,
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    ok: (s) => c.green(s),
    warn: (s) => c.yellow(s),
    bad: (s) => c.red(s),
    accent: (s) => c.cyan(s),
    customer: (s) => c.cyan(s),
    reply: (s) => c.green(s),
    note: (s) => c.yellow(s),
    handoff: (s) => c.bgYellow.black(s),
    priority: (p, s) => (p === 'urgent' ? c.red.bold(s) : p === 'high' ? c.yellow(s) : p === 'low' ? c.dim(s) : s),
    sla: (state, s) => (state === 'breached' ? c.red(s) : state === 'due_soon' ? c.yellow(s) : s),
  };
}
