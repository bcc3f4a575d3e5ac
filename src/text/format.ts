// Formatting for faces: durations, ages, SLA countdowns, money. The core hands over seconds and ISO times.
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';

/** Compact duration: 45s, 12m, 3h, 2d 4h, 5w. */
export function shortDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 14) return `${d}d${h % 24 ? ` ${h % 24}h` : ''}`;
  return `${Math.floor(d / 7)}w`;
}

export function ageOf(iso: string, now: Date): string {
  return shortDuration((now.getTime() - Date.parse(iso)) / 1000);
}

/** "in 2h" / "3h ago" (long form for detail views). */
export function relativeTime(iso: string, now: Date): string {
  const d = new Date(iso);
  if (Math.abs(d.getTime() - now.getTime()) < 60_000) return 'just now';
  const phrase = formatDistanceStrict(d, now);
  return d.getTime() >= now.getTime() ? `in ${phrase}` : `${phrase} ago`;
}

/** SLA countdown for a list cell: "2h 5m", or "-35m" when breached. */
function slaCountdown(nextDueAt: string | null, now: Date): string {
  if (!nextDueAt) return '';
  const left = (Date.parse(nextDueAt) - now.getTime()) / 1000;
  return left < 0 ? `-${shortDuration(-left)}` : shortDuration(left);
}

/** The business-hours part of an item's SLA, as the core hands it over (sla-explain.ts, BusinessSla). */
export interface BusinessSlaText {
  leftSeconds: number | null;
  dueLabel: string | null;
  paused: boolean;
  computedAt: string;
  running: boolean;
  runningUntil: string | null;
}

/**
 * Business seconds left at `now`, counted on from when the view was loaded: while the calendar stays
 * open the countdown runs with the clock, while closed it stands still (exact until the next opening
 * or closing; the view is reloaded on every change anyway).
 */
function businessLeftAt(b: BusinessSlaText, now: Date): number | null {
  if (b.leftSeconds === null) return null;
  if (!b.running) return b.leftSeconds;
  const from = Date.parse(b.computedAt);
  const to = Math.min(now.getTime(), b.runningUntil ? Date.parse(b.runningUntil) : Infinity);
  return b.leftSeconds - Math.max(0, Math.round((to - from) / 1000));
}

/** SLA cell of a list: business time left when the policy counts business hours, "paused" while waiting. */
export function slaCell(
  sla: { nextDueAt: string | null; business?: (BusinessSlaText & { calendar: string | null }) | null },
  now: Date,
): string {
  const b = sla.business;
  if (b?.paused && !sla.nextDueAt) return 'paused';
  if (b?.calendar) {
    const left = businessLeftAt(b, now);
    if (left !== null) return left < 0 ? `-${shortDuration(-left)}` : shortDuration(left);
  }
  return slaCountdown(sla.nextDueAt, now);
}

/** "3h 12m business · Mon 10:12" (or "2h business late · Mon 10:12"), for detail views; null without a calendar. */
export function businessCountdown(b: (BusinessSlaText & { calendar: string | null }) | null | undefined, now: Date): string | null {
  if (!b?.calendar || !b.dueLabel) return null;
  const left = businessLeftAt(b, now);
  if (left === null) return null;
  return left < 0 ? `${shortDuration(-left)} business late · ${b.dueLabel}` : `${shortDuration(left)} business · ${b.dueLabel}`;
}

export function money(amount: number, currency: string | null): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD', maximumFractionDigits: 2 }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency ?? ''}`.trim();
  }
}

export function localTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
