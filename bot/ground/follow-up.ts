/**
 * Whether a message leans on what was said before: short, and opening with or pointing back through
 * words like "and", "what about", "it", "there", "那", "这个", "呢". Such a message is read together with
 * the customer's previous one ("Do you ship to Hong Kong?" → "and how long would it take?"). Pure.
 */
import { hasHan } from '../turn/locale.ts';

const EN_BACK = /^(and|also|plus|but|so|then|what about|how about|ok(ay)?)\b|\b(it|its|that|this|there|they|them|those|these|one)\b/i;
const ZH_BACK = /^(那|那么|还有|另外|然后|这个|那个|它|这|那边)|(这个|那个|它|呢|的话|这样|那样|这种|那种)/;

export function leansOnContext(text: string): boolean {
  const t = text.trim();
  if (hasHan(t)) return [...t].length <= 16 && ZH_BACK.test(t);
  return t.split(/\s+/).length <= 10 && EN_BACK.test(t);
}
