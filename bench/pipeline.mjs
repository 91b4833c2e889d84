// Times the foundation's 4-transform pipeline on a 512×512 RGBA photo, in node and in headless
// Chromium, through both JS paths. Median of many runs; run after scripts/setup.sh:
//   node bench/pipeline.mjs
import { join } from 'node:path';
import { launch, serve } from '../tests/node/browser.mjs';
import { loadWasm, readPng, ROOT } from '../tests/node/support.mjs';

const RECIPE = JSON.stringify({
  transforms: [
    { name: 'HorizontalFlip', p: 1 },
    { name: 'VerticalFlip', p: 1 },
    { name: 'RandomBrightnessContrast', p: 1 },
    { name: 'GaussNoise', p: 1, std_range: [0.1, 0.2] },
  ],
});
const RUNS = 200;

// Runs in node and, serialised, inside the page.
async function measure(wasm, recipe, rgba, width, height, runs) {
  const pipeline = wasm.Pipeline.fromJson(recipe);
  const resident = wasm.RgbaImage.fromRgba(rgba, width, height);
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  // Batches of 10 calls: browsers coarsen performance.now() to 0.1 ms.
  const time = (fn) => {
    for (let i = 0; i < 10; i++) fn(i);
    const t = [];
    for (let r = 0; r < runs / 10; r++) {
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) fn(r * 10 + i);
      t.push((performance.now() - t0) / 10);
    }
    return median(t);
  };
  const target = new Uint8ClampedArray(rgba.length);
  return {
    apply: time((i) => pipeline.apply(rgba, width, height, i).free()),
    applyTo: time((i) => {
      const out = pipeline.applyTo(resident, i);
      out.rgbaView();
      out.free();
    }),
    copy: time(() => target.set(rgba)),
  };
}

const photo = readPng(join(ROOT, 'www', 'samples', 'astronaut.png'));
const wasm = await loadWasm();
const node = await measure(wasm, RECIPE, photo.rgba, photo.width, photo.height, RUNS);

const server = await serve();
const { browser, close } = await launch();
let chromium;
let version;
try {
  version = browser.version();
  const page = await browser.newPage();
  await page.goto(`${server.url}samples/CREDITS.md`);
  chromium = await page.evaluate(
    async ({ source, recipe, rgba, width, height, runs }) => {
      const wasm = await import('/pkg/augplay.js');
      await wasm.default();
      const measure = (0, eval)(`(${source})`);
      return measure(wasm, recipe, new Uint8Array(rgba), width, height, runs);
    },
    { source: measure.toString(), recipe: RECIPE, rgba: Array.from(photo.rgba), width: photo.width, height: photo.height, runs: RUNS },
  );
} finally {
  await close();
  await server.close();
}

console.log(`4-transform pipeline (HorizontalFlip, VerticalFlip, RandomBrightnessContrast, GaussNoise; p = 1), ${photo.width}×${photo.height} RGBA, median of ${RUNS} runs, one thread`);
console.log('                          node ' + process.versions.node.padEnd(10) + '   Chromium ' + version);
for (const key of ['apply', 'applyTo', 'copy']) {
  const label = { apply: 'apply (copy in and out)', applyTo: 'applyTo (resident, view)', copy: 'plain JS copy of the RGBA' }[key];
  console.log(`${label.padEnd(26)}${node[key].toFixed(3).padStart(8)} ms       ${chromium[key].toFixed(3).padStart(8)} ms`);
}
