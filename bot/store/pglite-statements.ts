import { parse, protocol, type PGlite } from '@electric-sql/pglite';

const { serialize } = protocol;

/** SQLSTATE of "cached plan must not change result type": a prepared statement outlived its tables' shape. */
const PLAN_CHANGED = '0A000';

/** The most statements kept prepared; the least recently used one is closed past it (SQL built with varying text must not pile up). */
export const MAX_PREPARED = 256;

/**
 * Queries on PGlite through named prepared statements: each distinct SQL text is parsed and described once,
 * then every run is one trip into the database (bind, execute, sync) where PGlite's own `query` makes six
 * (parse, describe, bind, describe, execute, sync) and plans the statement each time. A turn's statements are
 * the same few texts over and over, and planning them was most of their cost. Parameters are serialised by
 * the types the statement declares and rows parsed by PGlite's own parsers, as its `query` does; a run waits
 * for any transaction in progress, as its `query` does.
 */
export function preparedQuery(pglite: PGlite, maxPrepared = MAX_PREPARED) {
  // by SQL text, least recently used first
  const statements = new Map<string, { name: string; types: number[] }>();
  let named = 0;

  async function forget(sql: string): Promise<void> {
    const { name } = statements.get(sql)!;
    statements.delete(sql);
    await pglite.execProtocolStream(concat([serialize.close({ type: 'S', name }), serialize.sync()]), { syncToFs: false });
  }

  async function prepare(sql: string): Promise<{ name: string; types: number[] }> {
    const known = statements.get(sql);
    if (known) {
      statements.delete(sql);
      statements.set(sql, known);
      return known;
    }
    if (statements.size >= maxPrepared) await forget(statements.keys().next().value!);
    const name = `kefu_${++named}`;
    let described: Awaited<ReturnType<PGlite['execProtocolStream']>> = [];
    try {
      await pglite.execProtocolStream(serialize.parse({ name, text: sql }), { syncToFs: false });
      described = await pglite.execProtocolStream(serialize.describe({ type: 'S', name }), { syncToFs: false });
    } finally {
      await pglite.execProtocolStream(serialize.sync(), { syncToFs: false });
    }
    const statement = { name, types: parse.parseDescribeStatementResults(described) };
    statements.set(sql, statement);
    return statement;
  }

  async function run<T>(sql: string, params: unknown[]): Promise<T[]> {
    const { name, types } = await prepare(sql);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = pglite.serializers[types[i]!];
      return serializer ? serializer(value) : String(value);
    });
    const messages = await pglite.execProtocolStream(
      concat([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
      { syncToFs: false },
    );
    if (!pglite.isInTransaction()) await pglite.syncToFs();
    return (parse.parseResults(messages, pglite.parsers)[0]?.rows ?? []) as T[];
  }

  return async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        try {
          return await run<T>(sql, params);
        } catch (err) {
          if ((err as { code?: string }).code !== PLAN_CHANGED || !statements.has(sql)) throw err;
          // the tables changed under a prepared statement (a migration): prepare it again, once
          await forget(sql);
          return run<T>(sql, params);
        }
      }),
    );
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
