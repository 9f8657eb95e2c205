/**
 * Keeps the running bot's entry selector in step with its knowledge base: after the bot's own ingest,
 * and whenever another process (`kefu knowledge ingest`) changed the store's sources, the selector is
 * retrained (or taken from the store) in the background while the old one keeps answering.
 */
import type { Db } from '../turn/database.ts';
import { loadEntrySelector, type EntrySelector, type SelectorSources } from './entry-selector.ts';

export interface CurrentSelector {
  current(): EntrySelector | null;
  close(): void;
}

/** A cheap fingerprint of the bot's sources: it changes whenever an ingest adds, replaces or removes one. */
async function sourcesStamp(db: Db, botId: string): Promise<string> {
  const [row] = await db.query<{ n: number; last: Date | string | null; ids: string | null }>(
    'select count(*)::int as n, max(ingested_at) as last, sum(id)::text as ids from knowledge_sources where bot_id = $1',
    [botId],
  );
  return `${row?.n}/${row?.last ? new Date(row.last).toISOString() : ''}/${row?.ids ?? ''}`;
}

export async function keepSelectorCurrent(src: SelectorSources, opts: { pollMs?: number; onError?: (err: unknown) => void } = {}): Promise<CurrentSelector> {
  let selector = await loadEntrySelector(src);
  let stamp = await sourcesStamp(src.db, src.botId);
  let running: Promise<void> | null = null;

  const refresh = () =>
    (running ??= (async () => {
      try {
        const now = await sourcesStamp(src.db, src.botId);
        if (now === stamp) return;
        selector = await loadEntrySelector(src);
        stamp = now;
      } finally {
        running = null;
      }
    })());

  const timer = setInterval(() => refresh().catch((err) => opts.onError?.(err)), opts.pollMs ?? 5000);
  timer.unref();
  return {
    current: () => selector,
    close: () => clearInterval(timer),
  };
}
