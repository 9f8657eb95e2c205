import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../bot/store/open.ts';
import { openPglite } from '../../../bot/store/pglite.ts';

const root = mkdtempSync(join(tmpdir(), 'kefu-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;
function everyPath(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? [p, ...everyPath(p)] : [p];
  });
}

describe('the embedded database directory', () => {
  it('is created 0700 and, once kefu has written and closed it, nothing in it is open to group or others', async () => {
    const dir = join(root, 'fresh');
    const { db } = await openDb({ dataDir: dir });
    expect(modeOf(dir)).toBe(0o700);
    await db.query("insert into settings (key, value) values ('token_secret', 'kept-private')");
    await db.close();
    const paths = everyPath(dir);
    expect(paths.length).toBeGreaterThan(100);
    expect(paths.filter((p) => modeOf(p) & 0o077)).toEqual([]);
  });

  it('refuses to open a directory that others can write', async () => {
    const dir = join(root, 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    await expect(openPglite(dir)).rejects.toThrow(/can be written by other users.*chmod 700/);
    chmodSync(dir, 0o775);
    await expect(openPglite(dir)).rejects.toThrow(/can be written by other users/);
  });

  it('closes an existing directory that others can only read (0755, as older kefu made it)', async () => {
    const dir = join(root, 'readable');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const db = await openPglite(dir);
    await db.close();
    expect(modeOf(dir)).toBe(0o700);
  });
});
