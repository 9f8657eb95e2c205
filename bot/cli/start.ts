import { parseArgs } from 'node:util';
import { startKefu } from '../app.ts';
import { databaseOptions } from './database.ts';
import type { CliIo } from './io.ts';

/** `kefu start [--data DIR] [--port N] [--host H] [--bot FOLDER]`: runs the bot and its web chat. */
export async function startCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      bot: { type: 'string' },
      log: { type: 'boolean' },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`--port must be a number from 0 to 65535, not '${values.port}'`);
    return 2;
  }
  const { databaseUrl, dataDir } = databaseOptions(values.data);
  const started = performance.now();
  const kefu = await startKefu({
    botDir: values.bot ?? 'examples/demo-shop',
    dataDir,
    databaseUrl,
    port,
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    logger: values.log,
    onProgress: (step) => io.err(`  [${((performance.now() - started) / 1000).toFixed(1)}s] ${step}…`),
  });
  io.out(`kefu is running (${((performance.now() - started) / 1000).toFixed(1)}s, ${databaseUrl ? 'PostgreSQL' : `embedded database in ${dataDir}`})`);
  io.out(`  chat with the demo:   ${kefu.url}/`);
  io.out(`  help centre:          ${kefu.url}/help`);
  io.out(`  embed the widget:     <script src="${kefu.url}/widget.js" async></script>`);
  io.out('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.err('stopping…');
  await kefu.close();
  return 0;
}
