import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kefu } from '../../bot/app.ts';
import { addStaffUser } from '../../bot/staff/accounts.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { newSession, postMessage, startDemo } from '../helpers/kefu.ts';

let kefu: Kefu;
let browser: Browser;
beforeAll(async () => {
  [kefu, browser] = await Promise.all([startDemo(), launchChromium()]);
  await addStaffUser(kefu.db, { login: 'mei', displayName: 'Mei', role: 'agent', password: 'a long password' });
  await addStaffUser(kefu.db, { login: 'jun', displayName: 'Jun', role: 'agent', password: 'a long password' });
}, 180_000);
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
    expect(await mei.textContent('#waiting')).toContain('<img src=x onerror=alert(1)> my order is late');
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
});
