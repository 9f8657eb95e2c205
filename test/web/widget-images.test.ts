// Images in the chat widget, in a real Chromium against an in-process kefu: the attach button, paste and
// drag-and-drop, and refusals explained in the customer's language.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { channels } from '../../adapters/index.ts';
import { startKefu } from '../../bot/app.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { pngBomb, screenshot } from '../helpers/images.ts';

let kefu: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  kefu = await startKefu({ channels: channels(), port: 0, botDir: 'examples/demo-shop', host: '127.0.0.1' });
  browser = await launchChromium();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await kefu?.close();
});

async function openChat(locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(kefu.url + '/');
  await page.locator('#kefu-widget .launcher').click();
  await expect.poll(() => page.locator('#kefu-panel').isVisible()).toBe(true);
  return page;
}

const replies = (page: Page) => page.locator('#kefu-widget .msg.out[data-author]');

/** Puts a file into the page as the customer would by paste or drop: a DataTransfer holding it, dispatched on `target`. */
async function transfer(page: Page, kind: 'paste' | 'drop', target: string, file: { name: string; type: string; bytes: Uint8Array }) {
  await page.evaluate(
    ({ kind, target, name, type, data }) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type }));
      const el = document.getElementById('kefu-widget')!.shadowRoot!.querySelector(target)!;
      if (kind === 'paste') el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      else {
        el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { kind, target, name: file.name, type: file.type, data: Buffer.from(file.bytes).toString('base64') },
  );
}

describe('images in the chat widget', () => {
  it('sends an image chosen with the attach button, shows it in the customer bubble, and the bot answers', async () => {
    const page = await openChat();
    const image = await screenshot({ banner: { text: 'Payment failed', color: '#d93025' } });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach an image' }).click()]);
    await chooser.setFiles({ name: 'error.png', mimeType: 'image/png', buffer: Buffer.from(image) });
    await expect.poll(() => page.locator('#kefu-widget .tray img').count()).toBe(1);
    await page.getByRole('textbox').fill('what is this?');
    await page.getByRole('textbox').press('Enter');
    await expect.poll(() => replies(page).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const sent = page.locator('#kefu-widget .msg.in').last();
    expect(await sent.locator('img').getAttribute('alt')).toBe('error.png');
    expect(await sent.textContent()).toContain('what is this?');
    expect(await page.locator('#kefu-widget .tray').isHidden()).toBe(true); // the tray empties once sent
    expect(await page.locator('#kefu-widget .failure').count()).toBe(0);
  }, 120_000);

  it('shows the customer their own picture again after a reload, fetched with the conversation token', async () => {
    const page = await openChat();
    const image = await screenshot({ lines: ['Order LM202611280042'], width: 320, height: 120 });
    await transfer(page, 'paste', 'textarea', { name: 'order.png', type: 'image/png', bytes: image });
    await page.getByRole('textbox').fill('this one');
    await page.getByRole('textbox').press('Enter');
    await expect.poll(() => replies(page).count(), { timeout: 60_000 }).toBeGreaterThan(0);

    await page.reload();
    await page.locator('#kefu-widget .launcher').click();
    const restored = page.locator('#kefu-widget .msg.in').filter({ hasText: 'this one' }).locator('img');
    await expect.poll(() => restored.count(), { timeout: 30_000 }).toBe(1);
    expect(await restored.getAttribute('alt')).toBe('order.png');
    // the picture itself, drawn from the bytes kefu kept (re-encoded without metadata, so its size is read, not compared)
    await expect.poll(() => restored.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBe(320);
    expect(await restored.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  }, 120_000);

  it('takes an image pasted into the message box and one dropped on the panel, and sends an image alone', async () => {
    const page = await openChat();
    const image = await screenshot({ lines: ['Order 20240512'], width: 300, height: 200 });
    await transfer(page, 'paste', 'textarea', { name: 'pasted.png', type: 'image/png', bytes: image });
    await transfer(page, 'drop', '.panel', { name: 'dropped.png', type: 'image/png', bytes: image });
    await expect.poll(() => page.locator('#kefu-widget .tray img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual(['pasted.png', 'dropped.png']);
    await page.locator('#kefu-widget .send').click();
    await expect.poll(() => replies(page).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.locator('#kefu-widget .msg.in').last().locator('img').count()).toBe(2);
    expect(await page.locator('#kefu-widget .failure').count()).toBe(0);
  }, 120_000);

  it('explains refusals in the customer language: a file that is no image at once, a bomb and a broken PNG from the server', async () => {
    const page = await openChat('zh-CN');
    await transfer(page, 'drop', '.panel', { name: 'evil.svg', type: 'image/svg+xml', bytes: new TextEncoder().encode('<svg><script>alert(1)</script></svg>') });
    await expect.poll(() => page.locator('#kefu-widget .system.error').last().textContent()).toBe('只能发送 PNG、JPEG、GIF 或 WebP 格式的图片。');

    await transfer(page, 'paste', 'textarea', { name: 'huge.png', type: 'image/png', bytes: pngBomb(30_000) });
    await page.locator('#kefu-widget .send').click();
    await expect.poll(() => page.locator('#kefu-widget .failure').last().textContent(), { timeout: 30_000 }).toContain('图片像素太多');

    const whole = await screenshot({ lines: ['支付失败'] });
    await transfer(page, 'paste', 'textarea', { name: 'cut.png', type: 'image/png', bytes: whole.subarray(0, Math.floor(whole.length / 2)) });
    await page.locator('#kefu-widget .send').click();
    await expect.poll(() => page.locator('#kefu-widget .failure').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('#kefu-widget .failure').last().textContent()).toContain('图片无法读取');
    expect(await replies(page).count()).toBe(0); // nothing refused reached the bot
  }, 120_000);
});
