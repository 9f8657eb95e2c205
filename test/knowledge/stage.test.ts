import { describe, expect, it } from 'vitest';
import type { Passage, Turn } from '../../bot/turn/types.ts';
import type { Knowledge } from '../../knowledge/index.ts';
import { groundedAnswer, groundStage, quote } from '../../knowledge/stage.ts';
import type { Hit } from '../../knowledge/types.ts';

const passage = (text: string, score: number, title: string, url?: string): Passage => ({ text, score, source: { title, url, snippet: text } });

function fakeKnowledge(hits: Hit[], calls: unknown[]): Knowledge {
  return {
    botId: 'b',
    vectors: false,
    ingest: async () => ({ added: [], updated: [], unchanged: [], removed: [], skipped: [], chunks: 0 }),
    search: async (q, opts) => {
      calls.push({ q, opts });
      return hits;
    },
    addCurated: async () => 1,
    stats: async () => ({ sources: 0, chunks: 0 }),
  };
}

function turn(text: string, extra: Partial<Turn> = {}): Turn {
  return { text, locale: 'en', messageId: 1, trace: [], history: [], conversation: {} as Turn['conversation'], inbound: {} as Turn['inbound'], ...extra };
}

describe('groundedAnswer', () => {
  it('quotes the best passage with its source, adding close runners-up as sources', () => {
    const reply = groundedAnswer(
      [passage('Standard delivery takes 2–4 days.', 0.9, 'Shipping › Delivery time', '/help/en/shipping#delivery-time'), passage('Express is next day.', 0.85, 'Shipping › Express', '/help/en/shipping#express'), passage('Weak.', 0.3, 'Other')],
      'en',
    );
    expect(reply.text).toBe('Standard delivery takes 2–4 days.');
    expect(reply.sources.map((s) => s.url)).toEqual(['/help/en/shipping#delivery-time', '/help/en/shipping#express']);
    expect(reply.handoff).toBeUndefined();
  });

  it('says it does not know and offers a human, in English and Chinese', () => {
    expect(groundedAnswer([], 'en')).toEqual({ text: "I don't know that one — shall I get you a human?", sources: [], quickReplies: [{ label: 'Talk to a human', payload: 'Talk to a human' }] });
    expect(groundedAnswer([], 'zh')).toMatchObject({ text: expect.stringContaining('转人工'), quickReplies: [{ label: '转人工', payload: '转人工' }] });
  });

  it('cuts a long passage at a sentence end', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Step ${i} is explained here.`).join(' ');
    const q = quote(long, 200);
    expect(q.length).toBeLessThanOrEqual(201);
    expect(q.endsWith('.…')).toBe(true);
  });
});

describe('ground stage', () => {
  const hit: Hit = { text: 'Yes.', score: 0.8, docId: 'd', source: { title: 'T', url: '/help/d' } };

  it('sets the passages for the turn text, searching in the language the text is written in', async () => {
    const calls: unknown[] = [];
    const t = turn('快递多久能到？');
    const outcome = await groundStage(fakeKnowledge([hit], calls)).run(t);
    expect(t.passages).toEqual([{ text: 'Yes.', score: 0.8, source: { title: 'T', url: '/help/d' } }]);
    expect(calls).toEqual([{ q: '快递多久能到？', opts: { locale: 'zh', limit: 3 } }]);
    expect(outcome.decision).toBe('found 1');
  });

  it('records "none" when nothing passes the threshold, and stays out of flows', async () => {
    const t = turn('what is the meaning of life');
    expect((await groundStage(fakeKnowledge([], [])).run(t)).decision).toBe('none');
    expect(t.passages).toEqual([]);
    const calls: unknown[] = [];
    const flow = turn('cancel my order', { decision: 'flow' });
    expect((await groundStage(fakeKnowledge([hit], calls)).run(flow)).decision).toBe('skipped (flow)');
    expect(calls).toEqual([]);
  });
});
