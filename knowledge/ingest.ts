/**
 * Ingesting a file or a folder, incrementally: a source whose content (and embedding model) is
 * unchanged is skipped, a changed one is replaced, one no longer in the folder is removed. Each
 * source is written in its own transaction, so search never sees half of one.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Db } from '../bot/turn/database.ts';
import type { Locale } from '../bot/turn/types.ts';
import { chunkDocument } from './chunk.ts';
import { MAX_FILE_BYTES, readDocument, supportedExtension } from './parse/index.ts';
import { deferVectorIndex, ensureVectorIndex, removeSource, replaceSource, sourcesOf, type IndexedChunk } from './store.ts';
import { tokenize } from './tokens.ts';
import type { Chunk, Embedder, IngestProgress, IngestSummary } from './types.ts';

/** Bump when chunking or tokens change, so every source is re-indexed on the next ingest. */
export const INDEX_VERSION = 'k1';

export interface IngestOptions {
  /** Link prefix for passages (default `/help/`): `<urlBase><path stem>#<anchor>`. */
  urlBase?: string;
  /** Remove sources under the folder that are no longer there (default true). */
  prune?: boolean;
}

export interface IngestContext {
  db: Db;
  botId: string;
  embedder?: Embedder;
  vectors: boolean;
  onProgress?: (p: IngestProgress) => void;
}

export async function ingestPath(ctx: IngestContext, path: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const target = resolve(path);
  const summary: IngestSummary = { added: [], updated: [], unchanged: [], removed: [], skipped: [], chunks: 0 };
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    summary.skipped.push({ path, reason: 'no such file or folder' });
    return summary;
  }
  const root = isDir ? target : dirname(target);
  const files = isDir ? walk(target) : [target];
  const stored = new Map((await sourcesOf(ctx.db, ctx.botId)).map((s) => [s.origin, s]));
  const seen = new Set<string>();
  const modelId = ctx.vectors && ctx.embedder ? ctx.embedder.id : 'lexical';

  // a fresh store's vector index is built once, after the load, not chunk by chunk (store.ts deferVectorIndex)
  if (ctx.vectors && files.length) await deferVectorIndex(ctx.db);
  try {
    for (const [i, file] of files.entries()) {
      const ref = relative(root, file).split(sep).join('/');
      ctx.onProgress?.({ done: i, total: files.length, path: ref });
      seen.add(file);
      if (!supportedExtension(file)) {
        summary.skipped.push({ path: ref, reason: `unsupported file type '${extname(file) || basename(file)}'` });
        continue;
      }
      const size = statSync(file).size;
      if (size > MAX_FILE_BYTES) {
        summary.skipped.push({ path: ref, reason: `too large: ${(size / 1048576).toFixed(1)} MB is over the ${MAX_FILE_BYTES / 1048576} MB limit per file; split it` });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        summary.skipped.push({ path: ref, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
        continue;
      }
      const hash = createHash('sha256').update(bytes).update(`\0${modelId}\0${INDEX_VERSION}\0${opts.urlBase ?? ''}`).digest('hex');
      const before = stored.get(file);
      if (before?.content_hash === hash) {
        summary.unchanged.push(ref);
        continue;
      }
      const read = await readDocument(file, bytes);
      if ('reason' in read) {
        summary.skipped.push({ path: ref, reason: before ? `${read.reason} (the previously indexed version is kept)` : read.reason });
        continue;
      }
      const stem = ref.slice(0, ref.length - extname(ref).length);
      const chunks = chunkDocument(read.doc, { ref: stem, urlBase: opts.urlBase ?? '/help/', locale: localeFromPath(stem) });
      if (!chunks.length) {
        summary.skipped.push({ path: ref, reason: 'no text found' });
        continue;
      }
      try {
        const indexed = await indexChunks(chunks, ctx);
        await replaceSource(ctx.db, { botId: ctx.botId, origin: file, ref, title: read.doc.title, kind: read.kind, contentHash: hash, chunks: indexed, embeddingModel: modelId }, ctx.vectors);
      } catch (err) {
        const why = `indexing failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
        summary.skipped.push({ path: ref, reason: before ? `${why} (the previously indexed version is kept)` : why });
        continue;
      }
      summary.chunks += chunks.length;
      (before ? summary.updated : summary.added).push(ref);
    }
  } finally {
    if (ctx.vectors) await ensureVectorIndex(ctx.db);
  }
  ctx.onProgress?.({ done: files.length, total: files.length, path: '' });

  if (isDir && opts.prune !== false) {
    for (const [origin, s] of stored) {
      if (origin.startsWith(target + sep) && !seen.has(origin)) {
        await removeSource(ctx.db, ctx.botId, s.id);
        summary.removed.push(relative(root, origin).split(sep).join('/'));
      }
    }
  }
  if (summary.added.length || summary.updated.length || summary.removed.length) await analyze(ctx.db);
  return summary;
}

/**
 * Fresh planner statistics, so searches use the GIN and HNSW indexes instead of scanning; and the lexical
 * index's pending entries (new rows wait in a list that every search reads through, one by one, until a
 * vacuum merges them; PGlite never vacuums) merged into it.
 */
export async function analyze(db: Db): Promise<void> {
  await db.exec("analyze knowledge_sources; analyze knowledge_chunks; analyze knowledge_terms; select gin_clean_pending_list('knowledge_chunks_lexemes')");
}

/** Tokens and (for the languages the embedder serves) embeddings of the title path and text (a question: its own words). */
export async function indexChunks(chunks: Chunk[], ctx: { embedder?: Embedder; vectors: boolean }): Promise<IndexedChunk[]> {
  const indexed: IndexedChunk[] = chunks.map((c) => ({ ...c, tokens: tokenize(embedText(c, Infinity)) }));
  const embedder = ctx.vectors ? ctx.embedder : undefined;
  if (embedder) {
    const wanted = indexed.filter((c) => embedder.locales.includes(c.locale));
    const vectors = wanted.length ? await embedder.embed(wanted.map((c) => embedText(c))) : [];
    wanted.forEach((c, i) => (c.embedding = vectors[i]));
  }
  return indexed;
}

/**
 * What is indexed: the title path and the passage's opening (embeddings read up to 2,000 characters), its
 * `**bold**` marks dropped; a question stands alone.
 */
export function embedText(c: Chunk, chars = 2000): string {
  const text = c.text.replace(/\*\*/g, '').slice(0, chars);
  return c.kind === 'question' ? text : `${c.titlePath.join(' / ')}\n${text}`;
}

/** `en/…` or `zh/…` (or `….zh.md`) says the language; otherwise it is detected per chunk. */
export function localeFromPath(stem: string): Locale | undefined {
  const parts = stem.toLowerCase().split('/');
  for (const p of parts) {
    if (p === 'en' || p.startsWith('en-')) return 'en';
    if (p === 'zh' || p.startsWith('zh-')) return 'zh';
  }
  const suffix = /\.(en|zh)(-[a-z]+)?$/.exec(parts[parts.length - 1]);
  return suffix ? (suffix[1] as Locale) : undefined;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
