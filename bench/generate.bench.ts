/**
 * Answer generation figures:
 *   - the tiny GGUF model the tests write (test/helpers/gguf.ts; 2 layers, 64 wide, 322 tokens), on the CPU
 *     through node-llama-cpp: time to first token of a real answer prompt (the `answer` template, English,
 *     one passage) through kefu's llama model, and tokens a second of greedy generation (128 tokens);
 *   - the pipeline's own overhead around a model: the compose stage (prompt, streamed drafts through the
 *     stream guard, citation checks) against the same model's bare stream, with the OpenAI-compatible model
 *     and a local fake server answering at once (medians of 200 answers).
 * Environment: BENCH_THREADS (default 1) for the GGUF model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { loadGuard } from '../bot/compliance/load.ts';
import { composeStage } from '../bot/compose/grounded.ts';
import { loadResponses } from '../bot/compose/responses.ts';
import { createDrafts } from '../bot/generate/drafts.ts';
import { loadLlamaModel } from '../bot/generate/llama-model.ts';
import { collect } from '../bot/generate/model.ts';
import { openAiModel } from '../bot/generate/openai-model.ts';
import { loadPromptLibrary } from '../bot/generate/prompt-library.ts';
import { renderPrompt } from '../bot/generate/render.ts';
import { parseGenerationSettings } from '../bot/generate/settings.ts';
import { modelComposeStage } from '../bot/generate/stage.ts';
import type { Passage, Turn } from '../bot/turn/types.ts';
import { startFakeOpenAi } from '../test/helpers/fake-openai.ts';
import { writeTinyLlama, writeTinyLora } from '../test/helpers/gguf.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const PASSAGE: Passage = { text: 'Orders paid before 16:00 leave our warehouse the same day; standard delivery then takes one to three days.', score: 1, source: { title: 'Delivery', url: '/help/en/shipping#delivery-time' }, entry: 'shipping#delivery-time' };
const library = loadPromptLibrary();
const prompt = renderPrompt(library, { template: 'answer', version: library.byId('answer')!.version, locale: 'en', botName: 'Lumen & Co.', question: 'How long does delivery take?', passages: [PASSAGE.text] });

async function tinyGguf() {
  const threads = Number(process.env.BENCH_THREADS ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-gguf-'));
  try {
    const base = join(dir, 'tiny.gguf');
    writeTinyLlama(base, 1);
    writeTinyLora(join(dir, 'shop.gguf'), 2);
    const model = await loadLlamaModel({ modelPath: base, adapterFiles: { shop: join(dir, 'shop.gguf') }, contextSize: 4096, threads });
    for (const adapter of [undefined, 'shop']) {
      const firsts: number[] = [];
      for (let i = 0; i < 5; i++) {
        const began = performance.now();
        for await (const _ of model.generate({ messages: prompt, adapter, maxTokens: 1, temperature: 0, signal: AbortSignal.timeout(60_000) })) {
          firsts.push(performance.now() - began);
          break;
        }
      }
      console.log(`tiny GGUF ${adapter ? 'with a LoRA adapter' : 'base model'}, ${threads} thread(s): time to first token of the answer prompt, median of 5: ${median(firsts).toFixed(1)} ms`);
    }
    await model.close();

    // tokens a second: greedy decoding straight from node-llama-cpp, 128 tokens after a short prompt
    const llama = await getLlama({ build: 'never', gpu: false });
    const raw = await llama.loadModel({ modelPath: base });
    const context = await raw.createContext({ contextSize: 512, threads });
    const rates: number[] = [];
    for (let r = 0; r < 3; r++) {
      const sequence = context.getSequence();
      const tokens = raw.tokenize('How long does delivery take?');
      let n = 0;
      let began = 0;
      for await (const _ of sequence.evaluate(tokens, { temperature: 0 })) {
        if (n === 0) began = performance.now(); // from the first generated token: decoding only
        if (++n > 128) break;
      }
      rates.push(128 / ((performance.now() - began) / 1000));
      sequence.dispose();
    }
    console.log(`tiny GGUF greedy decoding, ${threads} thread(s): ${median(rates).toFixed(0)} tokens/s (median of 3 runs of 128 tokens)`);
    await context.dispose();
    await raw.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pipelineOverhead() {
  const answer = 'Orders paid before 16:00 leave the same day [1]. Standard delivery then takes one to three days [1]. Is there anything else I can help with?';
  const fake = await startFakeOpenAi({ models: ['m'] });
  fake.byDefault({ answer, pieceSize: 4 });
  const guard = await loadGuard({ pollMs: 0 });
  const responses = loadResponses(undefined, { en: 'Lumen & Co.', zh: '流明小铺' });
  const model = openAiModel({ baseURL: fake.baseURL, model: 'm' });
  const settings = parseGenerationSettings({ provider: 'openai-compatible', baseURL: fake.baseURL, model: 'm' }, '.')!;
  const drafts = createDrafts();
  let frames = 0;
  drafts.subscribe('c', () => frames++);
  const stage = modelComposeStage({ grounded: composeStage(responses), model, settings, library, responses, guard, botName: { en: 'Lumen & Co.', zh: '流明小铺' }, drafts });
  const turn = (): Turn => ({
    conversation: { id: 'c', botId: 'b', channel: 'web', customerId: 'u', mode: 'bot', locale: 'en', createdAt: new Date() },
    inbound: { channel: 'web', channelMessageId: 'm', conversationId: 'c', customerId: 'u', text: 'How long does delivery take?', images: [], locale: 'en', receivedAt: new Date() },
    messageId: 1, text: 'How long does delivery take?', locale: 'en', history: [],
    understanding: { intent: 'shipping_info', confidence: 0.9, outOfScope: false, ambiguous: false, entities: [] },
    decision: 'answer', grounding: 'answer', passages: [PASSAGE], drafts: [], replies: [], trace: [],
  });
  const bare: number[] = [];
  const staged: number[] = [];
  for (let i = 0; i < 220; i++) {
    let t = performance.now();
    await collect(model.generate({ messages: prompt, maxTokens: 400, temperature: 0, signal: AbortSignal.timeout(5000) }));
    if (i >= 20) bare.push(performance.now() - t);
    t = performance.now();
    const outcome = await stage.run(turn());
    if (outcome.decision !== 'model answer') throw new Error(`unexpected ${outcome.decision}`);
    if (i >= 20) staged.push(performance.now() - t);
  }
  console.log(`OpenAI-compatible model, fake server answering at once (${answer.length} characters in ${Math.ceil(answer.length / 4)} SSE chunks): bare stream median ${median(bare).toFixed(2)} ms, through the compose stage ${median(staged).toFixed(2)} ms: kefu's own overhead ${(median(staged) - median(bare)).toFixed(2)} ms an answer (${(frames / 220).toFixed(1)} drafts an answer)`);
  guard.close();
  await model.close();
  await fake.close();
}

export async function run() {
  await tinyGguf();
  await pipelineOverhead();
}
