/**
 * What search keeps in memory about one bot's knowledge base, valid for one knowledge version
 * (store.ts: a counter raised by every change, in the same transaction): corpus statistics, the
 * document frequencies of terms asked about so far, the curated answers, the chunks and documents read
 * so far, and a small knowledge base whole (chunk-index.ts). Each search reads the version first (one
 * small query; a reader, `Knowledge.reader()`, reads it once for a turn's searches); when it moved — an
 * ingest by this process, another handle or another process on the same PostgreSQL — everything kept is
 * dropped and read afresh. Nothing is kept by question text: every search still recalls.
 */
import type { Queryable } from '../../bot/turn/database.ts';
import { knowledgeVersion } from '../store.ts';

/** A table holding more keys than this is emptied before it grows further (a bound, not an LRU). */
const MAX_KEYS = 50_000;

/** The memory of one knowledge version. */
export interface VersionMemory {
  readonly version: number;
  /** The value under `key`, loaded once per version. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
  /**
   * Values of `keys` from table `table`, loading only those not yet known, in one call. A key the loader
   * does not return is remembered as absent.
   */
  many<K, V>(table: string, keys: K[], load: (missing: K[]) => Promise<Map<K, V>>): Promise<Map<K, V>>;
}

export interface KnowledgeMemory {
  /** The memory of the knowledge version the store holds now (one query). */
  current(db: Queryable): Promise<VersionMemory>;
  /** The memory of a version the caller read itself (store.ts: KNOWLEDGE_VERSION, along with other things). */
  at(version: number): VersionMemory;
}

export function createKnowledgeMemory(botId: string): KnowledgeMemory {
  let kept = versionMemory(-1);
  const at = (version: number) => {
    if (version === kept.version) return kept;
    const fresh = versionMemory(version);
    // a slower reader that saw an older version gets a memory of its own and replaces nothing
    if (version > kept.version) kept = fresh;
    return fresh;
  };
  return {
    at,
    current: async (db) => at(await knowledgeVersion(db, botId)),
  };
}

const ABSENT = Symbol('absent');

function versionMemory(version: number): VersionMemory {
  const values = new Map<string, Promise<unknown>>();
  const tables = new Map<string, Map<unknown, unknown>>();
  return {
    version,
    once<T>(key: string, load: () => Promise<T>): Promise<T> {
      let value = values.get(key) as Promise<T> | undefined;
      if (!value) {
        value = load();
        values.set(key, value);
        value.catch(() => values.delete(key));
      }
      return value;
    },
    async many<K, V>(table: string, keys: K[], load: (missing: K[]) => Promise<Map<K, V>>): Promise<Map<K, V>> {
      let known = tables.get(table) as Map<K, V | typeof ABSENT> | undefined;
      if (!known) tables.set(table, (known = new Map()));
      const out = new Map<K, V>();
      const missing: K[] = [];
      for (const k of new Set(keys)) {
        if (!known.has(k)) missing.push(k);
        else if (known.get(k) !== ABSENT) out.set(k, known.get(k) as V);
      }
      if (missing.length) {
        const loaded = await load(missing);
        if (known.size + missing.length > MAX_KEYS) known.clear();
        for (const k of missing) {
          known.set(k, loaded.has(k) ? loaded.get(k)! : ABSENT);
          if (loaded.has(k)) out.set(k, loaded.get(k)!);
        }
      }
      return out;
    },
  };
}
