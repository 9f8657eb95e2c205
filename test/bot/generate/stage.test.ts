import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../../bot/compliance/audit.ts';
import type { Guard } from '../../../bot/compliance/guard.ts';
import { loadGuard } from '../../../bot/compliance/load.ts';
import { guardOutStage } from '../../../bot/compliance/stage.ts';
import { composeStage } from '../../../bot/compose/grounded.ts';
import { loadResponses } from '../../../bot/compose/responses.ts';
import { createDrafts } from '../../../bot/generate/drafts.ts';
import { openAiModel } from '../../../bot/generate/openai-model.ts';
import { loadPromptLibrary } from '../../../bot/generate/prompt-library.ts';
import { renderPrompt, type PromptInputs } from '../../../bot/generate/render.ts';
import { parseGenerationSettings } from '../../../bot/generate/settings.ts';
import { modelComposeStage } from '../../../bot/generate/stage.ts';
import { openDb } from '../../../bot/store/open.ts';
import type { Draft } from '../../../bot/turn/channel.ts';
import type { Db } from '../../../bot/turn/database.ts';
import type { Locale, Passage, Turn } from '../../../bot/turn/types.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../helpers/fake-openai.ts';

let fake: FakeOpenAi;
let db: Db;
let guard: Guard;
let audit: AuditLog;
const responses = loadResponses(undefined, { en: 'Lumen & Co.', zh: '流明小铺' });
const library = loadPromptLibrary();

beforeAll(async () => {
  fake = await startFakeOpenAi({ models: ['base-model', 'shop-returns'] });
  db = (await openDb({})).db;
  guard = await loadGuard({ pollMs: 0 });
  audit = createAuditLog(db);
});
afterAll(async () => {
  guard.close();
  await db.close();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.byDefault({ answer: 'UNSUPPORTED' });
});

const RETURNS: Passage = { text: 'Unused items can be returned within 15 days of delivery.', score: 1, source: { title: 'Returns', url: '/help/en/returns#window' }, entry: 'returns#window', question: 'Can I return an item?' };
const FUND: Passage = { text: '稳健收益基金主要投资高等级债券，近 12 个月收益率 2.8%。', score: 1, source: { title: '稳健收益基金', url: '/help/zh/funds#steady' }, entry: 'funds#steady', question: '稳健收益基金怎么样' };

function answerTurn(text: string, intent: string, passages: Passage[], locale: Locale = 'en'): Turn {
  return {
    conversation: { id: 'c1', botId: 'demo', channel: 'web', customerId: 'u1', mode: 'bot', locale, createdAt: new Date() },
    inbound: { channel: 'web', channelMessageId: 'm1', conversationId: 'c1', customerId: 'u1', text, images: [], locale, receivedAt: new Date() },
    messageId: 41,
    text,
    locale,
    history: [],
    understanding: { intent, confidence: 0.9, outOfScope: false, ambiguous: false, entities: [] },
    decision: 'answer',
    grounding: 'answer',
    passages,
    drafts: [],
    replies: [],
    trace: [],
  };
}

function stage(settings: Record<string, unknown> = {}) {
  const drafts = createDrafts();
  const seen: Draft[] = [];
  drafts.subscribe('c1', (d) => seen.push(d));
  const parsed = parseGenerationSettings({ provider: 'openai-compatible', baseURL: fake.baseURL, model: 'base-model', deadlineMs: 1500, ...settings }, '.')!;
  const model = openAiModel({ baseURL: fake.baseURL, model: 'base-model', backoffMs: 10, retries: parsed.retries });
  return { seen, compose: modelComposeStage({ grounded: composeStage(responses), model, settings: parsed, library, responses, guard, botName: { en: 'Lumen & Co.', zh: '流明小铺' }, drafts }) };
}

