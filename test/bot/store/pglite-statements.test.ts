import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preparedQuery } from '../../../bot/store/pglite-statements.ts';

describe('PGlite queries through prepared statements', () => {
  let pglite: PGlite;
  beforeEach(async () => {
    pglite = await PGlite.create();
    await pglite.exec(`create table notes (id serial primary key, body text not null unique, tags jsonb, at timestamptz default now())`);
  });
  afterEach(async () => {
    await pglite.close();
  });

  const prepared = async () => (await pglite.query<{ name: string }>('select name from pg_prepared_statements order by name')).rows.map((r) => r.name);

  it('runs one SQL text many times with different parameters, prepared once, with the types PGlite parses', async () => {
    const query = preparedQuery(pglite);
    for (let i = 0; i < 12; i++) await query('insert into notes (body, tags) values ($1, $2::jsonb)', [`note ${i}`, JSON.stringify({ n: i })]);
    const rows = await query<{ id: number; body: string; tags: { n: number }; at: Date }>('select id, body, tags, at from notes where id > $1 order by id', [10]);
    expect(rows.map((r) => [r.id, r.body, r.tags.n])).toEqual([[11, 'note 10', 10], [12, 'note 11', 11]]);
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(await prepared()).toHaveLength(2);
  });

  it('passes nulls, arrays and bytes as parameters', async () => {
    const query = preparedQuery(pglite);
    const [row] = await query<{ a: string | null; b: number[]; c: Uint8Array }>('select $1::text as a, $2::int[] as b, $3::bytea as c', [null, [1, 2, 3], new Uint8Array([7, 8])]);
    expect(row).toEqual({ a: null, b: [1, 2, 3], c: new Uint8Array([7, 8]) });
  });

  it('a failing statement throws its SQLSTATE and leaves the database usable', async () => {
    const query = preparedQuery(pglite);
    await query('insert into notes (body) values ($1)', ['same']);
    await expect(query('insert into notes (body) values ($1)', ['same'])).rejects.toMatchObject({ code: '23505' });
    await expect(query('select * from no_such_table where id = $1', [1])).rejects.toMatchObject({ code: '42P01' });
    expect(await query('select count(*)::int as n from notes')).toEqual([{ n: 1 }]);
  });

  it('prepares a statement again when its table changed shape after it was prepared', async () => {
    const query = preparedQuery(pglite);
    expect(await query('select * from notes where id = $1', [1])).toEqual([]);
    await pglite.exec(`alter table notes add column colour text default 'red'; insert into notes (body) values ('x')`);
    const [row] = await query<Record<string, unknown>>('select * from notes where body = $1', ['x']);
    expect(row).toMatchObject({ body: 'x', colour: 'red' });
    const [again] = await query<Record<string, unknown>>('select * from notes where id = $1', [1]);
    expect(again).toMatchObject({ body: 'x', colour: 'red' });
  });

  it('waits for a transaction in progress instead of running inside it', async () => {
    const query = preparedQuery(pglite);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const transaction = pglite.transaction(async (tx) => {
      await tx.query(`insert into notes (body) values ('inside')`);
      await held;
      await tx.rollback();
    });
    await new Promise((r) => setTimeout(r, 20));
    const counted = query<{ n: number }>('select count(*)::int as n from notes');
    release();
    await transaction;
    expect(await counted).toEqual([{ n: 0 }]); // the rolled-back row was never seen
  });

  it('keeps at most the given number of statements prepared, closing the least recently used', async () => {
    const query = preparedQuery(pglite, 3);
    for (let i = 0; i < 8; i++) expect(await query(`select ${i}::int as n where $1::int = $1`, [i])).toEqual([{ n: i }]);
    expect(await prepared()).toHaveLength(3);
    expect(await query('select 7::int as n where $1::int = $1', [0])).toEqual([{ n: 7 }]);
  });
});
