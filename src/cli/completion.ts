// Shell completion generated from the commander tree, so it never drifts from the real commands.
import type { Command } from 'commander';

function words(cmd: Command): { subs: string[]; flags: string[] } {
  return {
    subs: cmd.commands.map((c) => c.name()),
    flags: cmd.options.map((o) => o.long).filter((f): f is string => Boolean(f)),
  };
}

export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
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
