// The chat widget in a real Chromium against an in-process kefu server with the demo shop bot.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startKefu } from '../../bot/app.ts';
import { NOTICES } from '../../adapters/web/notices.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { channels } from '../../adapters/index.ts';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let kefu: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  // a tight flood gate, so the slow-down test does not depend on how fast this machine types
  kefu = await startKefu({ channels: channels(), port: 0, botDir: 'examples/demo-shop', host: '127.0.0.1', flood: { burst: 3, perSecond: 0.5, maxWaiting: 20 } });
  browser = await launchChromium();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(pageErrors.splice(0)).toEqual([]); // the widget threw no uncaught error
});

afterAll(async () => {
  await browser?.close();
  await kefu?.close();
});

async function openShop(options: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? DESKTOP });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(kefu.url + '/');
  return page;
}

async function openChat(page: Page, label = 'Open chat'): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  await expect.poll(() => page.locator('#kefu-panel').isVisible()).toBe(true);
}

/** Types a question, presses Enter and returns the bot's reply bubble that answers it. */
async function ask(page: Page, question: string) {
  const replies = page.locator('#kefu-widget .msg.out[data-author]');
  const before = await replies.count();
  const input = page.getByRole('textbox');
  await input.fill(question);
  await input.press('Enter');
  await expect.poll(() => replies.count(), { timeout: 30_000 }).toBeGreaterThan(before);
  return replies.nth(before);
}

