/**
 * TF-IDF over the two feature blocks of text.ts: sublinear term frequency, smoothed IDF, each block
 * L2-normalised on its own and scaled by its weight, concatenated into one sparse vector; optionally
 * followed by a dense block, the text's embedding (embedders.ts).
 */
import { embedderNamed } from './embedders.ts';
import type { TextEmbedder } from './text-embedder.ts';
import { DEFAULT_FEATURES, featuresOf, type FeatureOptions, type TextFeatures } from './text.ts';

/**
 * A text's features: its TF-IDF terms (sparse: columns `idx`, values `val`) and, when the vectorizer has
 * an embedding block and the text has a vector, that block's values (`dense`, the last columns).
 */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
  dense?: Float32Array;
}

export interface Vectorizer {
  features: FeatureOptions;
  /** Term → column. Word terms are prefixed `w:`, character terms `c:`. */
  vocab: Map<string, number>;
  idf: Float32Array;
  /** Weight of the word block and of the character block in the joined vector. */
  wordWeight: number;
  charWeight: number;
  /** The embedding block after the TF-IDF columns (its columns start at vocab.size); null without one. */
  embedding: EmbeddingBlock | null;
}

export interface EmbeddingBlock {
  /** Scale of the (L2-normalised) text vector. */
  weight: number;
  /** Stored with the model by name (embedders.ts). */
  embedder: TextEmbedder;
}

export interface VectorizerOptions {
  features?: FeatureOptions;
  /** Terms in fewer documents than this are dropped. */
  minDf?: number;
  wordWeight?: number;
  charWeight?: number;
  /** Weight of the embedding block; 0 or absent leaves it out. */
  embeddingWeight?: number;
  /** Embedder of the block (default: the word-piece embeddings). */
  embedder?: TextEmbedder;
}

export function fitVectorizer(texts: string[], opts: VectorizerOptions = {}): { vectorizer: Vectorizer; rows: SparseVector[] } {
  const features = opts.features ?? DEFAULT_FEATURES;
  const minDf = opts.minDf ?? 1;
  const df = new Map<string, number>();
  const docs: TextFeatures[] = texts.map((t) => featuresOf(t, features));
  for (const doc of docs) {
    for (const term of termsOf(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const vocab = new Map<string, number>();
  const idfValues: number[] = [];
  const n = texts.length;
  for (const [term, count] of df) {
    if (count < minDf) continue;
    vocab.set(term, vocab.size);
    idfValues.push(Math.log((1 + n) / (1 + count)) + 1);
  }
  const vectorizer: Vectorizer = {
    features,
    vocab,
    idf: Float32Array.from(idfValues),
    wordWeight: opts.wordWeight ?? 1,
    charWeight: opts.charWeight ?? 1,
    embedding: opts.embeddingWeight ? { weight: opts.embeddingWeight, embedder: opts.embedder ?? embedderNamed() } : null,
  };
  return { vectorizer, rows: docs.map((doc, i) => vectorizeFeatures(vectorizer, doc, texts[i]!)) };
}

/** Number of columns: TF-IDF terms plus the embedding block. */
export function featureCount(v: Vectorizer): number {
  return v.vocab.size + (v.embedding?.embedder.dim ?? 0);
}

function termsOf(doc: TextFeatures): Set<string> {
  const terms = new Set<string>();
  for (const w of doc.words) terms.add(`w:${w}`);
  for (const c of doc.chars) terms.add(`c:${c}`);
  return terms;
}

export function vectorize(vectorizer: Vectorizer, text: string): SparseVector {
  return vectorizeFeatures(vectorizer, featuresOf(text, vectorizer.features), text);
}

function vectorizeFeatures(v: Vectorizer, doc: TextFeatures, text: string): SparseVector {
  const words = blockOf(v, doc.words, 'w:', v.wordWeight);
  const chars = blockOf(v, doc.chars, 'c:', v.charWeight);
  const idx = new Int32Array(words.idx.length + chars.idx.length);
  const val = new Float32Array(idx.length);
  idx.set(words.idx);
  idx.set(chars.idx, words.idx.length);
  val.set(words.val);
  val.set(chars.val, words.idx.length);
  const embedded = v.embedding ? v.embedding.embedder.embed(text) : null;
  if (!embedded) return { idx, val };
  const weight = v.embedding!.weight;
  return { idx, val, dense: Float32Array.from(embedded, (x) => x * weight) };
}

function blockOf(v: Vectorizer, terms: string[], prefix: string, weight: number): { idx: number[]; val: number[] } {
  const counts = new Map<number, number>();
  for (const term of terms) {
    const col = v.vocab.get(prefix + term);
    if (col !== undefined) counts.set(col, (counts.get(col) ?? 0) + 1);
  }
  const idx: number[] = [];
  const val: number[] = [];
  let norm = 0;
  for (const [col, tf] of counts) {
    const x = (1 + Math.log(tf)) * v.idf[col]!;
    idx.push(col);
    val.push(x);
    norm += x * x;
  }
  const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
  for (let i = 0; i < val.length; i++) val[i]! *= scale;
  return { idx, val };
}
