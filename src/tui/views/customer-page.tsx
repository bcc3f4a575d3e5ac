// `c`: the customer behind an item on one page — who they are, lifetime value, their items in both
// roles (j/k choose one, Enter opens it), orders and survey answers. Shown over the body.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { CustomerHistory } from '../../core/customer-history.js';
import { localTime, money, relativeTime } from '../../text/format.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { fit, truncate } from '../../text/width.js';
import { useKeys } from '../hooks/use-key-router.js';
import type { Modal } from '../hooks/use-modal.js';
import type { Theme } from '../theme.js';
import { contactText } from '../detail-lines.js';

type CustomerModal = Extract<Modal, { kind: 'customer' }>;

/** The page as lines, and which line each of the customer's items is on (the cursor moves over those). */
function customerPageLines(
  h: CustomerHistory,
  width: number,
  now: Date,
  theme: Theme,
  cursor: number,
): { lines: string[]; itemLines: number[] } {
  const cu = h.customer;
  const lines: string[] = [];
  const rule = (title: string) => lines.push(theme.dim(truncate(`── ${title} ${'─'.repeat(Math.max(0, width))}`, width)));
  const contact = contactText(cu);
  lines.push(theme.bold(truncate(`${sanitizeLine(cu.name)} ${contact}`, width)));
  const aov = h.orderCount ? h.lifetimeRevenue / h.orderCount : null;
  lines.push(
    truncate(
      `Lifetime value ${money(h.lifetimeRevenue, h.currency)} over ${h.orderCount} order${h.orderCount === 1 ? '' : 's'}${aov !== null ? ` · average order ${money(aov, h.currency)}` : ''} · ${h.openItems} open item${h.openItems === 1 ? '' : 's'} · customer since ${localTime(cu.createdAt).slice(0, 10)}`,
      width,
    ),
  );
  if (cu.notes) lines.push(theme.dim(truncate(`Notes: ${sanitizeLine(cu.notes)}`, width)));
  lines.push('');
  rule(`Items, both roles (${h.items.length})`);
  const itemLines: number[] = [];
  h.items.forEach((i, n) => {
    itemLines.push(lines.length);
    const row = `${n === cursor ? '>' : ' '} ${fit(`#${i.id}`, 7)} ${i.role === 'service' ? 'SVC' : 'SUP'} ${fit(i.status, 9)} ${fit(i.priority, 6)} ${fit(relativeTime(i.createdAt, now), 14)} ${sanitizeLine(i.subject)}`;
    lines.push(n === cursor ? theme.cursor(fit(row, width)) : truncate(row, width));
  });
  if (!h.items.length) lines.push(theme.dim('  No items.'));
  lines.push('');
  rule(`Orders (${h.orders.length})`);
  for (const o of h.orders.slice(0, 20))
    lines.push(
      truncate(
        `  ${localTime(o.orderedAt).slice(0, 10)}  ${fit(money(o.amount, o.currency), 12, 'right')}  ${o.reference ? sanitizeLine(o.reference) : ''}`,
        width,
      ),
    );
  if (h.orders.length > 20) lines.push(theme.dim(`  … ${h.orders.length - 20} older`));
  if (!h.orders.length) lines.push(theme.dim('  No orders.'));
  lines.push('');
  rule(`Surveys (${h.surveys.length})`);
  for (const s of h.surveys.slice(0, 20)) {
    const score = `${s.kind.toUpperCase()} ${s.score}${s.kind === 'csat' ? '/5' : '/10'}`;
    lines.push(
      truncate(
        `  ${localTime(s.createdAt).slice(0, 10)}  ${fit(score, 9)}${s.itemId ? ` on #${s.itemId}` : ''}${s.comment ? ` “${sanitizeLine(s.comment)}”` : ''}`,
        width,
      ),
    );
  }
  if (!h.surveys.length) lines.push(theme.dim('  No survey answers.'));
  return { lines, itemLines };
}

export function CustomerPage({ modal, width, height, theme }: { modal: CustomerModal; width: number; height: number; theme: Theme }) {
  const [cursor, setCursor] = useState(0);
  const [top, setTop] = useState(0);
  // The cursor as the keys of one burst leave it.
  const latest = useRef(cursor);
  const room = Math.max(1, height - 1);
  const page = customerPageLines(modal.history, width, modal.now, theme, cursor);
  const follow = (c: number) => {
    latest.current = c;
    setCursor(c);
    const line = page.itemLines[c] ?? 0;
    setTop((t) => (line < t ? line : line >= t + room ? line - room + 1 : t));
  };
  const count = modal.history.items.length;
  useKeys(modal.seq, (input, key) => {
    if (key.paste) return;
    if (key.escape || input === 'q' || input === 'c') return modal.resolve(null);
    if (key.return) return modal.resolve(modal.history.items[latest.current]?.id ?? null);
    if (input === 'j' || key.downArrow) return follow(Math.min(count - 1, latest.current + 1));
    if (input === 'k' || key.upArrow) return follow(Math.max(0, latest.current - 1));
    if (input === ' ' || key.pageDown) return setTop((t) => Math.max(0, Math.min(page.lines.length - room, t + room - 1)));
    if (key.pageUp) return setTop((t) => Math.max(0, t - room + 1));
  });
  const shown = page.lines.slice(top, top + room);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l || ' '}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate">
        {theme.dim(truncate('j/k choose an item · Enter opens it · Space/PgDn scroll · Esc, q or c closes', width))}
      </Text>
    </Box>
  );
}
