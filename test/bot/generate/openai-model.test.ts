import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, ModelError } from '../../../bot/generate/model.ts';
import { openAiModel, retryAfterMs } from '../../../bot/generate/openai-model.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../helpers/fake-openai.ts';

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ models: ['base-model', 'shop-returns'] });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.byDefault({ answer: 'UNSUPPORTED' });
});

const messages = [{ role: 'user' as const, content: 'where is my order?' }];
const model = (extra: Partial<Parameters<typeof openAiModel>[0]> = {}) => openAiModel({ baseURL: fake.baseURL, model: 'base-model', backoffMs: 10, ...extra });

describe('OpenAI-compatible model', () => {
  it('streams the server-sent events piece by piece, as they arrive', async () => {
    fake.script({ answer: 'Your order left today [1].', pieceSize: 5, pieceDelayMs: 5 });
    const pieces: string[] = [];
    for await (const p of model().generate({ messages, signal: AbortSignal.timeout(5000) })) pieces.push(p);
    expect(pieces.join('')).toBe('Your order left today [1].');
    expect(pieces.length).toBeGreaterThan(3);
    expect(fake.requests[0]).toMatchObject({ model: 'base-model', stream: true, messages });
  });

  it('asks for the LoRA adapter by its served model name', async () => {
    fake.script({ answer: 'ok [1]' });
    await collect(model().generate({ messages, adapter: 'shop-returns', signal: AbortSignal.timeout(5000) }));
    expect(fake.requests[0]!.model).toBe('shop-returns');
  });

  it('tries again after a 500, with back-off, and then answers', async () => {
    fake.script({ status: 500 }, { status: 503 }, { answer: 'third time [1]' });
    expect(await collect(model().generate({ messages, signal: AbortSignal.timeout(5000) }))).toBe('third time [1]');
    expect(fake.requests).toHaveLength(3);
  });

  it('waits as long as a 429 says in Retry-After before trying again', async () => {
    fake.script({ status: 429, retryAfter: '1' }, { answer: 'after the wait [1]' });
    const began = Date.now();
    expect(await collect(model().generate({ messages, signal: AbortSignal.timeout(5000) }))).toBe('after the wait [1]');
    expect(Date.now() - began).toBeGreaterThanOrEqual(950);
  });

  it('gives up with a ModelError naming the status when the retries are spent', async () => {
    fake.script({ status: 500 }, { status: 500 }, { status: 500 });
    const err = await collect(model({ retries: 2 }).generate({ messages, signal: AbortSignal.timeout(5000) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/500/);
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a request the server refused as bad (400)', async () => {
    fake.script({ status: 400, message: 'bad adapter' });
    await expect(collect(model().generate({ messages, signal: AbortSignal.timeout(5000) }))).rejects.toThrow(/400.*bad adapter/);
    expect(fake.requests).toHaveLength(1);
  });

  it('ends with the deadline when the server hangs', async () => {
    fake.script({ hang: true });
    const deadline = new Error('deadline');
    const began = Date.now();
    const controller = new AbortController();
    setTimeout(() => controller.abort(deadline), 300);
    await expect(collect(model().generate({ messages, signal: controller.signal }))).rejects.toBe(deadline);
    expect(Date.now() - began).toBeLessThan(2000);
  });

  it('reports a dropped connection mid-stream as a model error, without retrying text already given', async () => {
    fake.script({ drop: true, answer: 'This will be cut off somewhere.', pieces: 2, pieceDelayMs: 30 });
    const got: string[] = [];
    const err = await (async () => {
      for await (const p of model().generate({ messages, signal: AbortSignal.timeout(5000) })) got.push(p);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(got.join('')).toBe('This wil');
    expect(fake.requests).toHaveLength(1);
  });

  it('tries again when the connection drops before any text arrived', async () => {
    fake.script({ drop: true, answer: 'lost', pieces: 0 }, { answer: 'second try [1]' });
    expect(await collect(model().generate({ messages, signal: AbortSignal.timeout(5000) }))).toBe('second try [1]');
    expect(fake.requests).toHaveLength(2);
  });

  it('keeps at most maxConcurrent requests in flight', async () => {
    fake.byDefault({ answer: 'slow answer [1]', pieceDelayMs: 30 });
    const m = model({ maxConcurrent: 2 });
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        const it = m.generate({ messages, signal: AbortSignal.timeout(10_000) })[Symbol.asyncIterator]();
        let first = true;
        for (let r = await it.next(); !r.done; r = await it.next()) {
          if (first) {
            inFlight++;
            most = Math.max(most, inFlight);
            first = false;
          }
        }
        inFlight--;
      }),
    );
    expect(most).toBe(2);
    expect(fake.requests).toHaveLength(5);
  });

  it('a request waiting for a place ends with its deadline, and the place goes to the next', async () => {
    fake.script({ hang: true });
    const m = model({ maxConcurrent: 1 });
    const hung = new AbortController();
    const first = collect(m.generate({ messages, signal: hung.signal })).catch((e: unknown) => e);
    await expect.poll(() => fake.requests.length).toBe(1);
    const deadline = new Error('deadline');
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(deadline), 100);
    await expect(collect(m.generate({ messages, signal: waiting.signal }))).rejects.toBe(deadline);
    hung.abort(new Error('stop'));
    await first;
    fake.script({ answer: 'next [1]' });
    expect(await collect(m.generate({ messages, signal: AbortSignal.timeout(5000) }))).toBe('next [1]');
    expect(fake.requests).toHaveLength(2);
  });

  it('health names a model or adapter the server does not serve, and an unreachable server', async () => {
    await expect(model().health(['shop-returns'])).resolves.toBeUndefined();
    await expect(model().health(['shop-orders'])).rejects.toThrow(/does not serve 'shop-orders'/);
    await expect(openAiModel({ baseURL: 'http://127.0.0.1:9/v1', model: 'x' }).health()).rejects.toThrow(/unreachable/);
  });

  it('reads Retry-After as seconds or a date, and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150' }))).toBe(150);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(Date.now() + 3000).toUTCString() }))).toBeGreaterThan(1000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});
