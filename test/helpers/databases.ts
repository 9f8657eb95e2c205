import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Db } from '../../bot/turn/database.ts';
import { migrate } from '../../bot/store/migrate.ts';
import { openPglite } from '../../bot/store/pglite.ts';
import { openPostgres } from '../../bot/store/postgres.ts';
import { requirePostgres } from './postgres.ts';

export interface TestDatabase {
  db: Db;
  dispose(): Promise<void>;
}

/** A fresh in-process PGlite with pgvector, in memory. */
export async function pgliteDatabase(): Promise<TestDatabase> {
  const db = await openPglite();
  return { db, dispose: () => db.close() };
}

/** A fresh, empty database on the real PostgreSQL server; undefined where none is configured outside CI. */
export async function postgresUrl(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const server = requirePostgres();
  if (!server) return undefined;
  const name = `kefu_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** A fresh database on the real PostgreSQL server (dropped afterwards); undefined where none is configured outside CI. */
export async function postgresDatabase(connections = 5): Promise<TestDatabase | undefined> {
  const fresh = await postgresUrl();
  if (!fresh) return undefined;
  const db = await openPostgres(fresh.url, connections);
  return {
    db,
    async dispose() {
      await db.close();
      await fresh.drop();
    },
  };
}

/** PGlite (with pgvector) served over the Postgres wire protocol, reached through `pg` like a real server. */
export async function pgliteOverWire(): Promise<TestDatabase> {
  const pglite = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1' });
  await server.start();
  // few connections: PGlite is a single session that the wire server multiplexes clients onto
  const db = await openPostgres(`postgres://postgres@${server.getServerConn()}/postgres`, 2);
  return {
    db,
    async dispose() {
      await db.close();
      await server.stop();
      await pglite.close();
    },
  };
}

/**
 * Both stores kefu runs on, each fresh with kefu's schema: the embedded database, and a database on the
 * real PostgreSQL server (undefined where none is configured outside CI). `connections` sizes the server's
 * pool for suites that race many clients.
 */
export const MIGRATED_DATABASES: { name: string; open(connections?: number): Promise<TestDatabase | undefined> }[] = [
  { name: 'embedded database', open: async () => withSchema(await pgliteDatabase()) },
  { name: 'PostgreSQL server', open: async (connections) => withSchema(await postgresDatabase(connections)) },
];

async function withSchema(t: TestDatabase | undefined): Promise<TestDatabase | undefined> {
  if (t) await migrate(t.db);
  return t;
}
