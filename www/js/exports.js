// Taking work away: the recipe as JSON (download, upload, paste, edit), the pipeline as Python,
// a dataset zip of augmented samples (PNG + .npy + manifest.json), and share links / embed code.

import { albumentationsCode, torchvisionCode } from './pycode.js';
import { saveBlob } from './inspect.js';
import { recipeObject } from './steps.js';
import { ZipWriter } from './zip.js';

const $ = (selector) => document.querySelector(selector);

async function copyText(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied.';
  } catch {
    status.textContent = 'The browser did not allow copying: select the text and copy it by hand.';
  }
}

// ---------- recipe ----------

/** The recipe as indented JSON with short lists (ranges, colours) kept on one line. */
export function prettyRecipe(recipe) {
  return JSON.stringify(recipe, null, 2).replace(/\[\s*([^\[\]{}"]*?)\s*\]/g, (_, inner) => `[${inner.split(/,\s*/).join(', ')}]`);
}

/**
 * Wires the recipe dialog. `apply(recipeText)` validates and loads a recipe, resolving to null
 * or rejecting with the error message; the current pipeline stays until a recipe is valid.
 */
export function wireRecipeDialog({ currentSteps, apply }) {
  const dialog = $('#recipe-dialog');
  const text = $('#recipe-text');
  const error = $('#recipe-error');
  const status = $('#recipe-status');
  $('#open-recipe').addEventListener('click', () => {
    text.value = prettyRecipe(recipeObject(currentSteps()));
    error.textContent = '';
    status.textContent = '';
    dialog.showModal();
  });
  const load = async (source) => {
    error.textContent = '';
    status.textContent = '';
    try {
      await apply(text.value);
      status.textContent = `Loaded ${source}.`;
      dialog.close();
    } catch (e) {
      error.textContent = `${source}: ${e.message}`;
    }
  };
  $('#recipe-apply').addEventListener('click', () => load('the edited recipe'));
  $('#recipe-download').addEventListener('click', () => {
    saveBlob(new Blob([`${prettyRecipe(recipeObject(currentSteps()))}\n`], { type: 'application/json' }), 'recipe.json');
    status.textContent = 'Saved recipe.json (the pipeline as it runs: switched-off steps left out).';
  });
  $('#recipe-copy').addEventListener('click', () => copyText(text.value, status));
  const file = $('#recipe-file');
  $('#recipe-upload').addEventListener('click', () => file.click());
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (!f) return;
    if (f.size > 1_000_000) {
      error.textContent = `"${f.name}" is ${(f.size / 1e6).toFixed(1)} MB; a recipe is a small JSON file (at most 1 MB).`;
      return;
    }
    text.value = await f.text();
    await load(`"${f.name}"`);
  });
}

// ---------- Python code ----------

export function wireCodeDialog({ currentSteps, currentSeed }) {
  const dialog = $('#code-dialog');
  const status = $('#code-status');
  $('#open-code').addEventListener('click', () => {
    $('#code-albumentations').textContent = albumentationsCode(currentSteps(), currentSeed());
    $('#code-torchvision').textContent = torchvisionCode(currentSteps(), currentSeed());
    status.textContent = '';
    dialog.showModal();
  });
  $('#copy-albumentations').addEventListener('click', () => copyText($('#code-albumentations').textContent, status));
  $('#copy-torchvision').addEventListener('click', () => copyText($('#code-torchvision').textContent, status));
}

// ---------- share and embed ----------

export function wireShareDialog({ link, embedLink, elementSnippet }) {
  const dialog = $('#share-dialog');
  const status = $('#share-status');
  $('#open-share').addEventListener('click', () => {
    $('#share-link').value = link();
    $('#share-iframe').value = `<iframe src="${embedLink()}" width="900" height="560" style="border:0" title="augplay: data augmentation playground" loading="lazy"></iframe>`;
    $('#share-element').value = elementSnippet();
    status.textContent = '';
    dialog.showModal();
  });
  $('#copy-link').addEventListener('click', () => copyText($('#share-link').value, status));
  $('#copy-iframe').addEventListener('click', () => copyText($('#share-iframe').value, status));
  $('#copy-element').addEventListener('click', () => copyText($('#share-element').value, status));
}

// ---------- dataset export ----------

const stem = (name) => name.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'image';

/**
 * Exports `count` samples of each image as PNG + .npy + manifest.json in a zip, rendering at
 * full size. `prepare(image)` resolves to {key, width, height, channels} with the image resident
 * in the workers; `release(key)` frees it if prepare made a copy for the export. Reports progress(done, total); stops when
 * `signal.aborted`.
 */
export async function exportDataset({ engine, version, images, recipe, normalisedRecipe, seed, count, prepare, release, progress, signal }) {
  const zip = new ZipWriter();
  const manifestImages = [];
  const total = images.length * count;
  let done = 0;
  const batch = 8;
  for (let index = 0; index < images.length; index++) {
    const image = images[index];
    const prepared = await prepare(image);
    try {
      const samples = [];
      for (let first = 0; first < count; first += batch) {
        if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
        const n = Math.min(batch, count - first);
        const result = await engine.render({ key: prepared.key, recipe, seed, imageIndex: index, first, count: n, files: true });
        for (const s of result.samples) {
          const base = `${stem(image.name)}_${s.index}`;
          zip.add(`${base}.png`, s.png);
          zip.add(`${base}.npy`, s.npy);
          samples.push({ file: `${base}.png`, array: `${base}.npy`, sample: s.index, seed: s.seed, width: s.width, height: s.height, log: JSON.parse(s.log) });
        }
        done += n;
        progress(done, total);
      }
      manifestImages.push({ file: image.name, index, width: prepared.width, height: prepared.height, channels: prepared.channels, samples });
    } finally {
      await release(prepared.key);
    }
  }
  const manifest = { augplay: version, recipe: normalisedRecipe, seed, count, images: manifestImages };
  zip.add('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return zip.blob();
}
