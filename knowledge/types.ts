/**
 * The knowledge area's own types: what parsers produce, what the chunker makes of it, what search returns.
 */
import type { Locale, Source } from '../bot/turn/types.ts';

/**
 * One structural piece of a parsed document, in reading order. Texts are plain, but for `**bold**`, the one
 * inline mark kefu keeps (the widget and the help pages show it; bot/turn/plain-text.ts drops it).
 */
export type Block =
  /** `line`: where the heading is in the source (1-based), when the format has lines (Markdown). */
  | { kind: 'heading'; level: number; text: string; anchor?: string; line?: number }
  | { kind: 'text'; text: string }
  /** A bulleted or numbered list; an item's nested list follows it as items of its own. */
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'faq'; question: string; answer: string; anchor?: string; phrasings?: string[] }
  /** Other ways customers ask the question of the section it is in ("Also asked:" / "其他问法：" list). */
  | { kind: 'phrasings'; items: string[] }
  /** Starts a separately identified document inside one file (a JSONL line, an FAQ sheet row set). */
  | { kind: 'document'; id: string; title: string; url?: string };

export interface ParsedDocument {
  title: string;
  blocks: Block[];
  /** What the parser read past but a writer should fix (`line N: …`), e.g. a code fence never closed. */
  warnings?: string[];
}

/** What the chunker hands to the index: a passage that knows where it came from. */
export interface Chunk {
  /** The passage's document id: `<path stem>#<anchor>` or an id a document set gave. */
  docId: string;
  position: number;
  /** `question`: an entry's question or one of its phrasings, indexed as its own field next to the answer. */
  kind: 'text' | 'table' | 'faq' | 'question';
  titlePath: string[];
  /** Link to the passage (anchor included) where the source has one. */
  url?: string;
  text: string;
  locale: Locale;
}

/** A passage found for a question, cut by the relevance threshold. */
export interface Hit {
  text: string;
  /** Relevance in [0, 1]: how well the passage covers the question (lexically or by meaning). */
  score: number;
  source: Source;
  docId: string;
  /** Set when a trainer-approved curated answer matched the question. */
  curated?: boolean;
  /** The document's own question (its heading), for "Did you mean …?". */
  question?: string;
}

/** Turns texts into vectors; one implementation per model family. */
export interface Embedder {
  /** Stable name of the model; vectors of different models are never compared. */
  readonly id: string;
  readonly dimensions: number;
  /** The languages whose text it embeds meaningfully; other text is served lexically only. */
  readonly locales: readonly Locale[];
  embed(texts: string[]): Promise<number[][]>;
}

export type SkipReason = string;

export interface IngestSummary {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  skipped: { path: string; reason: SkipReason }[];
  chunks: number;
}

export type IngestProgress = { done: number; total: number; path: string };
