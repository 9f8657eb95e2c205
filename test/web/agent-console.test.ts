import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kefu } from '../../bot/app.ts';
import { addStaffUser } from '../../bot/staff/accounts.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { consoleAgent } from '../helpers/console.ts';
import { screenshot } from '../helpers/images.ts';
import { newSession, postMessage, startDemo } from '../helpers/kefu.ts';

let kefu: Kefu;
let browser: Browser;
beforeAll(async () => {
  [kefu, browser] = await Promise.all([startDemo(), launchChromium()]);
  await addStaffUser(kefu.db, { login: 'mei', displayName: 'Mei', role: 'agent', password: 'a long password' });
  await addStaffUser(kefu.db, { login: 'jun', displayName: 'Jun', role: 'agent', password: 'a long password' });
}, 300_000); // the embedded database's first start trains and indexes the demo shop: minutes on a loaded machine
afterAll(async () => {
  await browser?.close();
  await kefu?.close();
});

async function signIn(login: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  page.on('dialog', () => {
    throw new Error('a dialog opened: customer text ran as script');
  });
  await page.goto(`${kefu.url}/console/`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'a long password');
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#desk:not([hidden])');
  return page;
}

describe('agent console in Chromium', () => {
  it('refuses a wrong password with a readable message', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${kefu.url}/console/`);
    await page.fill('input[name=login]', 'mei');
    await page.fill('input[name=password]', 'not the password');
    await page.click('#sign-in button[type=submit]');
    await expect.poll(() => page.textContent('#sign-in-error'), { timeout: 20_000 }).toBe('账号或密码错误。');
  });

  it('shows a new handoff live; the first agent claims it, the other loses it; customer text stays text; the reply reaches the customer', async () => {
    const mei = await signIn('mei');
    const jun = await signIn('jun');
    const s = await newSession(kefu.url, 'en');
    await postMessage(kefu.url, s, { text: 'I want to talk to a real person', clientMessageId: 'a1' });
    await postMessage(kefu.url, s, { text: '<img src=x onerror=alert(1)> my order is late', clientMessageId: 'a2' });

    // the waiting customer appears in both consoles without a reload
    for (const page of [mei, jun]) await page.waitForSelector('#waiting li button.claim', { timeout: 30_000 });
    await expect.poll(() => mei.textContent('#waiting'), { timeout: 30_000 }).toContain('<img src=x onerror=alert(1)> my order is late');
    await mei.click('#waiting li button.claim');
    await mei.waitForSelector('#mine li', { timeout: 30_000 });
    await jun.waitForFunction(() => !document.querySelector('#waiting li button.claim'), undefined, { timeout: 30_000 });

    await mei.click('#mine li');
    await mei.waitForSelector('#transcript li.customer', { timeout: 30_000 });
    expect(await mei.locator('#transcript').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await mei.locator('#transcript img').count()).toBe(0);
    expect(await mei.textContent('#summary')).toContain('I want to talk to a real person');

    await mei.fill('#reply textarea', 'Hello, this is Mei. Let me check your order.');
    await mei.click('#reply button[type=submit]');
    await expect
      .poll(async () => {
        const res = await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
        return ((await res.json()) as { messages: { author: string; text: string }[] }).messages.at(-1);
      }, { timeout: 20_000 })
      .toEqual(expect.objectContaining({ author: 'agent', text: 'Hello, this is Mei. Let me check your order.' }));

    await mei.click('#resolve');
    await mei.waitForSelector('#conversation[hidden]', { state: 'attached', timeout: 30_000 });
  }, 180_000);

  it('shows the customer in the widget their place (updated as the queue moves), the agent’s name, the agent’s reply apart from the bot’s, and rating buttons that record the rating; all of it after a reload too', async () => {
    // someone asked before this customer: they wait as number 2
    const ahead = await newSession(kefu.url, 'en');
    await postMessage(kefu.url, ahead, { text: 'I want to talk to a real person', clientMessageId: 'b1' });

    const context = await browser.newContext({ locale: 'en-US' });
    const customer = await context.newPage();
    customer.on('dialog', () => {
      throw new Error('a dialog opened in the widget');
    });
    await customer.goto(`${kefu.url}/`);
    await customer.getByRole('button', { name: 'Open chat' }).click();
    await customer.locator('#kefu-widget button.human').click();
    const banner = customer.locator('#kefu-widget .handoff');
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toMatch(/Waiting for an agent — number 2 in the queue, about \d+ min/);
    const conversationId = await customer.evaluate(() => JSON.parse(localStorage.getItem(`kefu:conversation:${location.origin}`)!).conversationId as string);

    // the one ahead is taken: this customer's place moves up without a reload
    const jun = await consoleAgent(kefu.url, 'jun');
    const [{ id: aheadHandoff }] = await kefu.db.query<{ id: string }>('select id from handoffs where conversation_id = $1', [ahead.conversationId]);
    expect((await jun('POST', `/handoffs/${aheadHandoff}/claim`)).status).toBe(200);
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toMatch(/number 1 in the queue/);

    const mei = await signIn('mei');
    await mei.click(`#waiting li[data-conversation="${conversationId}"] button.claim`, { timeout: 30_000 });
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toBe('Mei is chatting with you');

    await mei.click(`#mine li[data-conversation="${conversationId}"]`, { timeout: 30_000 });
    await mei.fill('#reply textarea', 'Hello, this is Mei. How can I help?');
    await mei.click('#reply button[type=submit]');
    const agentMessage = customer.locator('#kefu-widget .msg.out[data-author=agent]').last();
    await expect.poll(() => agentMessage.locator('.bubble').textContent().catch(() => null), { timeout: 30_000 }).toBe('Hello, this is Mei. How can I help?');
    expect(await agentMessage.locator('.author').textContent()).toBe('Mei · Agent');
    const background = (selector: string) => customer.locator(selector).last().locator('.bubble').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await background('#kefu-widget .msg.out[data-author=agent]')).not.toBe(await background('#kefu-widget .msg.out[data-author=bot]'));

    await mei.click('#resolve');
    const five = customer.locator('#kefu-widget .quick button', { hasText: '5 ★★★★★' });
    await five.waitFor({ timeout: 30_000 });
    expect(await banner.isVisible()).toBe(false);
    await five.click();
    await expect
      .poll(async () => (await kefu.db.query<{ rating: number | null }>('select rating from handoffs where conversation_id = $1', [conversationId]))[0]!.rating, { timeout: 30_000 })
      .toBe(5);
    await expect.poll(() => customer.locator('#kefu-widget .msg.in').last().textContent(), { timeout: 30_000 }).toContain('5 ★★★★★');

    // a reload restores the agent's message with its name and the place messages, and no banner (the handoff ended)
    await customer.reload();
    await customer.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => customer.locator('#kefu-widget .msg.out[data-author=agent] .author').first().textContent().catch(() => null), { timeout: 30_000 }).toBe('Mei · Agent');
    expect(await customer.locator('#kefu-widget .system', { hasText: 'Mei has joined the conversation.' }).count()).toBe(1);
    expect(await banner.isVisible()).toBe(false);
    await context.close();
  }, 240_000);

  it('shows the agent the customer image with the issue kefu saw and the text it read; the image is served for its own conversation only', async () => {
    const s = await newSession(kefu.url, 'en');
    const shot = await screenshot({ banner: { text: 'Payment declined', color: '#b3261e' }, lines: ['Error code: E-502'] });
    const sent = await postMessage(kefu.url, s, { text: 'this keeps happening', clientMessageId: 'i1', images: [{ data: Buffer.from(shot).toString('base64'), name: 'declined.png' }] });
    expect(sent.status).toBe(200);
    await postMessage(kefu.url, s, { text: 'I want to talk to a real person', clientMessageId: 'i2' });

    const mei = await signIn('mei');
    await mei.click(`#waiting li[data-conversation="${s.conversationId}"] button.claim`, { timeout: 30_000 });
    await mei.click(`#mine li[data-conversation="${s.conversationId}"]`, { timeout: 30_000 });
    const figure = mei.locator('#transcript figure.image');
    await figure.waitFor({ timeout: 30_000 });
    expect(await figure.locator('.issue').textContent()).toMatch(/^Issue seen: payment error · error code E-502 \(\d+%\)$/);
    expect(await figure.locator('.ocr').textContent()).toMatch(/^Text in the image: Payment declined/i);
    await expect.poll(() => figure.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBe(720);
    expect(await figure.locator('img').getAttribute('alt')).toBe('declined.png');

    const api = await consoleAgent(kefu.url, 'mei');
    const transcript = (await (await api('GET', `/conversations/${s.conversationId}`)).json()) as { messages: { images?: { sha256: string }[] }[] };
    const sha = transcript.messages.flatMap((m) => m.images ?? [])[0]!.sha256;
    expect((await api('GET', `/conversations/${s.conversationId}/images/${sha}`)).headers.get('content-type')).toBe('image/png');
    const other = await newSession(kefu.url, 'en');
    await postMessage(kefu.url, other, { text: 'I want to talk to a real person', clientMessageId: 'o1' }); // waiting: mei may read it
    expect((await api('GET', `/conversations/${other.conversationId}/images/${sha}`)).status).toBe(404);
  }, 180_000);
});
