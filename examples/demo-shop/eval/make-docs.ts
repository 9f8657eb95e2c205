/**
 * Writes the retrieval eval corpus, eval/docs.jsonl, from the demo shop's help-centre Markdown:
 * one line `{"id","title","text"}` per entry, id `lang/stem#anchor`, title `topic — question`, text = its answer
 * as the knowledge base quotes it (knowledge/chunk.ts blocksText).
 *
 *   node --import tsx examples/demo-shop/eval/make-docs.ts
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadHelpCenter, type HelpEntry } from '../../../bot/content/help-articles.ts';
import { blocksText } from '../../../knowledge/chunk.ts';

export interface EvalDoc {
  id: string;
  title: string;
  text: string;
}

export function toEvalDocs(entries: HelpEntry[]): EvalDoc[] {
  return entries.map((e) => ({ id: e.id, title: `${e.topic} — ${e.question}`, text: blocksText(e.blocks) }));
}

export function formatJsonl(docs: EvalDoc[]): string {
  return docs.map((d) => JSON.stringify({ id: d.id, title: d.title, text: d.text })).join('\n') + '\n';
}

export const DEMO_SHOP_DIR = join(import.meta.dirname, '..');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const docs = toEvalDocs(loadHelpCenter(join(DEMO_SHOP_DIR, 'knowledge')));
  const out = join(DEMO_SHOP_DIR, 'eval', 'docs.jsonl');
  writeFileSync(out, formatJsonl(docs));
  console.log(`wrote ${docs.length} docs to ${out}`);
}
