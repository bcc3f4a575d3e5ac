// How KPI figures look to people, for both faces: values, changes, whether a change is good, sparklines.
// The core hands over raw numbers (seconds, fractions 0–1, NPS points, money in major units).
import type { FigureInfo, Figure } from '../core/kpi.js';
import { money, shortDuration } from './format.js';

/** A figure's value: durations as "3h 5m", rates as "62.5%", NPS signed, money with two decimals, null as "—". */
export function formatKpiValue(info: FigureInfo, v: number | null): string {
  if (v === null) return '—';
  switch (info.unit) {
    case 'seconds':
      return shortDuration(v);
    case 'ratio':
      return `${(v * 100).toFixed(1)}%`;
    case 'nps':
      return (v > 0 ? '+' : '') + v.toFixed(1);
    case 'money':
      return money(v, null);
    case 'number':
      return v.toFixed(2);
    default:
      return String(v);
  }
}

/** A change against the previous period: "+5", "−26m", "+6.5 pts" (rates change in percentage points), "=" or "—". */
export function formatKpiChange(info: FigureInfo, d: number | null): string {
  if (d === null) return '—';
  if (d === 0) return '=';
  const sign = d > 0 ? '+' : '−';
  const a = Math.abs(d);
  switch (info.unit) {
    case 'seconds':
      return sign + shortDuration(a);
    case 'ratio':
      return `${sign}${(a * 100).toFixed(1)} pts`;
    case 'nps':
      return sign + a.toFixed(1);
    case 'money':
      return sign + money(a, null);
    case 'number':
      return sign + a.toFixed(2);
    default:
      return sign + String(a);
  }
}

/** 'good' | 'bad' | 'flat' (no change, or nothing to compare), by which way is better for the figure. */
export function changeTone(info: FigureInfo, f: Pick<Figure, 'change'>): 'good' | 'bad' | 'flat' {
  if (f.change === null || f.change === 0) return 'flat';
  return (info.better === 'higher') === f.change > 0 ? 'good' : 'bad';
}

/** An arrow for a change: ↑, ↓ or → (flat / unknown). */
export function changeArrow(f: Pick<Figure, 'change'>): string {
  return f.change === null || f.change === 0 ? '→' : f.change > 0 ? '↑' : '↓';
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of a series, scaled between its own minimum and maximum; a gap (null) is a space. */
export function sparkline(values: readonly (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return ' '.repeat(values.length);
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  return (
    values
      // A flat series sits on the floor when it is all zeros, else mid-height.
      .map((v) => (v === null ? ' ' : BARS[hi === lo ? (hi === 0 ? 0 : 3) : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]!))
      .join('')
  );
}
