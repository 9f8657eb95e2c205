/**
 * The knowledge tables: writing a source's chunks (one transaction per source, document frequencies
 * and the bot's knowledge version kept in step) and reading corpus statistics. Same SQL on PGlite and
 * PostgreSQL.
 */
import type { Db, Queryable } from '../bot/turn/database.ts';
import { toTsvector } from './tokens.ts';
import type { Chunk } from './types.ts';

export const VECTOR_DIMENSIONS = 512;

export interface IndexedChunk extends Chunk {
  /** Lexical tokens of the title path and text. */
  tokens: string[];
  embedding?: number[];
}

export interface SourceRecord {
  botId: string;
  /** Absolute path (or another unique name) of the source. */
  origin: string;
  /** Path relative to the ingested folder. */
  ref: string;
  title: string;
  kind: string;
  contentHash: string;
  chunks: IndexedChunk[];
  embeddingModel?: string;
}

export interface StoredSource {
  id: number;
  origin: string;
  content_hash: string;
}

export async function hasVectorColumn(db: Queryable): Promise<boolean> {
  const rows = await db.query(
    "select 1 from information_schema.columns where table_name = 'knowledge_chunks' and column_name = 'embedding'",
  );
  return rows.length > 0;
}

export async function sourcesOf(db: Queryable, botId: string): Promise<StoredSource[]> {
  return db.query<StoredSource>('select id, origin, content_hash from knowledge_sources where bot_id = $1', [botId]);
}

/** Replaces a source's chunks (or adds the source) atomically: search sees the old version or the new one. */
export async function replaceSource(db: Db, rec: SourceRecord, withVectors: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const existing = await tx.query<{ id: number }>('select id from knowledge_sources where bot_id = $1 and origin = $2', [rec.botId, rec.origin]);
    const tokenTotal = rec.chunks.reduce((n, c) => n + c.tokens.length, 0);
    let sourceId: number;
    if (existing.length) {
      sourceId = Number(existing[0].id);
      await forgetChunks(tx, rec.botId, sourceId);
      await tx.query(
        'update knowledge_sources set ref = $2, title = $3, kind = $4, content_hash = $5, chunk_count = $6, token_total = $7, ingested_at = now() where id = $1',
        [sourceId, rec.ref, rec.title, rec.kind, rec.contentHash, rec.chunks.length, tokenTotal],
      );
    } else {
      const rows = await tx.query<{ id: number }>(
        'insert into knowledge_sources (bot_id, origin, ref, title, kind, content_hash, chunk_count, token_total) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id',
        [rec.botId, rec.origin, rec.ref, rec.title, rec.kind, rec.contentHash, rec.chunks.length, tokenTotal],
      );
      sourceId = Number(rows[0].id);
    }
    await insertChunks(tx, rec, sourceId, withVectors);
    await tx.query(
      `insert into knowledge_terms (bot_id, term, df)
       select $1, u.lexeme, count(*) from knowledge_chunks c, unnest(c.lexemes) u where c.source_id = $2 group by u.lexeme
       on conflict (bot_id, term) do update set df = knowledge_terms.df + excluded.df`,
      [rec.botId, sourceId],
    );
    await raiseKnowledgeVersion(tx, rec.botId);
  });
}

/** Removes a source, its chunks and their share of the document frequencies, atomically. */
export async function removeSource(db: Db, botId: string, sourceId: number): Promise<void> {
  await db.transaction(async (tx) => {
    await forgetChunks(tx, botId, sourceId);
    await tx.query('delete from knowledge_sources where id = $1', [sourceId]);
    await raiseKnowledgeVersion(tx, botId);
  });
}

async function forgetChunks(tx: Queryable, botId: string, sourceId: number): Promise<void> {
  await tx.query(
    `update knowledge_terms t set df = t.df - d.n
     from (select u.lexeme as term, count(*) as n from knowledge_chunks c, unnest(c.lexemes) u where c.source_id = $2 group by u.lexeme) d
     where t.bot_id = $1 and t.term = d.term`,
    [botId, sourceId],
  );
  await tx.query('delete from knowledge_terms where bot_id = $1 and df <= 0', [botId]);
  await tx.query('delete from knowledge_chunks where source_id = $1', [sourceId]);
}

const COLUMNS = ['bot_id', 'source_id', 'doc_id', 'position', 'locale', 'kind', 'title_path', 'url', 'text', 'lexemes', 'token_count', 'embedding_model'];

