// Dates as helpdesk CSV exports write them: ISO 8601, `dd-mm-yy`, `dd/mm/yyyy hh:mm`,
// `Mon Oct 11 06:55:44 +0000 2017`…, or one explicit date-fns format. Times without a zone are UTC.
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { parseISO } from 'date-fns/parseISO';
import { RecordError } from './import-report.js';

/** Tried in order after ISO 8601; day-first, as Zendesk and Freshdesk write outside the US. */
const DATE_FORMATS = [
  'EEE MMM dd HH:mm:ss xx yyyy',
  'yyyy-MM-dd HH:mm:ss xx',
  'yyyy-MM-dd HH:mm xx',
  'yyyy/MM/dd HH:mm:ss',
  'yyyy/MM/dd HH:mm',
  'yyyy/MM/dd',
  'dd-MM-yyyy HH:mm:ss',
  'dd-MM-yyyy HH:mm',
  'dd-MM-yyyy',
  'dd-MM-yy HH:mm:ss',
  'dd-MM-yy HH:mm',
  'dd-MM-yy',
  'dd/MM/yyyy HH:mm:ss',
  'dd/MM/yyyy HH:mm',
  'dd/MM/yyyy',
  'dd/MM/yy HH:mm',
  'dd/MM/yy',
  'dd.MM.yyyy HH:mm:ss',
  'dd.MM.yyyy HH:mm',
  'dd.MM.yyyy',
  'd MMM yyyy HH:mm',
  'd MMM yyyy',
  'dd/MMM/yy h:mm a',
  'dd/MMM/yyyy h:mm a',
  'M/d/yyyy H:mm:ss',
  'M/d/yyyy H:mm',
  'MM/dd/yyyy',
  'MM/dd/yy',
  'MMM d, yyyy h:mm a',
  'MMM d, yyyy',
  'EEE, d MMM yyyy HH:mm:ss xx',
];

const HAS_ZONE = /[xXO]/;
// A fixed reference keeps two-digit years stable (date-fns picks the century nearest to it).
const REFERENCE = new Date(Date.UTC(2000, 0, 1));

function tryFormat(text: string, format: string): Date | null {
  const d = HAS_ZONE.test(format) ? parse(text, format, REFERENCE) : parse(`${text} +0000`, `${format} xx`, REFERENCE);
  // 'yyyy' also reads "17": a year outside 1900-2199 means the wrong format matched.
  return isValid(d) && d.getUTCFullYear() >= 1900 && d.getUTCFullYear() < 2200 ? d : null;
}

/** Parse one date cell to an ISO UTC string; throws a RecordError naming the column. */
export function parseCsvDate(text: string, column: string, format?: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (format) {
    const d = tryFormat(t, format);
    if (!d) throw new RecordError(`${column}: ${JSON.stringify(text)} does not match --date-format ${JSON.stringify(format)}`);
    return d.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.test(t)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(t) || t.length === 10 ? t : `${t}Z`;
    const d = parseISO(t.length === 10 ? `${t}T00:00:00Z` : zoned.replace(' ', 'T'));
    if (isValid(d)) return d.toISOString();
  }
  for (const f of DATE_FORMATS) {
    const d = tryFormat(t, f);
    if (d) return d.toISOString();
  }
  throw new RecordError(`${column}: cannot read the date ${JSON.stringify(text)} (give --date-format, e.g. "dd-MM-yyyy HH:mm")`);
}
