/**
 * kefu killed with SIGKILL in the middle of load, on both backends, then started again on the same
 * database: nothing lost, nothing answered twice, nothing out of order (see test/helpers/load-crash.ts).
 * `npm run bench -- load-crash` runs the same harness at 200 conversations × 20 turns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../../helpers/databases.ts';
import { loadAndCrash } from '../../helpers/load-crash.ts';

const LOAD = { conversations: 20, turns: 8, killAfterReplies: 50 };

describe('a kill -9 in the middle of load', () => {
  it('on the embedded database: every message answered exactly once, in order', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-crash-'));
    try {
      const report = await loadAndCrash({ database: { dataDir }, ...LOAD });
      expect(report).toMatchObject({ sent: 160, lost: 0, duplicated: 0, outOfOrder: 0 });
      expect(report.retried).toBeGreaterThan(0); // the kill did land mid-load
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('on PostgreSQL: every message answered exactly once, in order', async (ctx) => {
    const fresh = await postgresUrl();
    if (!fresh) return ctx.skip();
    try {
      const report = await loadAndCrash({ database: { databaseUrl: fresh.url }, ...LOAD });
      expect(report).toMatchObject({ sent: 160, lost: 0, duplicated: 0, outOfOrder: 0 });
      expect(report.retried).toBeGreaterThan(0);
    } finally {
      await fresh.drop();
    }
  }, 180_000);
});
