import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (CI installs it with `apt-get install -y chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium for browser tests. Playwright gives every launch a fresh temporary
 * user-data-dir and removes it on close, so no profile state leaks between test files.
 * One browser per test file; each test opens its own context (locale, viewport, storage).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}
