/**
 * Every demo-shop conversation test (examples/demo-shop/tests, those `kefu test` runs on the web channel),
 * one vitest case each, through one channel's customer side into one kefu, one conversation after another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../../bot/app.ts';
import type { CustomerSide } from '../../../../bot/conversation-tests/customer-side.ts';
import { loadConversationTests } from '../../../../bot/conversation-tests/load.ts';
import { runConversationTest } from '../../../../bot/conversation-tests/run.ts';
import type { Channel } from '../../../../bot/turn/channel.ts';
import { turnWatch, type TurnWatch } from './turn-watch.ts';

export interface ChannelUnderTest {
  side: CustomerSide;
  close(): Promise<void>;
}

/** The demo shop with the web channel and `extra` (each observed by the watch), on an in-memory database. */
export function startDemoShop(watch: TurnWatch, extra: Channel[]): Promise<Kefu> {
  return startKefu({
    botDir: 'examples/demo-shop',
    port: 0,
    host: '127.0.0.1',
    channels: [...channels(), ...extra.map((c) => watch.observe(c))],
    onTurn: watch.onTurn,
    // on a machine shared by parallel test files a turn can take seconds: what is checked here is what the
    // bot answers, not the apology for a turn over budget (test/bot/turn/pipeline.test.ts proves that)
    turnBudgetMs: 30_000,
  });
}

export function allConversationsOn(channel: string, start: (watch: TurnWatch) => Promise<ChannelUnderTest>) {
  const tests = loadConversationTests('examples/demo-shop/tests');
  describe(`the demo shop's conversation tests, on ${channel}`, () => {
    const watch = turnWatch();
    let running: ChannelUnderTest | undefined;
    beforeAll(async () => {
      running = await start(watch);
    }, 300_000);
    afterAll(async () => running?.close());

    it('are all there, in both languages', () => {
      expect(tests.length).toBeGreaterThanOrEqual(40);
      expect(tests.filter((t) => t.locale === 'zh').length).toBeGreaterThanOrEqual(15);
    });

    for (const test of tests) {
      it(`${test.name} (${test.file.split('/').at(-1)}:${test.line})`, async () => {
        const result = await runConversationTest(test, running!.side);
        expect(result.failures).toEqual([]);
      }, 60_000);
    }
  });
}
