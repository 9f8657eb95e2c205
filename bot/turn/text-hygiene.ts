/**
 * What a customer's text must be before any channel hands it to the bot: storable (PostgreSQL text holds
 * no NUL byte, and UTF-8 — in the database and in JSON sent on — holds no lone surrogate half) and short
 * enough in the form the pipeline works on (NFKC, as compliance and knowledge read it: one character may
 * become eighteen).
 */

const UNSTORABLE = /\u0000|[\uD800-\uDFFF]/u; // with the u flag, only unpaired surrogate halves match the range

/** The first character PostgreSQL or UTF-8 JSON cannot hold, as `U+XXXX` at its index; undefined when there is none. */
export function findUnstorable(text: string): { index: number; codePoint: string } | undefined {
  const m = UNSTORABLE.exec(text);
  if (!m) return undefined;
  return { index: m.index, codePoint: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` };
}

/** The text with those characters removed: for channels whose payloads legitimately carry them. */
export function stripUnstorable(text: string): string {
  return text.replace(new RegExp(UNSTORABLE.source, 'gu'), '');
}

/** How many characters the pipeline works on: the length after NFKC normalisation. */
export function processedLength(text: string): number {
  return text.normalize('NFKC').length;
}

/**
 * The most characters the models (intent recognition, the entry selector, knowledge search) read of one
 * message. Compliance and entity extraction read all of it; a model's work grows with its input, and a
 * question longer than this is as well recognised from its opening and its close.
 */
export const MODEL_TEXT_LIMIT = 1000;

/** The text the models read: all of a message up to the limit, else its opening and its close. */
export function textForModels(text: string, limit = MODEL_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  const half = Math.floor(limit / 2);
  return `${chars.slice(0, half).join('')} … ${chars.slice(chars.length - half).join('')}`;
}
