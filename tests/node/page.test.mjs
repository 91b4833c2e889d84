// The page end to end in Debian's Chromium: what a person does, and what they must see.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { launch, openPage, serve } from './browser.mjs';
import { execFileSync } from 'node:child_process';
import { golden, ROOT, runCli, readPng, rgbOf, unzip } from './support.mjs';

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

  it('fits a phone screen: samples on the opening screen, nothing wider than 390 px in the samples, the dialogs and the task view', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url, { width: 390, height: 844 });
    const wider = () =>
      page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const sticking = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length);
        return { scroll: document.documentElement.scrollWidth, width, sticking: sticking.slice(0, 5).map((el) => el.outerHTML.slice(0, 80)) };
      });
    // The samples come first on one column: the first row is on the opening screen.
    const firstSampleTop = await page.evaluate(() => document.querySelector('.cell.sample').getBoundingClientRect().top);
    assert.ok(firstSampleTop < 844 - 100, `the first sample starts at ${firstSampleTop} px, below the opening screen`);
    let seen = await wider();
    assert.equal(seen.scroll, seen.width, `the page scrolls sideways: ${JSON.stringify(seen.sticking)}`);
    assert.deepEqual(seen.sticking, []);
    // Dialogs fit too: their content wraps or scrolls inside (code, the zoomed image).
    const dialogFits = async (opener, id) => {
      await page.click(opener);
      await page.waitForSelector(`#${id}[open]`);
      const { scroll, client } = await page.evaluate((d) => ({ scroll: document.getElementById(d).scrollWidth, client: document.getElementById(d).clientWidth }), id);
      assert.ok(scroll <= client, `${id}: content ${scroll} px wide in a ${client} px dialog`);
      await page.keyboard.press('Escape');
    };
    await dialogFits('.cell.sample', 'inspect');
    for (const [opener, id] of [['#open-code', 'code-dialog'], ['#open-recipe', 'recipe-dialog'], ['#open-share', 'share-dialog'], ['#open-export', 'export-dialog']]) {
      await dialogFits(opener, id);
    }
    await rerender(page, () => page.click('#tab-task'));
    seen = await wider();
    assert.deepEqual(seen.sticking, [], 'task view wider than the screen');
    assert.equal(seen.scroll, seen.width);
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
    // A step that would make an image beyond the limits: said above the samples, which stay.
    const before = await gridPixels(page);
    await page.selectOption('#add-select', 'LongestMaxSize');
    await page.click('#add-button');
    await page.fill('.step[data-name="LongestMaxSize"] input[type="number"]', '16384');
    await page.waitForFunction(() => /the output of LongestMaxSize \(451×300 in\): size 16384×10898 has \d+ pixels: at most/.test(document.querySelector('#render-error').textContent));
    assert.ok(await page.isVisible('#render-error'));
    assert.deepEqual((await gridPixels(page)).slice(0, 1), before.slice(0, 1));
    await rerender(page, () => page.fill('.step[data-name="LongestMaxSize"] input[type="number"]', '300'));
    assert.equal(await page.textContent('#render-error'), '');
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
    assert.deepEqual(await page.locator('.step .name').allTextContents(), ['RandomBrightnessContrast', 'GaussNoise', 'VerticalFlip']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the task view shows input / known / target rows, explains violations and downloads .npz', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    await rerender(page, () => page.click('#tab-task'));
    assert.equal(await page.locator('.task-pair').count(), 4);
    assert.equal(await page.locator('.task-pair canvas').count(), 16);
    // The count beside the seed is the pairs' here, not the samples'; a link keeps it.
    assert.ok(await page.isHidden('#count'));
    await rerender(page, () => page.selectOption('#pairs', '8'));
    assert.equal(await page.locator('.task-pair').count(), 8);
    assert.match(await page.textContent('#status'), /^8 cropout pairs/);
    const { page: again } = await openPage(chrome.browser, page.url());
    await again.waitForFunction(() => document.querySelectorAll('.task-pair').length === 8);
    assert.equal(await again.inputValue('#pairs'), '8');
    await again.close();
    await rerender(page, () => page.click('#tab-samples'));
    assert.ok(await page.isHidden('#pairs'));
    assert.equal(await page.locator('#grid .cell.sample').count(), 8);
    await rerender(page, () => page.click('#tab-task'));
    await rerender(page, () => page.selectOption('#pairs', '4'));
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

/** The pipeline as the editor shows it: [name, on] per top-level card. */
function cards(page) {
  return page.$$eval('#pipeline > .steps > .step', (cs) => cs.map((c) => [c.dataset.name, c.querySelector('.enable').checked]));
}

describe('editing, sharing and taking the pipeline away', () => {
  it('reorders by buttons and keyboard, switches steps off, groups them, and a share link restores it all', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    await rerender(page, () => page.click('.sample-row .thumb[title*="Coffee"]'));
    await page.selectOption('#add-select', 'Rotate');
    await rerender(page, () => page.click('#add-button'));
    await page.fill('.step[data-name="Rotate"] input[aria-label="limit low"]', '-20');
    await rerender(page, () => page.fill('.step[data-name="Rotate"] input[aria-label="limit high"]', '25'));
    // Move Rotate (4th) to the top: once with the button, twice with Alt+↑ on the focused card.
    await rerender(page, () => page.click('button[aria-label="Move Rotate up"]'));
    await page.focus('.step[data-name="Rotate"]');
    await rerender(page, () => page.keyboard.press('Alt+ArrowUp'));
    await page.focus('.step[data-name="Rotate"]');
    await rerender(page, () => page.keyboard.press('Alt+ArrowUp'));
    assert.deepEqual((await cards(page)).map(([n]) => n), ['Rotate', 'HorizontalFlip', 'RandomBrightnessContrast', 'GaussNoise']);
    // Switch GaussNoise off, add a OneOf group with two blurs.
    await rerender(page, () => page.uncheck('.step[data-name="GaussNoise"] .enable'));
    await rerender(page, () => page.click('#add-OneOf'));
    const group = page.locator('.step[data-name="OneOf"]');
    await group.locator('select').selectOption('GaussianBlur');
    await group.locator('button', { hasText: 'Add to group' }).click();
    await group.locator('select').last().selectOption('MedianBlur');
    await rerender(page, () => group.locator('button', { hasText: 'Add to group' }).last().click());
    await page.fill('#seed', '31337');
    await page.selectOption('#count', '15');
    await page.waitForFunction(() => document.querySelectorAll('#grid .cell.sample').length === 15 && !document.querySelector('.grid.stale'));
    await page.waitForTimeout(300);
    const pixels = await gridPixels(page);
    const link = page.url();
    assert.match(link, /#s=/);
    assert.deepEqual(problems, []);

    const { page: again } = await openPage(chrome.browser, link);
    await again.waitForFunction(() => document.querySelectorAll('#grid .cell.sample').length === 15);
    assert.deepEqual(await cards(again), [['Rotate', true], ['HorizontalFlip', true], ['RandomBrightnessContrast', true], ['GaussNoise', false], ['OneOf', true]]);
    assert.deepEqual(await again.$$eval('.step[data-name="OneOf"] .step', (cs) => cs.map((c) => c.dataset.name)), ['GaussianBlur', 'MedianBlur']);
    assert.equal(await again.inputValue('.step[data-name="Rotate"] input[aria-label="limit high"]'), '25');
    assert.equal(await again.inputValue('#seed'), '31337');
    assert.equal(await again.evaluate(() => document.body.dataset.image), 'coffee.png');
    await again.waitForFunction(() => !document.querySelector('.grid.stale'));
    assert.deepEqual(await gridPixels(again), pixels, 'the link gives the same samples');
    await again.close();

    // A switched-off step leaves the recipe: with every step off, samples equal the original.
    for (const box of await page.$$('#pipeline > .steps > .step > .step-head .enable')) if (await box.isChecked()) await rerender(page, () => box.uncheck());
    const off = await gridPixels(page);
    assert.ok(off.slice(1).every((c) => c.data === off[0].data), 'all steps off: every sample is the original');
    await page.close();
  });

  it('recipe JSON: a broken recipe is explained and changes nothing; a valid one, typed or uploaded, loads', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    const before = await cards(page);
    await page.click('#open-recipe');
    const shown = JSON.parse(await page.inputValue('#recipe-text'));
    assert.deepEqual(shown.transforms.map((t) => t.name), ['HorizontalFlip', 'RandomBrightnessContrast', 'GaussNoise']);
    await page.fill('#recipe-text', '{"transforms": [{"name": "Rotate", "limit": "lots"}]}');
    await page.click('#recipe-apply');
    await page.waitForSelector('#recipe-error:not(:empty)');
    assert.match(await page.textContent('#recipe-error'), /limit/);
    await page.fill('#recipe-text', '{"transforms": [');
    await page.click('#recipe-apply');
    await page.waitForFunction(() => /not valid JSON/.test(document.querySelector('#recipe-error').textContent));
    assert.deepEqual(await cards(page), before, 'the pipeline is untouched');
    await rerender(page, () => page.setInputFiles('#recipe-file', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from('{"transforms": [{"name": "VerticalFlip", "p": 1}, {"name": "SomeOf", "n": 1, "transforms": [{"name": "InvertImg"}, {"name": "Solarize"}]}]}') }));
    assert.deepEqual(await cards(page), [['VerticalFlip', true], ['SomeOf', true]]);
    await page.click('#open-recipe');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#recipe-download')]);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(saved.transforms[1].name, 'SomeOf');
    assert.deepEqual(saved.transforms[1].transforms.map((t) => t.name), ['InvertImg', 'Solarize']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('presets load with an undo, and the Python code names the same transforms', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    await rerender(page, () => page.selectOption('#preset', 'self-driving'));
    const names = (await cards(page)).map(([n]) => n);
    assert.ok(names.includes('OneOf') && !names.includes('VerticalFlip') && !names.includes('HueSaturationValue'), names.join());
    await page.click('#open-code');
    const alb = await page.textContent('#code-albumentations');
    assert.match(alb, /A\.RandomBrightnessContrast\(brightness_limit=\(-0\.25, 0\.25\)/);
    assert.match(alb, /A\.OneOf\(\[\n\s+A\.MotionBlur\(/);
    assert.match(alb, /border_mode=cv2\.BORDER_REFLECT_101/);
    const tv = await page.textContent('#code-torchvision');
    assert.match(tv, /v2\.RandomApply\(\[v2\.RandomRotation\(degrees=\(-3, 3\)/);
    assert.match(tv, /v2\.JPEG\(quality=\(40, 90\)\)/);
    await page.keyboard.press('Escape');
    await rerender(page, () => page.click('#preset-note button'));
    assert.deepEqual((await cards(page)).map(([n]) => n), ['HorizontalFlip', 'RandomBrightnessContrast', 'GaussNoise']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('exports a dataset zip: PNG and .npy per sample (the CLI bytes, numpy-readable) and a manifest', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    const recipe = '{"transforms": [{"name": "HorizontalFlip", "p": 0.5}, {"name": "Rotate", "limit": 20, "p": 1}, {"name": "GaussNoise", "p": 1}]}';
    await page.click('#open-recipe');
    await page.fill('#recipe-text', recipe);
    await rerender(page, () => page.click('#recipe-apply'));
    await rerender(page, () => page.fill('#seed', '2024'));
    await page.click('#open-export');
    await page.fill('#export-count', '3');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-start')]);
    assert.equal(download.suggestedFilename(), 'augplay-dataset.zip');
    const zipPath = await download.path();
    const entries = unzip(readFileSync(zipPath));
    assert.deepEqual([...entries.keys()].sort(), ['chelsea_0.npy', 'chelsea_0.png', 'chelsea_1.npy', 'chelsea_1.png', 'chelsea_2.npy', 'chelsea_2.png', 'manifest.json']);
    const manifest = JSON.parse(new TextDecoder().decode(entries.get('manifest.json')));
    assert.equal(manifest.seed, 2024);
    assert.equal(manifest.count, 3);
    assert.equal(manifest.images[0].samples.length, 3);
    assert.equal(manifest.recipe.transforms[1].name, 'Rotate');
    // The same recipe and seed through the command line give the same PNG files.
    const cli = runCli(recipe, 2024, 3, [join(ROOT, 'www', 'samples', 'chelsea.png')]);
    for (let k = 0; k < 3; k++) {
      assert.deepEqual(Buffer.from(entries.get(`chelsea_${k}.png`)), readFileSync(join(cli.dir, `chelsea_${k}.png`)), `sample ${k} PNG = CLI PNG`);
      assert.equal(manifest.images[0].samples[k].seed, cli.manifest.images[0].samples[k].seed);
    }
    // numpy reads the arrays straight from the zip, equal to the PNG pixels.
    const python = join(ROOT, '.venv', 'bin', 'python');
    const check = execFileSync(python, ['-c', `
import io, sys, zipfile, numpy as np
z = zipfile.ZipFile(sys.argv[1])
a = np.load(io.BytesIO(z.read("chelsea_1.npy")))
print(a.dtype, a.shape, int(a.sum()))`, zipPath], { encoding: 'utf8' }).trim();
    const png = readPng(join(cli.dir, 'chelsea_1.png'));
    const rgb = rgbOf(png.rgba);
    assert.equal(check, `uint8 (${png.height}, ${png.width}, 3) ${rgb.reduce((s, v) => s + v, 0)}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the export can be cancelled and keeps the page usable', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    await page.click('#open-export');
    await page.fill('#export-count', '400');
    await page.click('#export-start');
    await page.waitForFunction(() => document.querySelector('#export-progress').value > 0);
    await page.click('#export-cancel');
    await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#export-status').textContent));
    assert.equal(await page.isDisabled('#export-start'), false);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('embeds: compact in an iframe and as <aug-playground>, with the state it was given', async () => {
    const host = await chrome.browser.newPage({ viewport: { width: 1000, height: 700 } });
    const problems = [];
    host.on('pageerror', (e) => problems.push(e.message));
    const recipe = JSON.stringify({ transforms: [{ name: 'VerticalFlip', p: 1 }] });
    await host.setContent(`<!doctype html><body>
      <iframe id="frame" src="${server.url}#recipe=${encodeURIComponent(recipe)}&seed=5&image=horse.png&embed=1" width="900" height="520"></iframe>
      <script src="${server.url}embed.js"></script>
      <aug-playground recipe='${recipe}' seed="9" image="camera.png" height="500"></aug-playground></body>`);
    const frameFor = async (match) => {
      for (let i = 0; i < 200; i++) {
        const f = host.frames().find((fr) => fr.url().includes(match));
        if (f) return f;
        await host.waitForTimeout(100);
      }
      throw new Error(`no frame with ${match}: ${host.frames().map((f) => f.url()).join(" | ")}`);
    };
    // The plain iframe loads '/', the element's iframe 'index.html' (lazily, once in view).
    for (const [match, image] of [[`${server.url}#`, 'horse.png'], ['index.html#', 'camera.png']]) {
      if (image === 'camera.png') await host.locator('aug-playground').scrollIntoViewIfNeeded();
      const frame = await frameFor(match);
      await frame.waitForFunction(() => Number(document.body.dataset.renders) > 0, null, { timeout: 30000 });
      assert.equal(await frame.evaluate(() => document.body.classList.contains('embed')), true);
      assert.equal(await frame.evaluate(() => document.body.dataset.image), image);
      assert.equal(await frame.isVisible('.top'), false, 'no page header when embedded');
      assert.equal(await frame.isVisible('#controls'), false, 'the pipeline panel is folded away');
      // The samples are the original turned upside down.
      const flipped = await frame.evaluate(() => {
        const [o, s] = [...document.querySelectorAll('#grid canvas')].map((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height));
        const w = o.width * 4;
        for (let y = 0; y < o.height; y++) for (let i = 0; i < w; i++) if (o.data[y * w + i] !== s.data[(o.height - 1 - y) * w + i]) return false;
        return true;
      });
      assert.ok(flipped, `${image}: VerticalFlip applied`);
      await frame.click('#toggle-panel');
      assert.equal(await frame.isVisible('#controls'), true, 'Edit pipeline opens the panel');
    }
    await host.screenshot({ path: join(ARTIFACTS, 'e2e-embed.png') });
    assert.deepEqual(problems, []);
    await host.close();
  });

  it('the sample view zooms, reads pixels, compares before and after and shows histograms', async () => {
    const { page, problems } = await openPage(chrome.browser, server.url);
    await page.click('.cell.sample');
    await page.waitForSelector('#inspect[open]');
    const box = await page.locator('#inspect-canvas').boundingBox();
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.waitForFunction(() => /^x \d+, y \d+: .* — original /.test(document.querySelector('#pixel').textContent));
    await page.fill('#zoom', '3');
    const zoomed = await page.locator('#compare').boundingBox();
    const canvasWidth = await page.$eval('#inspect-canvas', (c) => c.width);
    assert.ok(Math.abs(zoomed.width - canvasWidth * 3) < 2, `zoom 3: ${zoomed.width} vs ${canvasWidth * 3}`);
    const histogramDrawn = await page.$eval('#hist-after', (c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v > 0));
    assert.ok(histogramDrawn);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#inspect-download')]);
    assert.equal(download.suggestedFilename(), 'chelsea_0.png');
    assert.deepEqual(readFileSync(await download.path()).subarray(1, 4), Buffer.from('PNG'));
    assert.deepEqual(problems, []);
    await page.close();
  });
});
