// Column detection rules on their own: names, telling words, values, --map and --map FIELD=.
import { describe, expect, it } from 'vitest';
import { detectItemColumns, itemFieldSpecs } from '../../src/io/csv-mapping.js';
import { detectColumns } from '../../src/io/csv-detect.js';
import type { CsvRow } from '../../src/io/csv-table.js';

const rows = (...cells: string[][]): CsvRow[] => cells.map((c, i) => ({ line: i + 2, cells: c }));
const columnOf = (header: string[], data: CsvRow[], field: string, map?: string[]) => {
  const d = detectColumns(itemFieldSpecs(), header, data, map);
  const i = d.columns.get(field as never);
  return i === undefined ? null : header[i];
};

describe('CSV column detection', () => {
  it('a "State" of places is no status; a "State" of statuses is one', () => {
    const header = ['Issue', 'Date received', 'State'];
    expect(columnOf(header, rows(['a', '2023-05-10', 'PA'], ['b', '2023-05-10', 'NY']), 'status')).toBeNull();
    expect(columnOf(header, rows(['a', '2023-05-10', 'open'], ['b', '2023-05-10', 'pending reminder']), 'status')).toBe('State');
    const d = detectColumns(itemFieldSpecs(), header, rows(['a', '2023-05-10', 'CA']), undefined);
    expect(d.passed).toEqual([{ column: 'State', field: 'status', reason: 'values like "CA" are not statuses' }]);
  });

  it('finds dates and ids by telling words in the name, when the values agree', () => {
    const header = ['Complaint ID', 'Opened (UTC)', 'Submitted via', 'Topic'];
    const data = rows(['7012345', '2023-05-10 10:00', 'Web', 'Late fee']);
    expect(columnOf(header, data, 'externalId')).toBe('Complaint ID');
    expect(columnOf(header, data, 'createdAt')).toBe('Opened (UTC)'); // "Submitted via" holds no dates
    expect(columnOf(header, data, 'subject')).toBe('Topic');
    expect(columnOf(['Phone number', 'Topic', 'Date'], rows(['555 1234', 'x', '2023-01-01']), 'externalId')).toBeNull();
  });

  it('--map names a column, --map FIELD= switches one off, and an email column must hold addresses', () => {
    const header = ['Subject', 'Created', 'Email', 'Status'];
    const data = rows(['a', '2023-01-01', 'Ada Lovelace', 'open']);
    expect(columnOf(header, data, 'requesterEmail')).toBeNull();
    expect(columnOf(header, data, 'status', ['status='])).toBeNull();
    expect(columnOf(header, data, 'subject', ['subject=Status'])).toBe('Status');
    expect(() => detectItemColumns(['Subject'], data, {})).toThrow(/no column for createdAt/);
    expect(() => detectItemColumns(header, data, { map: ['nope=Subject'] })).toThrow(/unknown field "nope"/);
  });
});
