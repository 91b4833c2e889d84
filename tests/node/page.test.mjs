// The page end to end in Debian's Chromium: what a person does, and what they must see.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { launch, openPage, serve } from './browser.mjs';
import { golden, ROOT, runCli, readPng, rgbOf } from './support.mjs';

const ARTIFACTS = join(ROOT, 'test-artifacts');
let server;
let chrome;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve();
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await server?.close();
});

/** Size and a 64-bit hash of the pixels of every canvas in the grid: [original, sample 1, ...].
 * Hashed in the page: shipping millions of numbers through the driver would take minutes. */
function gridPixels(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#grid canvas')].map((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let a = 0x811c9dc5;
      let b = 0x01000193;
      for (let i = 0; i < data.length; i++) {
        a = Math.imul(a ^ data[i], 0x01000193);
        b = Math.imul(b ^ data[i], 0x0100019d) ^ (b >>> 15);
      }
      return { width: c.width, height: c.height, data: `${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}` };
    }),
  );
}

/** Runs `action` and waits until the page has drawn a newer render than before it. */
async function rerender(page, action) {
  const before = Number(await page.evaluate(() => document.body.dataset.renders));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, before);
}

async function upload(page, path, name, mimeType) {
  const before = Number(await page.evaluate(() => document.body.dataset.renders));
  await page.setInputFiles('#file', { name, mimeType, buffer: readFileSync(path) });
  await page.waitForFunction(([n, file]) => document.body.dataset.image === file && Number(document.body.dataset.renders) > n, [before, name]);
}

