/**
 * What search keeps in memory per knowledge version (knowledge/search/memory.ts): each value and each
 * key loaded once per version, absent keys remembered as absent, everything dropped when the version
 * moves on, and a reader that saw an older version never replaces the newer memory.
 */
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../bot/turn/database.ts';
import { createKnowledgeMemory } from '../../knowledge/search/memory.ts';

/** A store whose only table is the knowledge version, set by the test. */
function versionStore() {
  let version = 0;
  const db: Queryable = { query: async <T>() => [{ version }] as T[] };
  return { db, set: (v: number) => (version = v) };
}

describe('knowledge memory', () => {
  it('loads a value once per version', async () => {
    const memory = createKnowledgeMemory('shop');
    let loads = 0;
    const load = async () => ++loads;
    const m = memory.at(3);
    expect(await m.once('stats', load)).toBe(1);
    expect(await memory.at(3).once('stats', load)).toBe(1);
    expect(loads).toBe(1);
  });

  it('loads only the keys it does not know yet, and remembers the ones the store lacks', async () => {
    const m = createKnowledgeMemory('shop').at(1);
    const asked: string[][] = [];
    const load = async (keys: string[]) => {
      asked.push(keys);
      return new Map(keys.filter((k) => k !== 'zzz').map((k) => [k, k.length]));
    };
    expect(await m.many('df', ['ship', 'zzz'], load)).toEqual(new Map([['ship', 4]]));
    expect(await m.many('df', ['ship', 'zzz', 'refund'], load)).toEqual(new Map([['ship', 4], ['refund', 6]]));
    expect(asked).toEqual([['ship', 'zzz'], ['refund']]);
  });

  it('drops everything when the store\'s version moves on', async () => {
    const store = versionStore();
    const memory = createKnowledgeMemory('shop');
    let loads = 0;
    const load = async () => ++loads;
    await (await memory.current(store.db)).once('stats', load);
    await (await memory.current(store.db)).once('stats', load);
    expect(loads).toBe(1);
    store.set(1);
    const fresh = await memory.current(store.db);
    expect(fresh.version).toBe(1);
    expect(await fresh.once('stats', load)).toBe(2);
  });

  it('gives a reader that saw an older version a memory of its own, keeping the newer one', async () => {
    const memory = createKnowledgeMemory('shop');
    const load = (v: string) => async () => v;
    await memory.at(5).once('stats', load('five'));
    expect(await memory.at(4).once('stats', load('four'))).toBe('four');
    expect(await memory.at(5).once('stats', load('five again'))).toBe('five');
  });

  it('forgets a failed load, so the next search tries again', async () => {
    const m = createKnowledgeMemory('shop').at(1);
    await expect(m.once('stats', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    expect(await m.once('stats', async () => 'read')).toBe('read');
  });
});
