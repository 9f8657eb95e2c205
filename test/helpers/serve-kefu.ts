/**
 * kefu with the demo shop in a process of its own, for tests and benchmarks that kill it: on the embedded
 * database in KEFU_DATA_DIR, or on DATABASE_URL. Prints its URL on the first line of stdout.
 * Limits are generous: the callers measure turns and crashes, not pacing.
 */
import { startKefu } from '../../bot/app.ts';
import { channels } from '../../adapters/index.ts';

const lots = { burst: 1e6, perSecond: 1e6, maxWaiting: 1e6 };
const kefu = await startKefu({
  channels: channels({ web: { newConversations: { ...lots, maxWaiting: 0 } } }),
  botDir: 'examples/demo-shop',
  dataDir: process.env.KEFU_DATA_DIR,
  databaseUrl: process.env.DATABASE_URL || undefined,
  port: 0,
  flood: lots,
});
console.log(kefu.url);