describe('the playground page', () => {
  it('loads with the bundled photo, 8 samples, no errors and no request off the machine', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    const canvases = await gridPixels(page);
    assert.equal(canvases.length, 9);
    assert.match(await page.textContent('#privacy'), /never leave this computer/);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-start.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('augments an uploaded PNG and JPEG: samples differ from the original, same seed gives the same pixels', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    // Make noise certain so every sample must differ from the original.
    const noise = page.locator('.step[data-name="GaussNoise"] input[type="range"]');
    await rerender(page, () => noise.fill('1'));

    for (const [file, type] of [
      [join(ROOT, 'tests', 'fixtures', 'chelsea_128x96.png'), 'image/png'],
      [join(ROOT, 'www', 'samples', 'rocket.jpg'), 'image/jpeg'],
    ]) {
      const name = file.split('/').pop();
      await upload(page, file, name, type);
      const [original, ...samples] = await gridPixels(page);
      assert.match(await page.textContent('#image-info'), new RegExp(name.replace('.', '\\.')));
      for (const [k, s] of samples.entries()) {
        assert.equal(s.width, original.width);
        assert.notDeepEqual(s.data, original.data, `${name}: sample ${k + 1} equals the original`);
      }
      // Another seed changes the samples; going back restores them exactly.
      await rerender(page, () => page.fill('#seed', '7'));
      const other = await gridPixels(page);
      assert.notDeepEqual(other.slice(1), samples);
      await rerender(page, () => page.fill('#seed', '42'));
      assert.deepEqual((await gridPixels(page)).slice(1), samples, `${name}: seed 42 re-rendered different pixels`);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-jpeg.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a corrupt or empty file shows an error and the previous image stays', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    const before = await gridPixels(page);
    const shown = await page.evaluate(() => document.body.dataset.image);
    await page.setInputFiles('#file', { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG\r\n\x1a\nthis is not really a png') });
    await page.waitForSelector('#image-error:not(:empty)');
    assert.match(await page.textContent('#image-error'), /"broken\.png" could not be decoded/);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-corrupt-file.png') });
    await page.setInputFiles('#file', { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) });
    await page.waitForFunction(() => /empty/.test(document.querySelector('#image-error').textContent));
    assert.equal(await page.evaluate(() => document.body.dataset.image), shown);
    assert.deepEqual(await gridPixels(page), before);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('an image beyond the size limit is refused with the limit named', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    const wide = new PNG({ width: 16400, height: 2 });
    wide.data.fill(200);
    await page.setInputFiles('#file', { name: 'panorama.png', mimeType: 'image/png', buffer: PNG.sync.write(wide) });
    await page.waitForSelector('#image-error:not(:empty)');
    assert.match(await page.textContent('#image-error'), /"panorama\.png" is 16400×2 pixels, too large: at most 16384 pixels a side/);
    assert.equal(await page.evaluate(() => document.body.dataset.image), 'chelsea.png');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('an invalid parameter shows its error on the transform and keeps the last samples', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    const before = await gridPixels(page);
    const card = page.locator('.step[data-name="GaussNoise"]');
    await card.locator('input[aria-label="std_range low"]').fill('0.9');
    await page.waitForSelector('.step.invalid');
    assert.match(await card.locator('.step-error').textContent(), /std_range' is \[0\.9, 0\.15\], low above high/);
    assert.match(await page.textContent('#pipeline-error'), /transforms\[2\] \(GaussNoise\)/);
    assert.deepEqual(await gridPixels(page), before);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-invalid-parameter.png') });
    // Fixing it renders again.
    await rerender(page, () => card.locator('input[aria-label="std_range low"]').fill('0.05'));
    assert.equal(await page.locator('.step.invalid').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('every transform of the catalog can be added and renders without an error', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    const names = await page.$$eval('#add-select option', (os) => os.map((o) => o.value));
    assert.ok(names.length >= 40, `${names.length} transforms in the menu`);
    for (const name of names) {
      await rerender(page, async () => {
        await page.selectOption('#add-select', name);
        await page.click('#add-button');
      });
      assert.equal(await page.textContent('#pipeline-error'), '', `${name}: ${await page.textContent('#pipeline-error')}`);
      // Keep the pipeline short: remove what was added.
      await rerender(page, () => page.click(`.step[data-name="${name}"] button[aria-label="Remove ${name}"]`));
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('adds and removes transforms from the catalog', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    await rerender(page, async () => {
      await page.selectOption('#add-select', 'VerticalFlip');
      await page.click('#add-button');
    });
    assert.equal(await page.locator('.step').count(), 4);
    await rerender(page, () => page.click('.step[data-name="HorizontalFlip"] button[aria-label="Remove HorizontalFlip"]'));
    assert.deepEqual(await page.locator('.step strong').allTextContents(), ['RandomBrightnessContrast', 'GaussNoise', 'VerticalFlip']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the task view shows input / known / target rows, explains violations and downloads .npz', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    await rerender(page, () => page.click('#tab-task'));
    assert.equal(await page.locator('.task-pair').count(), 4);
    assert.equal(await page.locator('.task-pair canvas').count(), 16);
    assert.match(await page.textContent('.rules'), /at least 20 pixels from every border/);
    // Fix crop_center too close to the border: the rule is explained, the old rows stay.
    await page.check('#task-fix-crop_center');
    await page.fill('input[aria-label="crop_center X"]', '5');
    await page.waitForSelector('#task-error:not(:empty)');
    assert.match(await page.textContent('#task-error'), /task rule violated: cropout: on axis X \(rows\).*at least 20 are needed/);
    assert.equal(await page.locator('.task-pair').count(), 4);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-task-violation.png') });
    // 35 is valid for every random size of the challenge distribution (70–100 px, crops up to 21).
    await rerender(page, () => page.fill('input[aria-label="crop_center X"]', '35'));
    assert.equal(await page.textContent('#task-error'), '');
    const info = await page.textContent('.task-pair .pair-info');
    assert.match(info, /crop_center \(35, 35\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.task-pair button')]);
    assert.match(download.suggestedFilename(), /^chelsea_cropout_0\.npz$/);
    const bytes = readFileSync(await download.path());
    for (const name of ['original.npy', 'input.npy', 'known.npy', 'target.npy', 'crop_array.npy']) {
      assert.ok(bytes.includes(Buffer.from(name)), `${name} in the npz`);
    }
    for (const mode of ['border', 'grid', 'depixelate']) {
      await rerender(page, () => page.selectOption('#task-mode', mode));
      assert.equal(await page.locator('.task-pair').count(), 4, mode);
      assert.equal(await page.textContent('#task-error'), '', mode);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-task-depixelate.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('in Chromium the wasm gives the native golden bytes and the CLI files', async () => {
    const { page } = await openPage(chrome.browser, server.url);
    const g = golden();
    const img = readPng(g.image);
    const { dir, manifest } = runCli(g.recipe, g.seed, 3, [g.image]);
    const outputs = await page.evaluate(
      async ({ recipe, rgba, width, height, seeds }) => {
        const wasm = await import('./pkg/augplay.js');
        await wasm.default();
        const pipeline = wasm.Pipeline.fromJson(recipe);
        return seeds.map((seed) => Array.from(pipeline.apply(new Uint8Array(rgba), width, height, seed).rgba()));
      },
      { recipe: g.recipe, rgba: Array.from(img.rgba), width: img.width, height: img.height, seeds: manifest.images[0].samples.map((s) => s.seed) },
    );
    for (const [k, s] of manifest.images[0].samples.entries()) {
      assert.deepEqual(rgbOf(Uint8Array.from(outputs[k])), rgbOf(readPng(join(dir, s.file)).rgba), `sample ${k}`);
    }
    await page.close();
  });
});
