import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guard } from '../../../bot/compliance/guard.ts';
import { loadGuard } from '../../../bot/compliance/load.ts';
import { createStreamGuard } from '../../../bot/compliance/stream.ts';

let guard: Guard;
beforeAll(async () => {
  guard = await loadGuard({ pollMs: 0 });
});
afterAll(() => guard.close());

/** Feeds `text` in chunks of `size` characters; returns everything released and the end. */
function stream(text: string, size: number, locale: 'zh' | 'en' = 'en') {
  const s = createStreamGuard(guard, { locale });
  const released: string[] = [];
  for (let i = 0; i < text.length; i += size) released.push(s.push(text.slice(i, i + size)));
  const end = s.end();
  return { sent: released.join('') + end.text, released, end };
}

describe('stream guard', () => {
  it('passes a clean reply through whole, in windows', () => {
    const text = 'Your parcel left our warehouse today. It should arrive on Friday. Anything else?';
    const { sent, released } = stream(text, 7);
    expect(sent).toBe(text);
    expect(released.filter(Boolean).length).toBeGreaterThan(1);
  });

  it('ends a window at a sentence that closes on a citation ("… today [1]. ")', () => {
    const { released } = stream('Your parcel left today [1]. It arrives on Friday [2]. Anything else?', 5);
    expect(released.filter(Boolean)[0]).toBe('Your parcel left today [1].');
  });

  it('never sends a blocked claim, even when it arrives split over chunks', () => {
    const text = '这款产品很受欢迎。它保本保收益，您放心。';
    for (const size of [1, 2, 3, 5]) {
      const { sent, end } = stream(text, size, 'zh');
      expect(sent).toBe('这款产品很受欢迎。');
      expect(sent).not.toMatch(/保本/);
      expect(end.stopped).toBe(true);
      expect(end.reply).toMatch(/抱歉/);
    }
  });

  it('masks personal data split across chunks before it is sent', () => {
    const text = 'We will call you on 138 1234 5678 tomorrow. Thanks for waiting.';
    for (const size of [1, 4, 9]) {
      const { sent } = stream(text, size);
      expect(sent).toBe('We will call you on 138 **** 5678 tomorrow. Thanks for waiting.');
    }
  });

  it('holds back a long sentence until it is checked, and releases it when forced windows are safe', () => {
    const long = `${'word '.repeat(80)}and the f u c k ends here`;
    const s = createStreamGuard(guard, { locale: 'en', maxWindow: 100, holdBack: 30 });
    let sent = '';
    for (const ch of long) sent += s.push(ch);
    const end = s.end();
    expect(end.stopped).toBe(true);
    expect(sent).not.toMatch(/f u c/);
  });

  it('appends the risk disclosure at the end of a streamed recommendation', () => {
    const { sent, end } = stream('We recommend our Income fund. It pays monthly. ', 6);
    expect(end.verdict.decision).toBe('rewrite');
    expect(sent).toMatch(/It pays monthly\. \n\nRisk disclosure:/);
  });
});
