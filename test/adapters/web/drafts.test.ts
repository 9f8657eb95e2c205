import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../helpers/fake-openai.ts';
import { newSession, postMessage } from '../../helpers/kefu.ts';

let fake: FakeOpenAi;
let kefu: Kefu;
let botDir: string;
const ANSWER = 'Orders paid before 16:00 leave the same day [1]. Delivery then takes one to three days [1]. Anything else?';

beforeAll(async () => {
  fake = await startFakeOpenAi({ models: ['shop-model'] });
  fake.byDefault({ answer: ANSWER, pieceSize: 6, pieceDelayMs: 3 });
  botDir = mkdtempSync(join(tmpdir(), 'kefu-gen-bot-'));
  cpSync('examples/demo-shop', botDir, { recursive: true });
  appendFileSync(join(botDir, 'bot.yaml'), `\ngeneration:\n  provider: openai-compatible\n  baseURL: ${fake.baseURL}\n  model: shop-model\n  deadlineMs: 5000\n`);
  kefu = await startKefu({ channels: channels(), botDir, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await kefu?.close();
  await fake.close();
  rmSync(botDir, { recursive: true, force: true });
});

describe('web chat with a streaming model', () => {
  it('shows the answer as drafts while it is written, then the finished answer with its source', async () => {
    const s = await newSession(kefu.url, 'en');
    const ws = new WebSocket(`${kefu.url.replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(s.token)}`);
    const frames: { type: string; draft?: { text: string }; message?: { author: string; text: string; sources: { url: string }[] } }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(JSON.stringify({ type: 'message', text: 'How long does delivery take?', clientMessageId: 'd1' }));
    await expect.poll(() => frames.some((f) => f.type === 'message' && f.message!.author === 'bot'), { timeout: 15_000 }).toBe(true);
    ws.close();
    const drafts = frames.filter((f) => f.type === 'draft').map((f) => f.draft!.text);
    const final = frames.find((f) => f.type === 'message' && f.message!.author === 'bot')!;
    // windows end at sentences: the first draft is the first sentence; each draft grows the last
    expect(drafts[0]).toBe('Orders paid before 16:00 leave the same day [1].');
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    drafts.forEach((d, i) => i && expect(d.startsWith(drafts[i - 1]!)).toBe(true));
    expect(frames.indexOf(final)).toBeGreaterThan(frames.findIndex((f) => f.type === 'draft'));
    expect(final.message!.text).toBe(ANSWER);
    expect(final.message!.sources[0]!.url).toMatch(/^\/help\/en\/shipping#/);
    // the model was asked with the help entry as passage [1]
    expect(fake.requests.at(-1)!.messages.at(-1)!.content).toMatch(/^Passages:\n\[1\] /);
  });

  it('/healthz reports the answer model', async () => {
    expect(await (await fetch(`${kefu.url}/healthz`)).json()).toEqual({ ok: true, generation: { provider: 'openai-compatible', model: 'shop-model', ok: true } });
  });

  it('a channel without drafts (HTTP) gets the whole checked answer, and the trace says who wrote it', async () => {
    const s = await newSession(kefu.url, 'zh');
    const res = await postMessage(kefu.url, s, { text: '发货要多久？', clientMessageId: 'h1' });
    const body = (await res.json()) as { message: { id: number }; reply: { text: string } };
    expect(body.reply.text).toBe(ANSWER);
    // the turn's trace is kept with the customer's message
    const [row] = await kefu.db.query<{ trace: { stage: string; detail?: Record<string, unknown> }[] }>('select trace from messages where id = $1', [body.message.id]);
    const compose = (row?.trace ?? []).find((step) => step.stage === 'compose');
    expect(compose?.detail).toMatchObject({ provider: 'openai-compatible', model: 'shop-model', prompt: { id: 'order-status' } });
  });
});