describe('compose with a model', () => {
  it('answers from the passages with the cited sources; the trace names the provider, the template and its version', async () => {
    fake.script({ answer: 'Yes, within 15 days of delivery [1].' });
    const t = answerTurn('can I send back shoes?', 'return_item', [RETURNS]);
    const outcome = await stage().compose.run(t);
    expect(outcome.decision).toBe('model answer');
    expect(t.drafts).toEqual([{ text: 'Yes, within 15 days of delivery [1].', sources: [RETURNS.source], quickReplies: [] }]);
    expect(outcome.detail).toMatchObject({ provider: 'openai-compatible', model: 'base-model', prompt: { id: 'returns', version: 1, grounding: 1 }, citations: [{ n: 1, passage: 1, entry: 'returns#window' }] });
  });

  it('the prompt the model was sent is made again from the trace alone', async () => {
    fake.script({ answer: 'Within 15 days [1].' });
    const t = answerTurn('return window?', 'return_item', [RETURNS]);
    const outcome = await stage().compose.run(t);
    const stored = JSON.parse(JSON.stringify(outcome.detail)) as { inputs: PromptInputs };
    expect(renderPrompt(library, stored.inputs)).toEqual(fake.requests[0]!.messages);
  });

  it('asks for the adapter of the intent family, else the bot adapter', async () => {
    fake.script({ answer: 'ok [1]' }, { answer: 'ok [1]' });
    const s = stage({ adapter: 'base-model', adapters: { returns: 'shop-returns' } }).compose;
    await s.run(answerTurn('return?', 'return_item', [RETURNS]));
    await s.run(answerTurn('where is it?', 'order_status', [RETURNS]));
    expect(fake.requests.map((r) => r.model)).toEqual(['shop-returns', 'base-model']);
  });

  it('rejects an answer that cites nothing it was given: the grounded composer answers, and the trace says why', async () => {
    fake.script({ answer: 'Sure, returns are free forever.' });
    const t = answerTurn('can I return?', 'return_item', [RETURNS]);
    const outcome = await stage().compose.run(t);
    expect(outcome.decision).toBe('grounded answer');
    expect(outcome.detail).toMatchObject({ provider: 'grounded', fellBackFrom: 'openai-compatible', fellBack: 'answer rejected: cites no passage' });
    expect(t.drafts[0]!.text).toBe(RETURNS.text);
  });

  it('a model that hangs past the deadline: the grounded composer answers within it, the draft is withdrawn', async () => {
    fake.script({ answer: 'Within fifteen days. And then', pieceDelayMs: 400, pieceSize: 10 });
    const { compose, seen } = stage({ deadlineMs: 600 });
    const t = answerTurn('can I return?', 'return_item', [RETURNS]);
    const began = Date.now();
    const outcome = await compose.run(t);
    expect(Date.now() - began).toBeLessThan(1200);
    expect(outcome.detail).toMatchObject({ provider: 'grounded', fellBack: 'deadline of 600 ms passed' });
    expect(t.drafts[0]!.text).toBe(RETURNS.text);
    expect(seen.at(-1)).toMatchObject({ id: 'turn-41', retracted: true });
  });

  it('a server failing every try: the grounded composer answers, the trace names the status', async () => {
    fake.script({ status: 500 }, { status: 502 }, { status: 500 });
    const t = answerTurn('can I return?', 'return_item', [RETURNS]);
    const outcome = await stage().compose.run(t);
    expect(outcome.detail).toMatchObject({ provider: 'grounded', fellBack: expect.stringMatching(/answered 500/) });
  });

  it('passages that do not answer it: the customer is told so and offered a person', async () => {
    fake.script({ answer: 'UNSUPPORTED' });
    const t = answerTurn('do you ship to Japan?', 'shipping_info', [RETURNS]);
    const outcome = await stage().compose.run(t);
    expect(outcome.decision).toBe('model: the passages do not answer it');
    expect(t.drafts[0]!.quickReplies.map((q) => q.label)).toContain(responses('quick_human', 'en'));
  });

  it('streams drafts as the guard passes them, and a blocked phrase never reaches a draft', async () => {
    fake.script({ answer: '这只基金近 12 个月收益率 2.8% [1]。买它稳赚不赔，放心吧。', pieceSize: 3, pieceDelayMs: 2 });
    const { compose, seen } = stage();
    const t = answerTurn('稳健收益基金怎么样', 'wealth_product', [FUND], 'zh');
    await compose.run(t);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.text).toBe('这只基金近 12 个月收益率 2.8% [1]。');
    expect(seen.some((d) => d.text.includes('稳赚'))).toBe(false);
    // the whole answer is checked again by guard-out: the customer gets the safe answer
    await guardOutStage(guard, audit).run(t);
    expect(t.replies[0]!.text).not.toContain('稳赚');
    expect(t.replies[0]!.text).toMatch(/无法对收益或结果作出任何承诺/);
  });

  it.each(['zh', 'en'] as const)('the finance template always carries the risk disclosure (%s), through guard-out', async (locale) => {
    fake.script({ answer: locale === 'zh' ? '近 12 个月收益率为 2.8%，过往业绩不代表未来表现 [1]。' : 'It returned 2.8% over the past 12 months, which does not predict the future [1].' });
    const t = answerTurn('fund?', 'wealth_product', [FUND], locale);
    await stage().compose.run(t);
    await guardOutStage(guard, audit).run(t);
    expect(t.replies[0]!.text).toContain(locale === 'zh' ? '理财有风险，投资需谨慎' : 'Investing involves risk; invest with care.');
  });

  it('with supportSamples, a majority of reasoned samples saying "unsupported" offers a person without writing an answer', async () => {
    let n = 0;
    fake.byDefault(() => ({ answer: `Reasoning: the passage is about returns, not Japan.\nAnswer: ${n++ === 1 ? 'supported' : 'unsupported'}` }));
    const t = answerTurn('do you ship to Japan?', 'shipping_info', [RETURNS]);
    const outcome = await stage({ supportSamples: 3 }).compose.run(t);
    expect(outcome.decision).toBe('model: the passages do not answer it');
    expect(outcome.detail).toMatchObject({ support: { label: 'unsupported', votes: { unsupported: 2, supported: 1 }, samples: 3 } });
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.every((r) => r.temperature === 0.7)).toBe(true);
    expect(t.drafts[0]!.text).not.toMatch(/Reasoning/);
  });

  it('clarifying questions and other templates stay with the grounded composer, without asking the model', async () => {
    const t = { ...answerTurn('return?', 'return_item', [RETURNS, FUND]), grounding: 'clarify' as const };
    const outcome = await stage().compose.run(t);
    expect(outcome.decision).toBe('clarifying question');
    expect(fake.requests).toHaveLength(0);
  });
});
