import { describe, expect, it } from 'vitest';
import { answerOf, askAll, grade, report, score } from '../../../bot/eval/answers.ts';
import type { ChatPort } from '../../../bot/turn/channel.ts';
import type { StoredMessage } from '../../../bot/turn/types.ts';

const reply = (text: string, url?: string): StoredMessage => ({ id: 1, conversationId: 'c', direction: 'out', author: 'bot', text, sources: url ? [{ title: 't', url }] : [], quickReplies: [], createdAt: new Date() });

describe('eval answers: quality next to correctness', () => {
  it('judges an answer by the five measures, relevance being whether it answered the expected entry', () => {
    const right = grade({ text: 'how long is delivery?', expected: 'shipping#delivery-time' }, reply('One to three days [1].', '/help/en/shipping#delivery-time'));
    expect(right.quality).toEqual({ accuracy: 1, format: 1, language: 1, efficiency: 1, relevance: 1, score: 100 });
    const wrong = grade({ text: 'how long is delivery?', expected: 'shipping#delivery-time' }, reply('Fifteen days [1].', '/help/en/returns#window'));
    expect(wrong.quality).toMatchObject({ relevance: 0, score: 75 });
    expect(grade({ text: 'hi', expected: null }, reply('Sorry, I do not know.')).quality).toBeUndefined();
  });

  it('reports the mean quality of the answers in the scores and the table', () => {
    const graded = [
      { ...grade({ text: 'delivery?', expected: 'shipping#delivery-time' }, reply('One to three days [1].', '/help/en/shipping#delivery-time')), ms: 10 },
      { ...grade({ text: 'delivery?', expected: 'shipping#delivery-time' }, reply('Fifteen days [1].', '/help/en/returns#window')), ms: 10 },
      { ...grade({ text: 'hi', expected: null }, null), ms: 10 },
    ];
    expect(score(graded).quality).toEqual({ accuracy: 1, relevance: 0.5, format: 1, language: 1, efficiency: 1, score: 87.5 });
    expect(report(graded).join('\n')).toMatch(/answer quality \(weights 30\/25\/20\/15\/10\): 87\.5 of 100 — accuracy 100\.0%, relevance 50\.0%/);
    expect(score([{ ...grade({ text: 'hi', expected: null }, null), ms: 1 }]).quality).toBeNull();
  });
});

describe('eval answers: which message answers', () => {
  const buttons = (m: StoredMessage, payload: string): StoredMessage => ({ ...m, quickReplies: [{ label: 'x', payload }] });

  it('judges the answer, not a resumed task or a transfer notice sent after it in the same turn', () => {
    const answer = reply('Refunds reach a credit card in 3–7 days [1].', '/help/en/refunds#refund-timeline');
    const resumed = buttons(reply("Let's carry on: what is your order number?"), 'flow:cancel');
    expect(answerOf([answer, resumed])).toBe(answer);
    expect(grade({ text: 'when is my money back?', expected: 'refunds#refund-timeline' }, answerOf([answer, resumed])).outcome).toBe('correct');
  });

  it('takes a clarifying question as the answer, and the last message of a turn with neither', () => {
    const clarify = buttons(reply('Did you mean …?'), 'entry:returns#exchange');
    expect(answerOf([clarify, reply('later')])).toBe(clarify);
    const last = reply('Sorry, I do not know.');
    expect(answerOf([reply('first'), last])).toBe(last);
    expect(answerOf([])).toBeNull();
  });

  it('gives every message its own channel id when nobody listens to the progress', async () => {
    const ids: string[] = [];
    const chat = {
      startConversation: async () => ({ id: 'c' }),
      receive: async (m: { channelMessageId: string }) => {
        ids.push(m.channelMessageId);
        return { replies: Promise.resolve([reply('Sorry, I do not know.')]) };
      },
    } as unknown as ChatPort;
    await askAll(chat, [{ text: 'a', expected: null, context: ['before'] }, { text: 'b', expected: null }]);
    expect(new Set(ids).size).toBe(3);
  });
});
