/**
 * `kefu test DIR [--bot FOLDER]`: runs the conversation tests in DIR (bot/conversation-tests) against the
 * bot on a fresh in-memory store, through the web channel, and prints a report; exits 1 when any fails.
 * The bot defaults to the folder above DIR when it holds a bot.yaml (examples/demo-shop/tests → the demo shop).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startKefu } from '../app.ts';
import { loadConversationTests } from '../conversation-tests/load.ts';
import { report, runConversationTests } from '../conversation-tests/run.ts';
import { webCustomer } from '../conversation-tests/web-customer.ts';
import type { Turn } from '../turn/types.ts';
import type { CliIo } from './io.ts';
import { channels } from '../../adapters/index.ts';

const USAGE = 'usage: kefu test DIR [--bot FOLDER]';

export async function testCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { bot: { type: 'string' } } });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) {
    io.err(USAGE);
    return 2;
  }
  if (!existsSync(dir)) {
    io.err(`kefu test: ${dir} does not exist`);
    return 2;
  }
  const botDir = values.bot ?? dirname(resolve(dir));
  if (!existsSync(join(botDir, 'bot.yaml'))) {
    io.err(`kefu test: no bot.yaml in ${botDir}; name the bot with --bot FOLDER`);
    return 2;
  }
  const tests = loadConversationTests(dir);
  const turns = new Map<string, Turn>();
  const started = performance.now();
  // every test opens a conversation: lift the web channel's limit on new conversations per address
  const web = { newConversations: { burst: 1_000_000, perSecond: 1_000_000, maxWaiting: 0 } };
  const kefu = await startKefu({ channels: channels({ web }), botDir, port: 0, onTurn: (t) => turns.set(t.conversation.id, t), onProgress: (step) => io.err(`  [${((performance.now() - started) / 1000).toFixed(1)}s] ${step}…`) });
  try {
    const results = await runConversationTests(tests, webCustomer({ url: kefu.url, lastTurn: (id) => turns.get(id) }));
    report(results).forEach((l) => io.out(l));
    return results.some((r) => r.failures.length) ? 1 : 0;
  } finally {
    await kefu.close();
  }
}
