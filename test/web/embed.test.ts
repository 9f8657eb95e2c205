// The widget embedded on a shop's own site (another origin than the kefu server), in a real Chromium.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startKefu } from '../../bot/app.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { channels } from '../../adapters/index.ts';

let kefu: { url: string; close(): Promise<void> };
let browser: Browser;
/** The shop's own web server (another origin: same host, another port); it also serves a copy of widget.js. */
let shop: Server;
let shopUrl: string;
let scriptTag = '';

beforeAll(async () => {
  kefu = await startKefu({ channels: channels(), port: 0, botDir: 'examples/demo-shop', host: '127.0.0.1' });
  const widget = await readFile(new URL('../../web/widget/widget.js', import.meta.url));
  shop = createServer((req, res) => {
    if (req.url === '/static/widget.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(widget);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Shop</title><h1>Our shop</h1>${scriptTag}`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as { port: number }).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
  await kefu?.close();
});

/** A page of the shop's own site that embeds the widget with the given script tag. */
async function shopPage(tag: string): Promise<Page> {
  scriptTag = tag;
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${shopUrl}/`);
  return page;
}

async function askOnce(page: Page, question: string) {
  await page.getByRole('button', { name: 'Open chat' }).click();
  const input = page.getByRole('textbox');
  await input.fill(question);
  await input.press('Enter');
  const reply = page.locator('#kefu-widget .msg.out[data-author]').first();
  await reply.waitFor({ timeout: 30_000 });
  return reply;
}

describe('widget on another site', () => {
  it('finds its server from its own script src and links sources to that server', async () => {
    const page = await shopPage(`<script src="${kefu.url}/widget.js" async></script>`);
    const reply = await askOnce(page, 'How long does delivery take?');
    expect(await reply.locator('.sources a').first().getAttribute('href')).toMatch(new RegExp('^' + kefu.url + '/'));
    await page.context().close();
  });

  it('uses data-kefu-server when the script is served from elsewhere', async () => {
    const page = await shopPage(`<script src="${shopUrl}/static/widget.js" data-kefu-server="${kefu.url}" async></script>`);
    const reply = await askOnce(page, 'How long does delivery take?');
    expect(await reply.locator('.sources a').first().getAttribute('href')).toMatch(new RegExp('^' + kefu.url + '/'));
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([`kefu:conversation:${new URL(kefu.url).origin}`]);
    await page.context().close();
  });
});
