import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../bot/cli/main.ts';
import { captureIo } from '../../helpers/cli-io.ts';
import { photo, pngBomb, screenshot } from '../../helpers/images.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-vision-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kefu vision batch', () => {
  it('reads every image of a folder into a CSV (issue, confidence, text, whether an issue was found) and prints a summary; bad files are rows, not crashes', async () => {
    const images = join(dir, 'images');
    mkdirSync(images);
    writeFileSync(join(images, 'a-payment.png'), await screenshot({ banner: { text: '支付失败 错误代码 1024', color: '#d93025' } }));
    writeFileSync(join(images, 'b-photo.png'), await photo('#a0c4ff')); // a JPEG named .png
    writeFileSync(join(images, 'c-login.png'), await screenshot({ lines: ['Login failed: incorrect password'] }));
    writeFileSync(join(images, 'd-empty.png'), new Uint8Array(0));
    writeFileSync(join(images, 'e-bomb.png'), pngBomb());
    const out = join(dir, 'results.csv');

    const { io, out: printed } = captureIo();
    expect(await main(['vision', 'batch', images, '--out', out, '--workers', '1'], io)).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.file, r.issue, r.issue_found])).toEqual([
      ['a-payment.png', 'payment_failed', 'yes'],
      ['b-photo.png', '', 'no'],
      ['c-login.png', 'login_problem', 'yes'],
      ['d-empty.png', '', 'no'],
      ['e-bomb.png', '', 'no'],
    ]);
    expect(rows[0]).toMatchObject({ confidence: '0.50', error_code: '1024', refused: '' });
    expect(rows[0]!.text.replace(/\s/g, '')).toContain('支付失败');
    expect(rows[3]!.refused).toMatch(/^empty:/);
    expect(rows[4]!.refused).toMatch(/^too_many_pixels:/);
    expect(printed[0]).toBe('5 file(s): 3 read, 2 with an issue, 2 with text, 2 refused');
    expect(printed).toContain(`results: ${out}`);
  }, 120_000);

  it('explains its usage and a bad --workers', async () => {
    const { io, err } = captureIo();
    expect(await main(['vision', 'batch'], io)).toBe(2);
    expect(await main(['vision', 'batch', dir, '--out', join(dir, 'x.csv'), '--workers', 'many'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/usage: kefu vision batch DIR --out results.csv/);
    expect(err.join('\n')).toMatch(/--workers must be a whole number from 1 to 16, not 'many'/);
  });
});

describe('kefu vision learn', () => {
  it('learns a folder per issue into the data directory, with counts and the leave-one-out accuracy; an unknown issue folder is refused', async () => {
    const { parcelPhoto } = await import('../../helpers/photos.ts');
    const labelled = join(dir, 'labelled');
    for (const [kind, issue] of [['damaged', 'damaged_item'], ['intact', 'none']] as const) {
      mkdirSync(join(labelled, issue), { recursive: true });
      for (let v = 0; v < 3; v++) writeFileSync(join(labelled, issue, `${v}.jpg`), await parcelPhoto(kind, v));
    }
    const data = join(dir, 'data');
    const { io, out: printed, err } = captureIo();
    const code = await main(['vision', 'learn', labelled, '--data', data], io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(printed).toContain('6 picture(s) learned with mobilenet-v2');
    expect(printed).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}damaged_item +3$/), expect.stringMatching(/^leave-one-out: \d\/6 right/), `learned set: ${join(data, 'vision-examples.json')}`]));
    expect(JSON.parse(readFileSync(join(data, 'vision-examples.json'), 'utf8')).examples).toHaveLength(6);

    mkdirSync(join(labelled, 'broken_boxes'));
    const second = captureIo();
    expect(await main(['vision', 'learn', labelled, '--data', data], second.io)).toBe(2);
    expect(second.err.join('\n')).toMatch(/"broken_boxes" is not an issue of the taxonomy/);
  }, 120_000);

  it('batch then looks at the pictures with the learned set: a held-out photo of a crushed box, with no text, is found damaged by the learned detector', async () => {
    const { parcelPhoto } = await import('../../helpers/photos.ts');
    const data = join(dir, 'data'); // learned by the test above
    const photos = join(dir, 'unlabelled');
    mkdirSync(photos);
    writeFileSync(join(photos, 'a-crushed.jpg'), await parcelPhoto('damaged', 6));
    writeFileSync(join(photos, 'b-payment.png'), await screenshot({ banner: { text: '支付失败 错误代码 1024', color: '#d93025' } }));
    const out = join(dir, 'looked.csv');
    const { io } = captureIo();
    expect(await main(['vision', 'batch', photos, '--out', out, '--workers', '1', '--data', data], io)).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.file, r.issue, r.found_by])).toEqual([
      ['a-crushed.jpg', 'damaged_item', 'learned'],
      ['b-payment.png', 'payment_failed', 'text'], // what the text names wins over the picture
    ]);
  }, 120_000);
});