describe('chat widget in Chromium', () => {
  it('answers an English and a Chinese question with the source linked under each answer', async () => {
    const page = await openShop();
    await openChat(page);
    const focused = () => page.evaluate(() => document.getElementById('kefu-widget')?.shadowRoot?.activeElement?.tagName);
    expect(await focused()).toBe('TEXTAREA'); // opening moves focus to the message box

    const english = await ask(page, 'How long does delivery take?');
    const englishLink = english.locator('.sources a').first();
    expect(await englishLink.textContent()).toBeTruthy();
    expect(await englishLink.getAttribute('href')).toMatch(new RegExp('^' + kefu.url + '/'));
    expect(await page.locator('#kefu-widget .msg.in').last().textContent()).toContain('How long does delivery take?');

    const chinese = await ask(page, '退货政策是什么？');
    expect(await chinese.locator('.bubble').textContent()).toMatch(/[\u4e00-\u9fff]/);
    const chineseLink = chinese.locator('.sources a').first();
    expect(await chineseLink.textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await chineseLink.getAttribute('href')).toMatch(new RegExp('^' + kefu.url + '/'));
  });

  it('shows typed HTML as text and creates no element from it', async () => {
    const page = await openShop();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openChat(page);
    const payload = '<img src=x onerror=alert(1)>';
    await ask(page, payload);

    const bubbles = page.locator('#kefu-widget .msg.in .bubble');
    expect(await bubbles.last().textContent()).toBe(payload);
    const images = await page.evaluate(() => ({
      page: document.querySelectorAll('img').length,
      widget: document.getElementById('kefu-widget')!.shadowRoot!.querySelectorAll('img').length,
    }));
    expect(images).toEqual({ page: 0, widget: 0 });
    expect(dialogs).toEqual([]);
  });

  it('renders hostile server text as text and links only http(s) or server-relative sources', async () => {
    const page = await openShop();
    const hostile = {
      id: 1, direction: 'out', author: 'bot', createdAt: new Date().toISOString(),
      text: 'See <b>this</b> <script>alert(1)</script> and **that**',
      sources: [
        { title: 'Relative <i>help</i>', url: '/help/shipping' },
        { title: 'Absolute', url: 'https://help.example.com/a' },
        { title: 'Script', url: 'javascript:alert(1)' },
        { title: 'Data', url: 'data:text/html,<script>alert(1)</script>' },
      ],
      quickReplies: [{ label: '<img src=x onerror=alert(1)>', payload: 'hello' }],
    };
    await page.context().routeWebSocket(/\/ws\?token=/, (socket) => socket.close());
    await page.route(/\/api\/conversations$/, (route) =>
      route.fulfill({ status: 201, json: { conversationId: 'c-hostile', token: 't', locale: 'en' } }));
    await page.route(/\/api\/conversations\/c-hostile\/messages$/, (route) => {
      const { text, clientMessageId } = route.request().postDataJSON();
      const message = { id: 0, direction: 'in', author: 'customer', text, clientMessageId, sources: [], quickReplies: [], createdAt: hostile.createdAt };
      return route.fulfill({ json: { message, reply: hostile } });
    });
    await openChat(page);
    const reply = await ask(page, 'hi');

    expect(await reply.locator('.bubble').textContent()).toBe('See <b>this</b> <script>alert(1)</script> and that');
    expect(await reply.locator('.bubble strong').allTextContents()).toEqual(['that']); // the only markup: our own **bold**
    expect(await reply.locator('b, i, script, img').count()).toBe(0);
    const links = await reply.locator('.sources a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['Relative <i>help</i>', `${kefu.url}/help/shipping`],
      ['Absolute', 'https://help.example.com/a'],
    ]);
    expect(await reply.locator('.sources li').allTextContents()).toEqual(['Relative <i>help</i>', 'Absolute', 'Script', 'Data']);
    expect(await reply.locator('.quick button').textContent()).toBe('<img src=x onerror=alert(1)>');
  });

  it('shows an answer being written as a growing draft (as text), withdraws a retracted one, and replaces it with the finished answer', async () => {
    const page = await openShop();
    let server: { send(message: string): void } | undefined;
    const at = new Date().toISOString();
    await page.route(/\/api\/conversations$/, (route) => route.fulfill({ status: 201, json: { conversationId: 'c-draft', token: 't', locale: 'en' } }));
    await page.route(/\/api\/conversations\/c-draft\/messages$/, (route) => route.fulfill({ json: { messages: [] } }));
    await page.context().routeWebSocket(/\/ws\?token=/, (ws) => {
      server = ws;
      ws.onMessage((raw) => {
        const { text, clientMessageId } = JSON.parse(String(raw));
        ws.send(JSON.stringify({ type: 'message', message: { id: 1, direction: 'in', author: 'customer', text, clientMessageId, sources: [], quickReplies: [], createdAt: at } }));
        ws.send(JSON.stringify({ type: 'draft', draft: { id: 'turn-1', text: 'Orders leave the same day [1].' } }));
      });
    });
    await openChat(page);
    await expect.poll(() => server !== undefined).toBe(true);
    const input = page.getByRole('textbox');
    await input.fill('How long does delivery take?');
    await input.press('Enter');
    const draft = page.locator('#kefu-widget .msg.out.draft');
    await expect.poll(() => draft.locator('.bubble').textContent()).toBe('Orders leave the same day [1].');
    server!.send(JSON.stringify({ type: 'draft', draft: { id: 'turn-1', text: 'Orders leave the same day [1]. <b>Then</b> one to three days [1].' } }));
    await expect.poll(() => draft.locator('.bubble').textContent()).toBe('Orders leave the same day [1]. <b>Then</b> one to three days [1].');
    expect(await draft.locator('b').count()).toBe(0);
    expect(await draft.count()).toBe(1);

    server!.send(JSON.stringify({ type: 'draft', draft: { id: 'turn-1', text: '', retracted: true } }));
    await expect.poll(() => draft.count()).toBe(0);
    server!.send(JSON.stringify({ type: 'draft', draft: { id: 'turn-1b', text: 'Another try [1].' } }));
    await expect.poll(() => draft.count()).toBe(1);
    server!.send(JSON.stringify({ type: 'message', message: { id: 2, direction: 'out', author: 'bot', text: 'Orders leave the same day; delivery takes one to three days [1].', sources: [{ title: 'Delivery', url: '/help/en/shipping' }], quickReplies: [], createdAt: at } }));
    const answers = page.locator('#kefu-widget .msg.out[data-message-id]');
    await expect.poll(() => answers.count()).toBe(1);
    expect(await draft.count()).toBe(0);
    expect(await answers.locator('.bubble').textContent()).toBe('Orders leave the same day; delivery takes one to three days [1].');
  });

  it('shows a fee table in the answer as a table that scrolls sideways inside the bubble on a phone', async () => {
    const page = await openShop({ viewport: PHONE });
    await openChat(page);
    const english = await ask(page, 'How much is shipping?');
    const table = english.locator('.bubble table');
    expect(await table.count()).toBe(1);
    expect(await table.locator('thead th').allTextContents()).toEqual(['Destination', 'Fee', 'Free when the order is']);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)));
    expect(rows).toContainEqual(['Mainland China, standard', '¥8', '¥99 or more']);
    expect(rows).toContainEqual(['Express (next day, major cities)', '¥18', 'never free']);
    expect(await english.locator('.bubble').textContent()).not.toContain('|');

    // wider than the phone's bubble: the table scrolls inside it, the bubble and the page do not
    const sizes = await english.evaluate((msg) => {
      const wrap = msg.querySelector('.bubble .table')!;
      const bubble = msg.querySelector('.bubble')!.getBoundingClientRect();
      return { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, overflowX: getComputedStyle(wrap).overflowX, bubbleRight: bubble.right, pageWidth: document.documentElement.scrollWidth };
    });
    expect(sizes.overflowX).toBe('auto');
    expect(sizes.scrollWidth).toBeGreaterThan(sizes.clientWidth);
    expect(sizes.bubbleRight).toBeLessThanOrEqual(PHONE.width);
    expect(sizes.pageWidth).toBeLessThanOrEqual(PHONE.width);

    const chinese = await ask(page, '运费多少？');
    const zhTable = chinese.locator('.bubble table');
    expect(await zhTable.locator('thead th').allTextContents()).toEqual(['收货地区', '运费', '包邮条件']);
    expect(await zhTable.locator('tbody tr').count()).toBe(4);
    expect(await zhTable.locator('tbody td').allTextContents()).toContain('¥15');
  });

  it('builds tables and bold from server Markdown as elements holding text only', async () => {
    const page = await openShop();
    const text = [
      'Fees for <b>you</b>:',
      '',
      '| Where | **Fee** |',
      '|:---|---:|',
      '| <img src=x onerror=alert(1)> | **¥8** |',
      '| a \\| b |',
      '',
      'Thanks & **bye**',
    ].join('\n');
    await page.context().routeWebSocket(/\/ws\?token=/, (socket) => socket.close());
    await page.route(/\/api\/conversations$/, (route) =>
      route.fulfill({ status: 201, json: { conversationId: 'c-table', token: 't', locale: 'en' } }));
    await page.route(/\/api\/conversations\/c-table\/messages$/, (route) => {
      const { text: asked, clientMessageId } = route.request().postDataJSON();
      const at = new Date().toISOString();
      const message = { id: 0, direction: 'in', author: 'customer', text: asked, clientMessageId, sources: [], quickReplies: [], createdAt: at };
      return route.fulfill({ json: { message, reply: { id: 1, direction: 'out', author: 'bot', text, sources: [], quickReplies: [], createdAt: at } } });
    });
    await openChat(page);
    const reply = await ask(page, 'fees?');
    const bubble = reply.locator('.bubble');
    expect(await bubble.evaluate((b) => Array.from(b.childNodes).map((n) => n.nodeName))).toEqual(['#text', 'DIV', '#text', 'STRONG']);
    expect(await bubble.locator('th').allTextContents()).toEqual(['Where', 'Fee']);
    expect(await bubble.locator('th strong').allTextContents()).toEqual(['Fee']);
    const cells = await bubble.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)));
    expect(cells).toEqual([['<img src=x onerror=alert(1)>', '¥8'], ['a | b', '']]);
    expect(await bubble.locator('td').evaluateAll((tds) => tds.map((td) => getComputedStyle(td).textAlign))).toEqual(['left', 'right', 'left', 'right']);
    expect(await bubble.locator('img, b, script').count()).toBe(0);
    expect(await bubble.textContent()).toBe('Fees for <b>you</b>:Where' + 'Fee<img src=x onerror=alert(1)>¥8a | bThanks & bye');
  });

  it('sends a pressed quick reply as its label with its entry payload, and the bot answers that entry', async () => {
    const page = await openShop();
    const frames: { text: string; clientMessageId: string; payload?: string }[] = [];
    await page.context().routeWebSocket(/\/ws\?token=/, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((data) => {
        const frame = JSON.parse(String(data));
        frames.push(frame);
        if (frames.length > 1) return server.send(data);
        // The first question gets a "Did you mean …?" reply made up here, so that the test does not hang
        // on which questions the bot finds ambiguous; pressing a button then goes to the real bot.
        const at = new Date().toISOString();
        const message = { sources: [], quickReplies: [], createdAt: at };
        socket.send(JSON.stringify({ type: 'message', message: { ...message, id: 900_000_001, direction: 'in', author: 'customer', text: frame.text, clientMessageId: frame.clientMessageId } }));
        socket.send(JSON.stringify({
          type: 'message',
          message: {
            ...message, id: 900_000_002, direction: 'out', author: 'bot', text: "I'm not quite sure what you mean. Is it one of these?",
            quickReplies: [
              { label: 'How much does shipping cost?', payload: 'entry:shipping#shipping-fees' },
              { label: 'Do you offer next-day delivery?', payload: 'entry:shipping#express-delivery' },
            ],
          },
        }));
      });
    });
    await openChat(page);
    await expect.poll(() => page.locator('#kefu-panel [role=status]').first().isHidden()).toBe(true); // socket open
    const clarify = await ask(page, 'can I change it?');
    const replies = page.locator('#kefu-widget .msg.out[data-author]');
    await clarify.getByRole('button', { name: 'Do you offer next-day delivery?' }).click();
    await expect.poll(() => replies.count(), { timeout: 30_000 }).toBe(2);

    expect(frames[1]).toEqual({ type: 'message', text: 'Do you offer next-day delivery?', payload: 'entry:shipping#express-delivery', clientMessageId: expect.any(String) });
    expect(await page.locator('#kefu-widget .msg.in .bubble').allTextContents()).toEqual(['can I change it?', 'Do you offer next-day delivery?']);
    expect(await page.locator('#kefu-widget [role=log]').textContent()).not.toContain('entry:');
    expect(await page.locator('#kefu-widget .quick').count()).toBe(0); // the buttons go once one is pressed
    const answer = replies.nth(1);
    expect(await answer.locator('.sources a').first().getAttribute('href')).toMatch(/#express-delivery$/);
    expect(await answer.locator('.bubble').textContent()).toMatch(/¥18/);
  });

  it('restores the conversation after a reload', async () => {
    const page = await openShop();
    await openChat(page);
    const reply = await ask(page, 'How long does delivery take?');
    const replyText = await reply.locator('.bubble').textContent();
    const stored = await page.evaluate(() => JSON.stringify(localStorage));

    await page.reload();
    await openChat(page);
    const log = page.locator('#kefu-widget [role=log]');
    await expect.poll(() => log.textContent()).toContain('How long does delivery take?');
    expect(await log.textContent()).toContain(replyText);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).toBe(stored); // same conversation, none created
  });

  it('starts a new conversation when the stored one can no longer be opened', async () => {
    const page = await openShop();
    const key = `kefu:conversation:${new URL(kefu.url).origin}`;
    const forged = { conversationId: '00000000-0000-4000-8000-000000000000', token: 'forged.token' };
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, JSON.stringify(forged)] as const);
    await page.reload();
    await openChat(page);
    const reply = await ask(page, 'How long does delivery take?');
    expect(await reply.locator('.sources a').count()).toBeGreaterThan(0);
    const stored = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key)) ?? 'null');
    expect(stored.conversationId).not.toBe(forged.conversationId);
  });

  it('fills a phone screen with the open panel', async () => {
    const page = await openShop({ viewport: PHONE });
    await openChat(page);
    expect(await page.locator('#kefu-panel').boundingBox()).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    const inputBox = await page.getByRole('textbox').boundingBox();
    expect(inputBox!.y + inputBox!.height).toBeLessThanOrEqual(PHONE.height);
    await page.getByRole('button', { name: 'Close chat' }).first().click();
    await expect.poll(() => page.locator('#kefu-panel').isVisible()).toBe(false);
  });

  it('still answers over HTTP when the WebSocket cannot be used', async () => {
    const page = await openShop();
    await page.context().routeWebSocket(/\/ws\?token=/, (socket) => socket.close({ code: 1011, reason: 'blocked by a proxy' }));
    const posted = page.waitForRequest((r) => r.method() === 'POST' && /\/messages$/.test(r.url()));
    await openChat(page);
    const reply = await ask(page, 'How long does delivery take?');
    expect(JSON.parse((await posted).postData() ?? '{}')).toMatchObject({ text: 'How long does delivery take?' });
    expect(await reply.locator('.sources a').count()).toBeGreaterThan(0);
    expect(await page.locator('#kefu-panel [role=status]').first().textContent()).toBe('Reconnecting…');
  });

  it('resends a message the socket lost with the same clientMessageId and shows one answer', async () => {
    const page = await openShop();
    let connections = 0;
    const sent: string[] = [];
    await page.context().routeWebSocket(/\/ws\?token=/, (socket) => {
      const server = socket.connectToServer();
      if (++connections > 1) return; // later connections pass through untouched
      socket.onMessage((data) => {
        sent.push(String(data));
        server.send(data);
        setTimeout(() => socket.close(), 50); // drop the line before the acknowledgement reaches the page
      });
      server.onMessage(() => undefined); // the server's acknowledgement and reply are lost
    });
    const posted = page.waitForRequest((r) => r.method() === 'POST' && /\/messages$/.test(r.url()));
    await openChat(page);
    await expect.poll(() => connections).toBe(1);
    await expect.poll(() => page.locator('#kefu-panel [role=status]').first().isHidden()).toBe(true); // socket open

    const question = 'How long does delivery take?';
    await ask(page, question);
    const overSocket = JSON.parse(sent[0]!);
    const overHttp = JSON.parse((await posted).postData() ?? '{}');
    expect(overHttp.clientMessageId).toBe(overSocket.clientMessageId);

    await expect.poll(() => connections, { timeout: 10_000 }).toBe(2); // reconnected, history merged again
    await expect.poll(() => page.locator('#kefu-panel [role=status]').first().isHidden()).toBe(true);
    const session = await page.evaluate(() => JSON.parse(Object.values(localStorage)[0] as string));
    const stored = await fetch(`${kefu.url}/api/conversations/${session.conversationId}/messages`, {
      headers: { authorization: `Bearer ${session.token}` },
    }).then((r) => r.json() as Promise<{ messages: { direction: string; text: string }[] }>);
    expect(stored.messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual([question]);
    expect(stored.messages.filter((m) => m.direction === 'out')).toHaveLength(1);
    expect(await page.locator('#kefu-widget .msg.in').count()).toBe(1);
    expect(await page.locator('#kefu-widget .msg.out[data-author]').count()).toBe(1);
  });

  it('marks a message that could not be sent and sends it again on Retry', async () => {
    const page = await openShop();
    await page.context().routeWebSocket(/\/ws\?token=/, (socket) => socket.close());
    let offline = true;
    await page.route(/\/messages$/, (route) => (offline && route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
    await openChat(page);
    const input = page.getByRole('textbox');
    await input.fill('How long does delivery take?');
    await input.press('Enter');
    const failure = page.locator('#kefu-widget .msg.in [role=alert]');
    await expect.poll(() => failure.textContent()).toContain('Not sent.');
    expect(await page.locator('#kefu-widget .msg.out[data-author]').count()).toBe(0);

    offline = false;
    await failure.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.locator('#kefu-widget .msg.out[data-author]').count(), { timeout: 30_000 }).toBe(1);
    expect(await failure.count()).toBe(0);
    expect(await page.locator('#kefu-widget .msg.in').count()).toBe(1);
  });

  it("shows the server's slow-down notice when the customer sends too fast", async () => {
    const page = await openShop();
    await openChat(page);
    await expect.poll(() => page.locator('#kefu-panel [role=status]').first().isHidden()).toBe(true); // socket open
    const input = page.getByRole('textbox');
    for (let i = 1; i <= 7; i++) {
      await input.fill(`Question number ${i}: how long does delivery take?`);
      await input.press('Enter');
    }
    await expect.poll(() => page.locator('#kefu-widget .system').allTextContents()).toContain(NOTICES.slow_down.en);
  });

  it('follows data-locale over the browser language', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    contexts.push(context);
    await context.route(`${kefu.url}/`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<script src="/widget.js" async>', '<script src="/widget.js" data-locale="zh" async>');
      await route.fulfill({ response, body });
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(kefu.url + '/');
    expect(await page.evaluate(() => document.querySelector('script[data-locale]')?.getAttribute('data-locale'))).toBe('zh');
    await openChat(page, '打开在线客服');
    const reply = await ask(page, '退货政策是什么？');
    expect(await reply.locator('.sources a').count()).toBeGreaterThan(0);
    expect(await page.getByRole('textbox').getAttribute('placeholder')).toBe('请输入您的问题…');
  });

  it('speaks Chinese to a Chinese browser and opens a Chinese conversation', async () => {
    const page = await openShop({ locale: 'zh-CN' });
    const created = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/conversations'));
    await openChat(page, '打开在线客服');
    expect(JSON.parse((await created).postData() ?? '{}')).toEqual({ locale: 'zh' });
    const panel = page.locator('#kefu-panel');
    expect(await panel.getByRole('heading').textContent()).toBe('在线客服');
    expect(await page.getByRole('textbox').getAttribute('placeholder')).toBe('请输入您的问题…');
    expect(await panel.getByRole('button', { name: '转人工' }).isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: '发送' }).isVisible()).toBe(true);
  });
});
