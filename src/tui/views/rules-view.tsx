// The rules view (R): the rules in the order they run, each on, off, its trigger, revision and runs;
// below, the last test against the inbox's current item: each condition's value and result, and the
// actions that would follow. Nothing here writes except on/off and reordering, which go to the core.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { describeAction, describeCondition } from '../../core/rules/definition.js';
import type { RuleTestReport } from '../../core/rules/rule-test.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { fit, truncate } from '../../text/width.js';
import type { RulesController } from '../hooks/use-rules.js';
import type { Theme } from '../theme.js';

const shown = (v: unknown) =>
  sanitizeLine(Array.isArray(v) ? `[${v.join(', ')}]` : v === null || v === undefined ? '—' : JSON.stringify(v));

function testLines(report: RuleTestReport, subject: string, width: number, theme: Theme): string[] {
  const out: string[] = [];
  const r = report.rules[0];
  out.push(theme.bold(truncate(`Test on #${report.itemId} “${sanitizeLine(subject)}”`, width)));
  if (!r) return out;
  for (const t of r.conditions) {
    const mark = t.result ? theme.ok('✓') : theme.bad('✗');
    const value = 'value' in t ? `  = ${shown(t.value)}${t.confidence !== undefined ? ` (confidence ${t.confidence ?? '—'})` : ''}` : '';
    out.push(mark + ' ' + truncate(`${'  '.repeat(t.depth)}${sanitizeLine(t.label)}${value}`, width - 2));
  }
  if (!r.matched) out.push(theme.dim('Does not match: no actions.'));
  else if (r.refused)
    out.push(
      theme.warn(truncate(`Matches, but ${sanitizeLine(r.refused.action)} would be refused: ${sanitizeLine(r.refused.reason)}`, width)),
    );
  else if (r.actions.length === 0) out.push('Matches; nothing would change (already so).');
  else for (const a of r.actions) out.push(truncate(`→ would ${sanitizeLine(a)}`, width));
  out.push(
    theme.dim(
      truncate(
        report.unchanged
          ? `Nothing was written (item at v${report.before.itemVersion} before and after).`
          : 'The database changed during the test (another process wrote).',
        width,
      ),
    ),
  );
  return out;
}

function rulesLines(rules: RulesController, width: number, height: number, theme: Theme): string[] {
  const { state } = rules;
  const out: string[] = [];
  out.push(
    theme.bold(`Rules (${state.rules.length})`) +
      theme.dim('  in the order they run · Space on/off · K/J earlier/later · t test on the current item · Esc back'),
  );
  if (state.error) out.push(theme.bad(truncate(state.error, width)));
  if (state.rules.length === 0 && !state.loading) {
    out.push(theme.dim('No rules yet. Add one with `tandem rule add`, or keep them in git: `tandem rule import rules.yaml`.'));
  }
  const listRoom = Math.max(3, Math.min(state.rules.length, height - 2 - (state.test ? 8 : 0)));
  const top = Math.max(0, Math.min(state.cursor - Math.floor(listRoom / 2), state.rules.length - listRoom));
  state.rules.slice(top, top + listRoom).forEach((r, i) => {
    const at = top + i === state.cursor;
    const row = `${at ? '›' : ' '} ${fit(String(r.position) + '.', 4)}${r.enabled ? '[on] ' : '[off]'} ${fit(sanitizeLine(r.name), Math.max(10, width - 52))} ${fit(r.when, 9)} v${fit(String(r.revision), 3)} ${fit(`${r.firedCount} runs`, 10)}${r.spec.stop ? ' stop' : ''}`;
    const text = truncate(row, width);
    out.push(at ? theme.bold(text) : r.enabled ? text : theme.dim(text));
  });
  const sel = state.rules[state.cursor];
  if (state.test) {
    out.push('');
    out.push(...testLines(state.test.report, state.test.subject, width, theme));
  } else if (sel) {
    // What the selected rule does, so the list can be read without leaving the console.
    out.push('');
    out.push(theme.dim(truncate(`When ${sel.when}, if ${sanitizeLine(describeCondition(sel.spec.condition))}`, width)));
    out.push(
      theme.dim(
        truncate(`then ${sel.spec.actions.map((a) => sanitizeLine(describeAction(a))).join('; ')}${sel.spec.stop ? '; stop' : ''}`, width),
      ),
    );
  }
  return out.slice(0, height);
}

export function RulesView({ rules, width, height, theme }: { rules: RulesController; width: number; height: number; theme: Theme }) {
  const lines = useMemo(() => rulesLines(rules, width, height, theme), [rules, width, height, theme]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
