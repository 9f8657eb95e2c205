/**
 * The demo shop's conversation tests (examples/demo-shop/tests, the same files `kefu test` runs), each a
 * vitest case, through the web channel's HTTP API into the real pipeline and store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kefu } from '../../../bot/app.ts';
import { loadConversationTests } from '../../../bot/conversation-tests/load.ts';
import { runConversationTest } from '../../../bot/conversation-tests/run.ts';
import { webCustomer } from '../../../bot/conversation-tests/web-customer.ts';
import type { Turn } from '../../../bot/turn/types.ts';
import { BACKENDS, type RunningKefu } from '../../helpers/backends.ts';

const tests = loadConversationTests('examples/demo-shop/tests');

describe("the demo shop's conversation tests, on the web channel", () => {
  let running: RunningKefu | undefined;
  let kefu: Kefu;
  const turns = new Map<string, Turn>();
  beforeAll(async () => {
    running = await BACKENDS[0]!.start({ onTurn: (t) => turns.set(t.conversation.id, t), web: { newConversations: { burst: 1000, perSecond: 1000, maxWaiting: 0 } } });
    kefu = running!.kefu;
  }, 300_000);
  afterAll(async () => running?.dispose());

  it('the suite has at least 40 conversations in both languages', () => {
    expect(tests.length).toBeGreaterThanOrEqual(40);
    expect(tests.filter((t) => t.locale === 'zh').length).toBeGreaterThanOrEqual(15);
  });

  for (const test of tests) {
    it(`${test.name} (${test.file.split('/').at(-1)}:${test.line})`, async () => {
      const result = await runConversationTest(test, webCustomer({ url: kefu.url, lastTurn: (id) => turns.get(id) }));
      expect(result.failures).toEqual([]);
    });
  }
});
