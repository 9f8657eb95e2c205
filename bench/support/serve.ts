/**
 * A server for the web benchmark, in its own process so its memory can be read alone:
 * `serve.ts kefu DATADIR` (the demo shop on the embedded database) or `serve.ts hello` (fastify hello-world).
 * Prints its URL on the first line of stdout.
 */
import Fastify from 'fastify';
import { startKefu } from '../../bot/app.ts';
import { channels } from '../../adapters/index.ts';

const [kind, dataDir] = process.argv.slice(2);
if (kind === 'hello') {
  const app = Fastify();
  app.post('/hello', async () => ({ hello: 'world' }));
  console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
} else {
  // a burst allowance large enough that the benchmark measures turns, not the flood gate
  const kefu = await startKefu({ channels: channels(), botDir: 'examples/demo-shop', dataDir, port: 0, flood: { burst: 1e6, perSecond: 1e6, maxWaiting: 1e6 } });
  console.log(kefu.url);
}
