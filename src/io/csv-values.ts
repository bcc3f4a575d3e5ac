// Reading typed values out of export cells: money as shops and spreadsheets write it ("$1,234.50",
// "1.234,50 €", "(25.00)"), scores, and yes/no columns. Each throws a RecordError naming the field.
import { RecordError } from './import-report.js';

/** Minor units (cents) from a money cell; negative for a refund written "-25.00" or "(25.00)". */
export function parseMoneyCents(text: string, field: string): number {
  let t = text.trim();
  const negative = /^\(.*\)$/.test(t) || /^-/.test(t.replace(/^[^\d-]+/, '')) || /-$/.test(t);
  t = t.replace(/[()\s'’-]/g, '').replace(/^[A-Za-z$€£¥]+|[A-Za-z$€£¥]+$/g, '');
  if (!/^\d[\d.,]*$/.test(t)) throw new RecordError(`${field}: ${JSON.stringify(text)} is not an amount of money`);
  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  // The later of "." and "," is the decimal mark; alone, "1.234" and "1,234" group thousands.
  let decimal: '.' | ',' | null = null;
  if (lastDot >= 0 && lastComma >= 0) decimal = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0) decimal = /^\d{1,3}(\.\d{3})+$/.test(t) ? null : '.';
  else if (lastComma >= 0) decimal = /^\d{1,3}(,\d{3})+$/.test(t) ? null : ',';
  const cut = decimal ? t.lastIndexOf(decimal) : t.length;
  const whole = t.slice(0, cut);
  const frac = decimal ? t.slice(cut + 1) : '';
  const digits = whole.replace(/[.,]/g, '');
  if (frac.length > 2 || (decimal && frac.length === 0) || /[.,]/.test(frac))
    throw new RecordError(`${field}: ${JSON.stringify(text)} is not an amount of money`);
  const cents = Number(digits) * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(cents)) throw new RecordError(`${field}: ${JSON.stringify(text)} is not an amount of money`);
  return negative ? -cents : cents;
}

/** A whole-number score ("9", "9.0", "4 - Satisfied"). */
export function parseScore(text: string): number | null {
  const m = /^\s*(-?\d+)(?:\.0+)?(?:\s*[-–:/(]\s*\D.*)?\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}

const YES = new Set(['true', 'yes', 'y', '1', 't', 'customer', 'inbound', 'in', 'from customer']);
const NO = new Set(['false', 'no', 'n', '0', 'f', 'agent', 'outbound', 'out', 'company', 'staff', 'to customer']);

/** A yes/no cell (true/false, yes/no, 1/0); null when it is neither. */
export function parseYesNo(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  return YES.has(t) ? true : NO.has(t) ? false : null;
}
