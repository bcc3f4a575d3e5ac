// Shell completion generated from the commander tree, so it never drifts from the real commands.
import type { Command } from 'commander';

function words(cmd: Command): { subs: string[]; flags: string[] } {
  return {
    subs: cmd.commands.map((c) => c.name()),
    flags: cmd.options.map((o) => o.long).filter((f): f is string => Boolean(f)),
  };
}

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** A fish single-quoted string. */
const fishQuote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 100);

/** fish: subcommands with their descriptions, and each command's options (with whether they take a value). */
function fishScript(program: Command): string {
  const lines = ['# tandem completion for fish: tandem completion fish > ~/.config/fish/completions/tandem.fish'];
  const opt = (cond: string, o: Command['options'][number]) => {
    const parts = ['complete -c tandem'];
    if (cond) parts.push('-n', fishQuote(cond));
    if (o.long) parts.push('-l', o.long.replace(/^--/, ''));
    if (o.short) parts.push('-s', o.short.replace(/^-/, ''));
    if (o.required) parts.push('-r');
    parts.push('-d', fishQuote(firstLine(o.description)));
    return parts.join(' ');
  };
  for (const o of program.options) lines.push(opt('', o));
  const topNames = program.commands.map((c) => c.name()).join(' ');
  for (const c of program.commands) {
    lines.push(
      `complete -c tandem -f -n ${fishQuote(`not __fish_seen_subcommand_from ${topNames}`)} -a ${c.name()} -d ${fishQuote(firstLine(c.description()))}`,
    );
    const inC = `__fish_seen_subcommand_from ${c.name()}`;
    const subNames = c.commands.map((s) => s.name()).join(' ');
    for (const s of c.commands) {
      lines.push(
        `complete -c tandem -f -n ${fishQuote(`${inC}; and not __fish_seen_subcommand_from ${subNames}`)} -a ${s.name()} -d ${fishQuote(firstLine(s.description()))}`,
      );
      for (const o of s.options) lines.push(opt(`${inC}; and __fish_seen_subcommand_from ${s.name()}`, o));
    }
    for (const o of c.options) lines.push(opt(inC, o));
  }
  return lines.join('\n') + '\n';
}

export function completionScript(program: Command, shell: CompletionShell): string {
  if (shell === 'fish') return fishScript(program);
  const top = words(program);
  const cases: string[] = [];
  for (const c of program.commands) {
    const w = words(c);
    cases.push(`    ${c.name()}) opts="${[...w.subs, ...w.flags, ...top.flags].join(' ')}" ;;`);
    for (const s of c.commands) {
      cases.push(`    ${c.name()}__${s.name()}) opts="${[...words(s).flags, ...top.flags].join(' ')}" ;;`);
    }
  }
  const body = `_tandem() {
  local cur key opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  key="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -gt 2 ]; then key="\${COMP_WORDS[1]}__\${COMP_WORDS[2]}"; fi
  case "$key" in
${cases.join('\n')}
    *) opts="${[...top.subs, ...top.flags].join(' ')}" ;;
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then opts="${[...top.subs, ...top.flags].join(' ')}"; fi
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
`;
  if (shell === 'bash') return body + 'complete -F _tandem tandem\n';
  return `autoload -U +X bashcompinit && bashcompinit\n${body}complete -F _tandem tandem\n`;
}
