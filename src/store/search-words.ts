// The words of a search, the same for every engine: split on spaces, punctuation and symbols, so no
// character of user text is ever read as query syntax.
export function searchWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}]+/u)
    .map((w) => w.replace(/[\u0000-\u001f\u007f]/g, ''))
    .filter((w) => w.length > 0);
}
