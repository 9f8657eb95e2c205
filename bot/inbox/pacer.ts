import Bottleneck from 'bottleneck';
import Redis from 'ioredis';

/**
 * Keeps channels' outbound pace (Bottleneck): for each channel and key, one message at a time, at least
 * `minTimeMs` apart. With a Redis URL the limiters live in Redis (Bottleneck's clustering), so every kefu
 * process sending into the same Slack channel keeps one pace together.
 */
export interface Pacer {
  schedule<T>(channel: string, key: string, minTimeMs: number, task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createPacer(opts: { redisUrl?: string } = {}): Pacer {
  const connection = opts.redisUrl ? new Bottleneck.IORedisConnection({ Redis, clientOptions: redisOptions(opts.redisUrl) } as Bottleneck.IORedisConnectionOptions) : undefined;
  const groups = new Map<string, Bottleneck.Group>();

  function group(channel: string, minTimeMs: number): Bottleneck.Group {
    const name = `${channel}:${minTimeMs}`;
    let found = groups.get(name);
    if (!found) {
      found = new Bottleneck.Group({
        maxConcurrent: 1,
        minTime: minTimeMs,
        id: `kefu-pace:${name}`,
        ...(connection ? { datastore: 'ioredis', connection, clearDatastore: false, timeout: 60_000 } : {}),
      });
      groups.set(name, found);
    }
    return found;
  }

  return {
    schedule: (channel, key, minTimeMs, task) => group(channel, minTimeMs).key(key).schedule(task),
    async close() {
      await Promise.all([...groups.values()].flatMap((g) => g.limiters().map(({ limiter }) => limiter.disconnect(false))));
      await connection?.disconnect(false);
    },
  };
}

/** ioredis options from a redis:// URL. */
function redisOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
  };
}
