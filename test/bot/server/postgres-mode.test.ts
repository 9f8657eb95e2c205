/**
 * Server mode: kefu on a real PostgreSQL server (DATABASE_URL), as several processes would share it.
 * Debian's PostgreSQL 15 has no pgvector, so knowledge runs lexically there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { postgresUrl } from '../../helpers/databases.ts';
import { newSession, postMessage } from '../../helpers/kefu.ts';
import { channels } from '../../../adapters/index.ts';

let fresh: Awaited<ReturnType<typeof postgresUrl>>;
let first: Kefu | undefined;
let second: Kefu | undefined;
beforeAll(async () => {
  fresh = await postgresUrl();
  if (!fresh) return;
  first = await startKefu({ channels: channels(), botDir: 'examples/demo-shop', databaseUrl: fresh.url, port: 0 });
  second = await startKefu({ channels: channels(), botDir: 'examples/demo-shop', databaseUrl: fresh.url, port: 0 });
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await fresh?.drop();
});

describe('kefu on PostgreSQL', () => {
  it('two processes share conversations: one starts it, the other answers in it, with the source', async (ctx) => {
    if (!first || !second) return ctx.skip();
    const s = await newSession(first.url, 'en');
    const res = await postMessage(second.url, s, { text: 'How long does delivery take?', clientMessageId: 'pg1' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.reply.sources[0].url).toBe('/help/en/shipping#delivery-time');
    const again = await (await postMessage(first.url, s, { text: 'How long does delivery take?', clientMessageId: 'pg1' })).json();
    expect(again.duplicate).toBe(true);
    expect(again.reply.id).toBe(body.reply.id);
  });

  it('a Chinese question is answered from the Chinese help centre', async (ctx) => {
    if (!first) return ctx.skip();
    const s = await newSession(first.url, 'zh');
    const body = await (await postMessage(first.url, s, { text: '退货政策是什么？', clientMessageId: 'pg2' })).json();
    expect(body.reply.sources[0].url).toMatch(/^\/help\/zh\/returns#/);
  });
});
