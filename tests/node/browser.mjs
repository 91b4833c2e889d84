// Shared by the browser tests and the screenshot script: Debian's Chromium driven by
// playwright-core (no browser download), a fresh profile, and the page served on loopback.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launch() {
  // Playwright gives every launch a fresh profile. Chromium leaves org.chromium.* folders in
  // TMPDIR: keep them in one folder we remove.
  const scratch = mkdtempSync(join(tmpdir(), 'augplay-browser-'));
  mkdirSync(join(scratch, 'tmp'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, TMPDIR: join(scratch, 'tmp') },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const close = async () => {
    await browser.close().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  };
  return { browser, close };
}

/** Serves www/ on a free loopback port; returns { url, close }. */
export async function serve() {
  const server = await startServer({ port: 0 });
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Opens the page, waits until the first samples are drawn, and records console errors and
 * every request that leaves the test server. */
export async function openPage(browser, url, viewport = { width: 1440, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(url) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request left the origin: ${u}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && Number(document.body.dataset.renders) > 0);
  return { page, problems };
}
