// The page's re-render budget in Chromium: a 3×3 grid (the original and 8 samples) of a 256×256
// photo through a 5-transform pipeline (flip, rotate, colour jitter, noise, coarse dropout).
// Changes the seed 40 times and reports the median time from the change to the drawn grid, as
// measured inside the page. Usage: node bench/page.mjs (needs scripts/setup.sh to have run).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { launch, openPage, serve } from '../tests/node/browser.mjs';
import { FIVE_STEPS, readPng, ROOT } from '../tests/node/support.mjs';

const SIZE = 256;
const photo = readPng(join(ROOT, 'www', 'samples', 'astronaut.png'));
const f = photo.width / SIZE;
const png = new PNG({ width: SIZE, height: SIZE });
for (let y = 0; y < SIZE; y++)
  for (let x = 0; x < SIZE; x++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += photo.rgba[((y * f + dy) * photo.width + x * f + dx) * 4 + c];
      png.data[(y * SIZE + x) * 4 + c] = Math.round(s / (f * f));
    }
const file = join(mkdtempSync(join(tmpdir(), 'augplay-bench-')), 'astronaut256.png');
writeFileSync(file, PNG.sync.write(png));

const recipe = FIVE_STEPS;

const server = await serve();
const { browser, close } = await launch();
try {
  const { page } = await openPage(browser, `${server.url}#recipe=${encodeURIComponent(JSON.stringify(recipe))}`, { width: 1440, height: 900 });
  const before = Number(await page.evaluate(() => document.body.dataset.renders));
  await page.setInputFiles('#file', file);
  await page.waitForFunction((n) => document.body.dataset.image === 'astronaut256.png' && Number(document.body.dataset.renders) > n, before);
  const { times, workers, cores } = await page.evaluate(async () => {
    const seed = document.querySelector('#seed');
    const rendered = (n) =>
      new Promise((resolve) => {
        const check = () => (Number(document.body.dataset.renders) > n ? resolve() : requestAnimationFrame(check));
        check();
      });
    const times = [];
    const workers = [];
    for (let i = 0; i < 45; i++) {
      const n = Number(document.body.dataset.renders);
      const t0 = performance.now();
      seed.value = String(1000 + i);
      seed.dispatchEvent(new Event('input'));
      await rendered(n);
      if (i >= 5) {
        times.push(performance.now() - t0);
        workers.push(Number(/in ([\d.]+) ms/.exec(document.querySelector('#status').textContent)[1]));
      }
    }
    return { times, workers, cores: navigator.hardwareConcurrency };
  });
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`3×3 grid, 256×256, 5 transforms, Chromium, ${cores} cores: median re-render ${median(times).toFixed(1)} ms (seed change → grid drawn, incl. the frame), workers' compute ${median(workers).toFixed(1)} ms; ${times.length} runs, min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
  await page.close();
} finally {
  await close();
  await server.close();
}
