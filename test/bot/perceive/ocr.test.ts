import { afterAll, describe, expect, it } from 'vitest';
import { createOcrReader, OcrTimeout } from '../../../bot/perceive/ocr.ts';
import { screenshot } from '../../helpers/images.ts';

const reader = createOcrReader({ workers: 1, timeoutMs: 30_000 });
afterAll(() => reader.close());

const textOf = async (bytes: Uint8Array) => (await reader.read(bytes)).map((l) => l.text).join('\n');

describe('OCR of screenshots (PP-OCRv4 in a worker thread)', () => {
  it('reads Chinese and English text from a screenshot with a red error banner', async () => {
    const text = await textOf(await screenshot({ banner: { text: '支付失败 错误代码 1024', color: '#d93025' }, lines: ['Payment failed. Order A20240512'] }));
    expect(text.replace(/\s/g, '')).toContain('支付失败');
    expect(text).toContain('1024');
    expect(text).toMatch(/Payment failed/i);
    expect(text).toContain('A20240512');
  }, 60_000);

  it('reads several images at once, each its own text', async () => {
    const [a, b] = await Promise.all([textOf(await screenshot({ lines: ['Order status: shipped'] })), textOf(await screenshot({ lines: ['订单已发货'] }))]);
    expect(a).toMatch(/shipped/i);
    expect(b).toContain('已发货');
  }, 60_000);

  it('finds no text in an empty page', async () => {
    expect(await reader.read(await screenshot({}))).toEqual([]);
  }, 60_000);

  it('gives up on an image past the time limit, and answers the next read too (a fresh worker, timed again) instead of hanging', async () => {
    const hurried = createOcrReader({ timeoutMs: 1 });
    const image = await screenshot({ lines: ['slow'] });
    await expect(hurried.read(image)).rejects.toBeInstanceOf(OcrTimeout);
    await expect(hurried.read(image)).rejects.toBeInstanceOf(OcrTimeout);
    await hurried.close();
  }, 60_000);

  it('rejects bytes that are no image, and keeps reading', async () => {
    await expect(reader.read(new TextEncoder().encode('not an image'))).rejects.toThrow(/could not be read/);
    expect(await textOf(await screenshot({ lines: ['Invoice'] }))).toMatch(/Invoice/);
  }, 60_000);
});
