// Saves screenshots of the page's main views (desktop, 1280×720 projector, dark, phone, embedded) to
// test-artifacts/ to look at. Needs the wasm package built (scripts/setup.sh).
// Usage: node scripts/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { launch, openPage, serve } from '../tests/node/browser.mjs';

const out = new URL('../test-artifacts/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const server = await serve();
const { browser, close } = await launch();
const settle = (page) => page.waitForFunction(() => !document.querySelector('.grid.stale'));
try {
  for (const [name, viewport, scheme] of [
    ['desktop', { width: 1600, height: 1000 }, 'light'],
    ['projector-1280x720', { width: 1280, height: 720 }, 'light'],
    ['desktop-dark', { width: 1600, height: 1000 }, 'dark'],
    ['phone-390x844', { width: 390, height: 844 }, 'light'],
  ]) {
    const { page, problems } = await openPage(browser, server.url, viewport);
    await page.emulateMedia({ colorScheme: scheme });
    await settle(page);
    await page.screenshot({ path: `${out}${name}.png` });
    if (name === 'desktop') {
      await page.click('.cell.sample');
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${out}inspect.png` });
      await page.keyboard.press('Escape');
      await page.selectOption('#preset', 'self-driving');
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${out}preset-groups.png`, fullPage: true });
      await page.click('#open-code');
      await page.screenshot({ path: `${out}python-code.png` });
      await page.keyboard.press('Escape');
      await page.click('#open-share');
      await page.screenshot({ path: `${out}share.png` });
      await page.keyboard.press('Escape');
      await page.click('#open-export');
      await page.screenshot({ path: `${out}export.png` });
      await page.keyboard.press('Escape');
      await page.selectOption('#count', '35');
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${out}grid-35.png` });
      await page.click('#tab-task');
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${out}task.png` });
    }
    if (name === 'phone-390x844') {
      await page.screenshot({ path: `${out}phone-390x844-full.png`, fullPage: true });
      await page.click('.cell.sample');
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${out}phone-inspect.png` });
      await page.keyboard.press('Escape');
    }
    if (name === 'projector-1280x720') {
      await page.click('#open-recipe');
      await page.screenshot({ path: `${out}recipe-1280x720.png` });
    }
    if (problems.length) console.log(name, problems);
    await page.close();
  }
  // Embedded in a course page, as the <aug-playground> element.
  const host = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await host.setContent(`<!doctype html><body style="font:16px system-ui;margin:2rem"><h1>Lecture 7: augmentation</h1><p>Try the pipeline:</p>
    <script src="${server.url}embed.js"></script>
    <aug-playground recipe='{"transforms":[{"name":"Rotate","limit":30,"p":1},{"name":"ColorJitter","p":0.8}]}' seed="7" image="coffee.png" height="560"></aug-playground></body>`);
  // The playground is another origin than this page: wait inside its frame.
  const deadline = Date.now() + 20000;
  let frame;
  while (!(frame = host.frames().find((f) => f.url().startsWith(server.url) && f.url().includes('embed=1'))) && Date.now() < deadline) await host.waitForTimeout(100);
  if (!frame) throw new Error(`the embedded playground did not load; frames: ${host.frames().map((f) => f.url()).join(', ')}`);
  await frame.waitForFunction(() => Number(document.body.dataset.renders) > 0, null, { timeout: 20000 });
  await host.screenshot({ path: `${out}embed-element.png` });
  await host.close();
  console.log(`screenshots in ${out}`);
} finally {
  await close();
  await server.close();
}
