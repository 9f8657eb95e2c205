import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLlamaModel, type LlamaTextModel } from '../../../bot/generate/llama-model.ts';
import { collect, type ChatMessage } from '../../../bot/generate/model.ts';
import { writeTinyLlama, writeTinyLora } from '../../helpers/gguf.ts';

let dir: string;
let model: LlamaTextModel;
const files = { base: '', loraA: '', loraB: '', broken: '' };
const messages: ChatMessage[] = [
  { role: 'system', content: 'You answer from the passages.' },
  { role: 'user', content: 'Passages:\n[1] Returns within 15 days.\n\nCustomer question: can I return it?' },
];
const write = (adapter?: string) => collect(model.generate({ messages, adapter, maxTokens: 8, temperature: 0, signal: AbortSignal.timeout(30_000) }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-gguf-'));
  Object.assign(files, { base: join(dir, 'tiny.gguf'), loraA: join(dir, 'a.gguf'), loraB: join(dir, 'b.gguf'), broken: join(dir, 'broken.gguf') });
  writeTinyLlama(files.base, 1);
  writeTinyLora(files.loraA, 2);
  writeTinyLora(files.loraB, 3);
  writeFileSync(files.broken, 'GGUF but not really');
  model = await loadLlamaModel({ modelPath: files.base, adapterFiles: { shop: files.loraA }, contextSize: 1024 });
});
afterAll(async () => {
  await model?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local GGUF model (node-llama-cpp) on a tiny model the test writes', () => {
  it('loads the base model and its adapter, and greedy generation is deterministic', async () => {
    await expect(model.health(['shop'])).resolves.toBeUndefined();
    const first = await write();
    expect(first.length).toBeGreaterThan(0);
    expect(await write()).toBe(first);
    expect(await write('shop')).toBe(await write('shop'));
  });

  it('applying the adapter measurably changes the next-token distribution', async () => {
    const llama = await getLlama({ build: 'never', gpu: false });
    const tiny = await llama.loadModel({ modelPath: files.base });
    try {
      const tokens = tiny.tokenize('yes the order');
      const nextTokenProbabilities = async (lora?: string) => {
        const context = await tiny.createContext({ contextSize: 256, threads: 1, ...(lora ? { lora: { adapters: [{ filePath: lora }] } } : {}) });
        const sequence = context.getSequence();
        for await (const out of sequence.evaluateWithMetadata(tokens, { probabilities: true }, { temperature: 0 })) {
          await context.dispose();
          return out.probabilities;
        }
        throw new Error('no token');
      };
      const base = await nextTokenProbabilities();
      const adapted = await nextTokenProbabilities(files.loraA);
      const ids = new Set([...base.keys(), ...adapted.keys()]);
      const totalVariation = [...ids].reduce((sum, id) => sum + Math.abs((base.get(id) ?? 0) - (adapted.get(id) ?? 0)), 0) / 2;
      expect(totalVariation).toBeGreaterThan(0.1);
      expect(await write('shop')).not.toBe(await write());
    } finally {
      await tiny.dispose();
    }
  });

  it('swaps an adapter without a restart: the next answer uses the new file', async () => {
    const withA = await write('shop');
    await model.setAdapter('shop', files.loraB);
    const withB = await write('shop');
    expect(withB).not.toBe(withA);
    await model.setAdapter('shop', files.loraA);
    expect(await write('shop')).toBe(withA);
  });

  it('an adapter file replaced on disk is used from the next answer on', async () => {
    const live = join(dir, 'live.gguf');
    copyFileSync(files.loraA, live);
    await model.setAdapter('live', live);
    const withA = await write('live');
    expect(withA).toBe(await write('shop'));
    copyFileSync(files.loraB, live);
    utimesSync(live, new Date(), new Date(Date.now() + 5000));
    const withB = await write('live');
    expect(withB).not.toBe(withA);
    await model.setAdapter('live', files.loraB);
    expect(await write('live')).toBe(withB);
    await model.setAdapter('live', undefined);
  });

  it('streams pieces, and stops when the deadline aborts', async () => {
    const controller = new AbortController();
    const deadline = new Error('deadline');
    const pieces: string[] = [];
    const run = (async () => {
      for await (const p of model.generate({ messages, maxTokens: 2000, temperature: 0, signal: controller.signal })) {
        pieces.push(p);
        if (pieces.length === 3) controller.abort(deadline);
      }
    })();
    await expect(run).rejects.toBe(deadline);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
  });

  it('an answer waiting behind another ends at its own deadline', async () => {
    const long = new AbortController();
    const first = model.generate({ messages, maxTokens: 100_000, temperature: 0, signal: long.signal })[Symbol.asyncIterator]();
    const deadline = new Error('deadline');
    const waiting = new AbortController();
    const pieces: string[] = [];
    const second = (async () => {
      for await (const p of model.generate({ messages, maxTokens: 8, signal: waiting.signal })) pieces.push(p);
    })().then(() => 'answered', (err: unknown) => err);
    // a tiny model can write a whole answer in under 50 ms, so the deadline passes on the first answer's first
    // piece, not on a timer: the first answer is then still writing, and the waiting one must end before it does
    await first.next();
    waiting.abort(deadline);
    const firstEnds = (async () => {
      for (let r = await first.next(); !r.done; r = await first.next());
      return 'first answer ended';
    })().catch(() => 'first answer ended');
    expect(await Promise.race([second, firstEnds])).toBe(deadline);
    expect(pieces).toEqual([]);
    long.abort(new Error('stop'));
    await firstEnds;
  });

  it('names an adapter it has no file for, and a file that is not a LoRA adapter', async () => {
    await expect(model.health(['returns'])).rejects.toThrow(/no LoRA adapter file for 'returns'/);
    await expect(collect(model.generate({ messages, adapter: 'returns', signal: AbortSignal.timeout(5000) }))).rejects.toThrow(/no LoRA adapter named 'returns'/);
    await model.setAdapter('broken', files.broken);
    await expect(model.health(['broken'])).rejects.toThrow(/adapter 'broken'.*does not load/);
    await model.setAdapter('broken', undefined);
  });
});
