// How KPI figures are shown: units, changes in the right direction and colour, sparklines.
import { describe, expect, it } from 'vitest';
import { SERVICE_FIGURES, SUPPORT_FIGURES, panelOrder } from '../../src/core/kpi.js';
import { changeArrow, changeTone, formatKpiChange, formatKpiValue, sparkline } from '../../src/text/kpi-format.js';

const info = (key: string) => [...SUPPORT_FIGURES, ...SERVICE_FIGURES].find((f) => f.key === key)!;

describe('KPI values and changes', () => {
  it('shows each unit the way people read it, and null as a dash', () => {
    expect(formatKpiValue(info('firstResponseMedian'), 9000)).toBe('2h 30m');
    expect(formatKpiValue(info('csat'), 0.625)).toBe('62.5%');
    expect(formatKpiValue(info('nps'), 25)).toBe('+25.0');
    expect(formatKpiValue(info('nps'), -100)).toBe('-100.0');
    expect(formatKpiValue(info('customerLifetimeValue'), 56.25)).toBe('$56.25');
    expect(formatKpiValue(info('volume'), 8)).toBe('8');
    expect(formatKpiValue(info('csat'), null)).toBe('—');
    expect(formatKpiChange(info('csat'), -0.0417)).toBe('−4.2 pts');
    expect(formatKpiChange(info('firstResponseMedian'), 1560)).toBe('+26m');
    expect(formatKpiChange(info('volume'), 0)).toBe('=');
    expect(formatKpiChange(info('volume'), null)).toBe('—');
  });

  it('judges a change good or bad by the figure: faster responses and higher CSAT are good, a bigger backlog is bad', () => {
    expect(changeTone(info('firstResponseMedian'), { change: -60 })).toBe('good');
    expect(changeTone(info('csat'), { change: 0.1 })).toBe('good');
    expect(changeTone(info('backlog'), { change: 5 })).toBe('bad');
    expect(changeTone(info('escalationRate'), { change: 0.01 })).toBe('bad');
    expect(changeTone(info('nps'), { change: null })).toBe('flat');
    expect([changeArrow({ change: 2 }), changeArrow({ change: -2 }), changeArrow({ change: 0 })]).toEqual(['↑', '↓', '→']);
  });
});

describe('sparkline', () => {
  it('scales a series between its minimum and maximum, one column per point, gaps as spaces', () => {
    expect(sparkline([0, 7, 14])).toBe('▁▅█');
    expect(sparkline([3, null, 3])).toBe('▄ ▄');
    expect(sparkline([null, null])).toBe('  ');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });
});

describe('panel order', () => {
  it("puts an agent's own role first; a solo founder sees support then service", () => {
    expect(panelOrder('service')).toEqual(['service', 'support']);
    expect(panelOrder('support')).toEqual(['support', 'service']);
    expect(panelOrder('both')).toEqual(['support', 'service']);
  });
});
