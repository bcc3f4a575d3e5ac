// The one sanitizer for untrusted text (customer subjects, bodies, names) before it reaches a terminal.
// Escape sequences are removed whole; other control characters become visible placeholders.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ ... ST), two-byte ESC sequences,
// and their 8-bit C1 forms (0x9b CSI, 0x9d OSC, 0x90 DCS, 0x98 SOS, 0x9e PM, 0x9f APC).
const ESCAPE_SEQUENCES = new RegExp(
  [
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?', // CSI
    '(?:\\u001b\\]|\\u009d)[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?', // OSC
    '(?:\\u001b[PX^_]|[\\u0090\\u0098\\u009e\\u009f])[^\\u001b\\u009c]*(?:\\u001b\\\\|\\u009c)?', // DCS, SOS, PM, APC
    '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?', // other ESC sequences (charset, keypad, RIS...)
  ].join('|'),
  'g',
);

// Remaining C0 (but tab/newline handled separately), DEL, C1, and bidi controls that can disguise text.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function placeholder(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x20) return String.fromCodePoint(0x2400 + code); // ␀ ␁ ... visible control pictures
  if (code === 0x7f) return '\u2421'; // ␡
  return '\ufffd';
}

/** Multi-line text safe for a terminal: escape sequences removed, controls made visible, tabs expanded. */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCES, '').replace(/\t/g, '    ').replace(CONTROL, placeholder);
}

/** One-line text (list cells, headers): as sanitizeText, with line breaks shown as spaces. */
export function sanitizeLine(text: string | null | undefined): string {
  if (!text) return '';
  return sanitizeText(text).replace(/\n+/g, ' ').replace(/ {2,}/g, ' ').trim();
}
