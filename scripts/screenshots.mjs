// Saves screenshots of the page (desktop and 1280×720 projector) to test-artifacts/ to look at.
// Needs the wasm package built (scripts/setup.sh). Usage: node scripts/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { launch, openPage, serve } from '../tests/node/browser.mjs';

const out = new URL('../test-artifacts/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const server = await serve();
const { browser, close } = await launch();
try {
  for (const [name, viewport, scheme] of [
    ['desktop', { width: 1600, height: 1000 }, 'light'],
    ['projector-1280x720', { width: 1280, height: 720 }, 'light'],
    ['desktop-dark', { width: 1600, height: 1000 }, 'dark'],
  ]) {
    const { page, problems } = await openPage(browser, server.url, viewport);
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${out}${name}.png` });
    if (name === 'desktop') {
      await page.click('.cell.sample');
      await page.screenshot({ path: `${out}inspect.png` });
    }
    if (problems.length) console.log(name, problems);
    await page.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await close();
  await server.close();
}
