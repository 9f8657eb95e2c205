/**
 * A text embedder that reads Chinese through English glosses (chinese-gloss.ts) before an English
 * encoder embeds it: `use-lite-zh` is the sentence encoder for bilingual classes, such as the entry
 * selector's, where an entry's Chinese and English phrasings share a class. Text without Chinese
 * characters is embedded as it is.
 */
import type { TextEmbedder } from './text-embedder.ts';
import { glossChinese, type Glossary } from './chinese-gloss.ts';

const HAN = /\p{Script=Han}/u;

export function glossedEmbedder(inner: TextEmbedder, glossary: Glossary, name = `${inner.name}-zh`): TextEmbedder {
  const glossed = new Map<string, string>();
  const read = (text: string): string => {
    if (!HAN.test(text)) return text;
    let g = glossed.get(text);
    if (g === undefined) {
      g = glossChinese(text, glossary);
      if (glossed.size >= 20_000) glossed.clear();
      glossed.set(text, g);
    }
    return g;
  };
  return {
    name,
    dim: inner.dim,
    embed: (text) => inner.embed(read(text)),
    ...(inner.prepare ? { prepare: (texts: string[]) => inner.prepare!(texts.map(read)) } : {}),
  };
}