async function insertChunks(tx: Queryable, rec: SourceRecord, sourceId: number, withVectors: boolean): Promise<void> {
  const cols = withVectors ? [...COLUMNS, 'embedding'] : COLUMNS;
  const perRow = cols.length;
  const batch = Math.floor(4000 / perRow);
  for (let start = 0; start < rec.chunks.length; start += batch) {
    const rows = rec.chunks.slice(start, start + batch);
    const params: unknown[] = [];
    const values = rows.map((c, r) => {
      const embedding = withVectors && c.embedding ? vectorLiteral(c.embedding) : null;
      params.push(
        rec.botId, sourceId, c.docId, c.position, c.locale, c.kind, JSON.stringify(c.titlePath), c.url ?? null, c.text,
        toTsvector(c.tokens), c.tokens.length, embedding ? rec.embeddingModel ?? null : null,
      );
      if (withVectors) params.push(embedding);
      const at = (i: number) => `$${r * perRow + i + 1}`;
      const cells = cols.map((name, i) => (name === 'lexemes' ? `${at(i)}::tsvector` : name === 'embedding' ? `${at(i)}::vector` : name === 'title_path' ? `${at(i)}::jsonb` : at(i)));
      return `(${cells.join(', ')})`;
    });
    await tx.query(`insert into knowledge_chunks (${cols.join(', ')}) values ${values.join(', ')}`, params);
  }
}

/** A pgvector literal, zero-padded to the column's 512 dimensions (cosine similarity is unchanged). */
export function vectorLiteral(v: number[]): string {
  if (v.length > VECTOR_DIMENSIONS) throw new Error(`embeddings of ${v.length} dimensions do not fit the ${VECTOR_DIMENSIONS}-dimension column`);
  const out = v.map((x) => (Math.round(x * 1e6) / 1e6).toString());
  while (out.length < VECTOR_DIMENSIONS) out.push('0');
  return `[${out.join(',')}]`;
}

/**
 * The vector index (bot/store/migrations/002_knowledge.vector.sql), built once after a bulk load instead of
 * row by row: into an empty chunk table (a fresh store) ingest drops it first and builds it at the end,
 * which saves most of a first ingest's time (an HNSW insert per chunk costs more than embedding it on
 * PGlite). Every ingest with vectors ends by building it if it is missing (one interrupted before the end).
 */
const VECTOR_INDEX = 'knowledge_chunks_embedding';
const VECTOR_INDEX_DEFINITION = `create index if not exists ${VECTOR_INDEX} on knowledge_chunks using hnsw (embedding vector_cosine_ops)`;

/** Drops the vector index when no chunk of any bot is stored yet; true if it did (build it again with ensureVectorIndex). */
export async function deferVectorIndex(db: Db): Promise<boolean> {
  const [row] = await db.query<{ empty: boolean; present: boolean }>(
    `select not exists (select 1 from knowledge_chunks) as empty, to_regclass('${VECTOR_INDEX}') is not null as present`,
  );
  if (!row.empty || !row.present) return false;
  await db.exec(`drop index if exists ${VECTOR_INDEX}`);
  return true;
}

/** Builds the vector index if it is missing (after a deferred bulk load, or one interrupted). */
export async function ensureVectorIndex(db: Db): Promise<void> {
  const [row] = await db.query<{ present: boolean }>(`select to_regclass('${VECTOR_INDEX}') is not null as present`);
  if (!row.present) await db.exec(VECTOR_INDEX_DEFINITION);
}

export interface CorpusStats {
  chunks: number;
  avgTokens: number;
}

export async function corpusStats(db: Queryable, botId: string): Promise<CorpusStats> {
  const [row] = await db.query<{ n: number | string; t: number | string }>(
    'select coalesce(sum(chunk_count), 0) as n, coalesce(sum(token_total), 0) as t from knowledge_sources where bot_id = $1',
    [botId],
  );
  const chunks = Number(row.n);
  return { chunks, avgTokens: chunks ? Number(row.t) / chunks : 0 };
}

export async function documentFrequencies(db: Queryable, botId: string, terms: string[]): Promise<Map<string, number>> {
  if (!terms.length) return new Map();
  const rows = await db.query<{ term: string; df: number }>('select term, df from knowledge_terms where bot_id = $1 and term = any($2::text[])', [botId, terms]);
  return new Map(rows.map((r) => [r.term, Number(r.df)]));
}

/** The statement that raises a bot's knowledge version; part of every transaction that changes its knowledge. */
export const RAISE_KNOWLEDGE_VERSION = `insert into knowledge_versions (bot_id, version) values ($1, 1)
  on conflict (bot_id) do update set version = knowledge_versions.version + 1`;

async function raiseKnowledgeVersion(tx: Queryable, botId: string): Promise<void> {
  await tx.query(RAISE_KNOWLEDGE_VERSION, [botId]);
}

/**
 * The bot's knowledge version as a SQL expression (`$1`: the bot id), to be read along with other things in
 * one statement: it changes with every change to the bot's knowledge, in any process (0: never changed).
 */
export const KNOWLEDGE_VERSION = knowledgeVersionOf('$1');

/** The same expression for a bot id given as any SQL expression (a column of a row read in the same statement). */
export function knowledgeVersionOf(botIdSql: string): string {
  return `coalesce((select version from knowledge_versions where bot_id = ${botIdSql}), 0)`;
}

export async function knowledgeVersion(db: Queryable, botId: string): Promise<number> {
  const [row] = await db.query<{ version: number | string }>(`select ${KNOWLEDGE_VERSION} as version`, [botId]);
  return Number(row.version);
}
