/**
 * The form in which kefu reads a customer's or a document's text, the same everywhere (knowledge tokens,
 * intent features, compliance patterns and lexicons): NFKC (full-width → half-width, ligatures and
 * compatibility characters spelled out), lower case, every apostrophe as ', runs of whitespace as one space,
 * no space at either end.
 */
export function readingForm(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[’‘`´]/g, "'").replace(/\s+/g, ' ').trim();
}
