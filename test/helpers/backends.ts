import { startKefu, type Kefu, type KefuOptions } from '../../bot/app.ts';
import { postgresUrl } from './databases.ts';
import { channels, type ChannelSettings } from '../../adapters/index.ts';

export interface RunningKefu {
  kefu: Kefu;
  dispose(): Promise<void>;
}

type Options = Omit<KefuOptions, 'botDir' | 'databaseUrl' | 'dataDir' | 'channels'> & ChannelSettings;

/**
 * The demo shop on each backend kefu runs on: the embedded database (PGlite, in memory) and a real
 * PostgreSQL server (a fresh database, dropped afterwards; undefined where KEFU_TEST_PG_URL is not set
 * outside CI).
 */
export const BACKENDS: { name: string; start(opts?: Options): Promise<RunningKefu | undefined> }[] = [
  {
    name: 'embedded database (PGlite)',
    async start(opts = {}) {
      const { web, ...rest } = opts;
      const kefu = await startKefu({ botDir: 'examples/demo-shop', channels: channels({ web }), port: 0, ...rest });
      return { kefu, dispose: () => kefu.close() };
    },
  },
  {
    name: 'PostgreSQL server',
    async start(opts = {}) {
      const fresh = await postgresUrl();
      if (!fresh) return undefined;
      const { web, ...rest } = opts;
      const kefu = await startKefu({ botDir: 'examples/demo-shop', channels: channels({ web }), port: 0, databaseUrl: fresh.url, ...rest });
      return {
        kefu,
        async dispose() {
          await kefu.close();
          await fresh.drop();
        },
      };
    },
  },
];
