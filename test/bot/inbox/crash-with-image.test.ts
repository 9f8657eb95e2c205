/**
 * An image is stored with its message before the turn runs: kefu killed (SIGKILL) in the middle of a turn
 * with an image runs that turn again after the restart, with the image's bytes.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { getTrace, listMessages } from '../../../bot/store/messages.ts';
import type { Turn } from '../../../bot/turn/types.ts';
import { newSession } from '../../helpers/kefu.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-crash-image-'));
let kefu: Kefu | undefined;
afterAll(async () => {
  await kefu?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function photo(): Uint8Array {
  const png = new PNG({ width: 32, height: 24 });
  for (let i = 0; i < 32 * 24; i++) png.data.set([180, (i * 7) % 256, 90, 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

describe('kill -9 during a turn with an image', () => {
  it('the restarted kefu runs the turn again with the stored image', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/serve-kefu.ts'], { env: { ...process.env, KEFU_DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
      child.once('exit', (code) => reject(new Error(`kefu exited (${code}) before it listened`)));
    });
    const s = await newSession(url, 'en');
    const bytes = photo();
    // the first image a kefu sees loads the image moderation model, which takes seconds: the turn is running when the kill comes
    const posting = fetch(`${url}/api/conversations/${s.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify({ text: 'the parcel arrived like this', clientMessageId: 'photo-1', images: [{ data: Buffer.from(bytes).toString('base64'), name: 'parcel.png' }] }),
    }).catch(() => 'killed');
    await new Promise((r) => setTimeout(r, 500));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(await posting).toBe('killed'); // no answer came before the kill

    const recovered: Turn[] = [];
    kefu = await startKefu({ botDir: 'examples/demo-shop', channels: channels(), dataDir, port: 0, onTurn: (t) => recovered.push(t) });
    await expect.poll(() => recovered.length, { timeout: 60_000 }).toBe(1);
    const [turn] = recovered;
    expect(turn!.conversation.id).toBe(s.conversationId);
    expect(turn!.inbound.images).toHaveLength(1);
    const image = turn!.inbound.images[0]!;
    // the stored image is the one intake cleaned (re-encoded without metadata): its hash, the photo's pixels
    expect(image).toMatchObject({ mime: 'image/png', name: 'parcel.png', sha256: createHash('sha256').update(image.bytes!).digest('hex') });
    expect(PNG.sync.read(Buffer.from(image.bytes!)).data.equals(PNG.sync.read(Buffer.from(bytes)).data)).toBe(true);

    const db = kefu.db;
    await expect.poll(async () => (await listMessages(db, s.conversationId)).map((m) => [m.author, m.status]), { timeout: 10_000 }).toEqual([['customer', 'processed'], ['bot', 'sent']]);
    const messages = await listMessages(db, s.conversationId);
    // guard-in moderated the image it was given (the verdict is in the stored trace)
    const guardIn = (await getTrace(db, messages[0]!.id))!.find((step) => step.stage === 'guard-in')!;
    expect((guardIn.detail as { images: { verdict: string }[] }).images[0]!.verdict).not.toBe('not-checked');
  }, 240_000);
});
