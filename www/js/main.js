// augplay's page: state, wiring and drawing. Pixels are computed in workers (engine.js); the
// whole state lives in the URL hash (share.js), so a reload or a shared link brings it back.
import { Engine } from './engine.js';
import { channelsOf, decodeImage, transferFiles } from './images.js';
import { openInspect, saveBlob, wireInspect } from './inspect.js';
import { exportDataset, wireCodeDialog, wireRecipeDialog, wireShareDialog } from './exports.js';
import { renderPipeline, showStepError } from './pipeline-panel.js';
import { PRESETS } from './presets.js';
import { decodeState, encodeState, hashFlags } from './share.js';
import { defaultStep, recipeOf, stepsFromRecipe } from './steps.js';
import { defaultTask, drawTaskRows, renderTaskControls, taskJson } from './task-view.js';

const GALLERY_MAX = 12;
const BUNDLED = [
  { file: 'chelsea.png', label: 'Cat' },
  { file: 'astronaut.png', label: 'Astronaut' },
  { file: 'coffee.png', label: 'Coffee' },
  { file: 'rocket.jpg', label: 'Rocket' },
  { file: 'camera.png', label: 'Camera', note: 'grayscale' },
  { file: 'horse.png', label: 'Horse', note: 'binary silhouette' },
];
const COUNTS = [4, 8, 15, 24, 35, 48, 63];
/** How many task pairs the task view can show (the export dialog makes any number). */
const PAIR_COUNTS = [2, 4, 8, 16];
const MAX_SEED = 2 ** 53 - 1;

const $ = (selector) => document.querySelector(selector);
const state = { steps: [], seed: 42, images: [], current: -1, view: 'samples', task: defaultTask(), count: 8, pairs: 4, bundled: null };
const flags = hashFlags();
let engine;
let catalog;
let limits;
let version;
let nextImageKey = 1;
let renderCount = 0;

const currentImage = () => state.images[state.current] ?? null;

function starterPipeline() {
  const byName = new Map(catalog.map((e) => [e.name, e]));
  const step = (name, p, params = {}) => {
    const s = defaultStep(byName.get(name));
    return { ...s, p, params: { ...s.params, ...params } };
  };
  return [step('HorizontalFlip', 0.5), step('RandomBrightnessContrast', 0.8), step('GaussNoise', 0.5, { std_range: [0.05, 0.15] })];
}

// ---------- the URL hash ----------
function stateHash(embed = flags.embed) {
  return encodeState(state, catalog, { embed });
}

function pageUrl(hash) {
  return `${location.origin}${location.pathname}${hash}`;
}

function saveHash() {
  if (!catalog) return;
  const hash = stateHash();
  if (location.hash !== hash) history.replaceState(null, '', hash);
  $('#open-full').href = pageUrl(stateHash(false));
}

// ---------- rendering: at most one render in flight, always ending on the latest state ----------
let rendering = false;
let dirty = false;

function schedule() {
  dirty = true;
  saveHash();
  if (!rendering) pump();
}

async function pump() {
  rendering = true;
  try {
    while (dirty) {
      dirty = false;
      await renderOnce();
    }
  } finally {
    rendering = false;
  }
}

function appliedSummary(log) {
  const names = [];
  const walk = (entries) => {
    for (const e of entries) {
      if (!e.applied) continue;
      if (e.children?.length) walk(e.children);
      else names.push(e.name);
    }
  };
  walk(log);
  return names.length ? names.join(' · ') : 'nothing applied';
}

function sampleCells() {
  const grid = $('#grid');
  let cells = grid.querySelectorAll('.cell.sample');
  for (let k = cells.length; k < state.count; k++) {
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    const caption = document.createElement('figcaption');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'cell sample';
    button.dataset.index = String(k);
    button.setAttribute('aria-label', `Sample ${k + 1}: show details`);
    button.append(canvas, caption);
    button.addEventListener('click', () => inspect(button));
    grid.append(button);
  }
  cells = grid.querySelectorAll('.cell.sample');
  for (let k = cells.length - 1; k >= state.count; k--) cells[k].remove();
  grid.dataset.count = String(state.count);
  return grid.querySelectorAll('.cell.sample');
}

function showRecipeError(message) {
  $('#pipeline-error').textContent = message ?? '';
  showStepError($('#pipeline'), message, state.steps);
}

async function renderTask() {
  $('#render-error').textContent = ''; // the samples' error; the task has its own
  const image = currentImage();
  const recipe = recipeOf(state.steps);
  let result;
  try {
    result = await engine.task({ key: image.key, recipe, task: taskJson(state.task), seed: state.seed, count: state.pairs });
  } catch (error) {
    if (image !== currentImage()) return;
    const isRecipe = error.message.startsWith('invalid recipe');
    showRecipeError(isRecipe ? error.message : null);
    $('#task-error').textContent = isRecipe ? 'Fix the pipeline to see pairs.' : error.message;
    $('#task-rows').classList.add('stale');
    return;
  }
  showRecipeError(null);
  $('#task-error').textContent = '';
  $('#task-rows').classList.remove('stale');
  if (dirty) return;
  drawTaskRows($('#task-rows'), result.pairs, image.name);
  $('#status').textContent = `${result.pairs.length} ${state.task.mode} pairs`;
  document.body.dataset.renders = String(++renderCount);
}

async function renderOnce() {
  const image = currentImage();
  if (!image) return;
  if (state.view === 'task') return renderTask();
  const recipe = recipeOf(state.steps);
  const count = state.count;
  let result;
  try {
    result = await engine.render({ key: image.key, recipe, seed: state.seed, count });
  } catch (error) {
    if (image !== currentImage()) return; // the image changed meanwhile; a newer render follows
    showRecipeError(error.message);
    // Errors that are not the recipe's (say, a step asking for an image beyond the size limits)
    // also show above the samples, which stay as they were.
    $('#render-error').textContent = error.message.startsWith('invalid recipe') ? '' : error.message;
    $('#grid').classList.add('stale');
    return;
  }
  showRecipeError(null);
  $('#render-error').textContent = '';
  $('#grid').classList.remove('stale');
  if (dirty) return; // a newer state is waiting: draw that instead
  const cells = sampleCells();
  result.samples.forEach((s, k) => {
    const cell = cells[k];
    if (!cell) return;
    const canvas = cell.querySelector('canvas');
    canvas.width = s.width;
    canvas.height = s.height;
    canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(s.pixels.buffer), s.width, s.height), 0, 0);
    const log = JSON.parse(s.log);
    const caption = cell.querySelector('figcaption');
    caption.textContent = `#${k + 1} · ${appliedSummary(log)}`;
    caption.title = caption.textContent;
    cell.dataset.seed = String(s.seed);
    cell.dataset.log = JSON.stringify(log, null, 2);
  });
  $('#status').textContent = `${count} samples of ${image.width}×${image.height} in ${result.millis.toFixed(1)} ms`;
  document.body.dataset.renders = String(++renderCount);
}

function inspect(cell) {
  const image = currentImage();
  const index = Number(cell.dataset.index);
  const recipe = recipeOf(state.steps);
  const seed = state.seed;
  openInspect({
    canvas: cell.querySelector('canvas'),
    index,
    seed: cell.dataset.seed,
    recipeSeed: seed,
    log: cell.dataset.log,
    original: $('#original'),
    imageName: image.name,
    png: async () => (await engine.render({ key: image.key, recipe, seed, first: index, count: 1, files: true })).samples[0].png,
  });
}

// ---------- images: a small gallery ----------
function drawGallery() {
  const gallery = $('#gallery');
  gallery.hidden = state.images.length < 2;
  gallery.replaceChildren(
    ...state.images.map((image, i) => {
      const canvas = document.createElement('canvas');
      const scale = 48 / Math.max(image.width, image.height);
      canvas.width = Math.max(1, Math.round(image.width * scale));
      canvas.height = Math.max(1, Math.round(image.height * scale));
      const ctx = canvas.getContext('2d');
      createImageBitmap(image.preview).then((bitmap) => ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height));
      const pick = document.createElement('button');
      pick.type = 'button';
      pick.className = 'pick';
      pick.setAttribute('role', 'option');
      pick.setAttribute('aria-selected', String(i === state.current));
      pick.title = `${image.name} (${image.originalWidth}×${image.originalHeight})`;
      pick.append(canvas);
      pick.addEventListener('click', () => selectImage(i));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'icon remove';
      remove.textContent = '✕';
      remove.setAttribute('aria-label', `Remove ${image.name} from the gallery`);
      remove.addEventListener('click', () => removeImage(i));
      const item = document.createElement('div');
      item.className = 'gallery-item';
      item.append(pick, remove);
      return item;
    }),
  );
}

function selectImage(i) {
  state.current = i;
  const image = currentImage();
  state.bundled = image.bundled;
  const original = $('#original');
  original.width = image.width;
  original.height = image.height;
  original.getContext('2d').putImageData(image.preview, 0, 0);
  $('#grid').style.setProperty('--ar', String(image.width / image.height));
  const scaled = image.width !== image.originalWidth ? `, previewed at ${image.width}×${image.height} (exports use the full size)` : '';
  $('#image-info').textContent = `${image.name}: ${image.originalWidth}×${image.originalHeight}${scaled}`;
  document.body.dataset.image = image.name;
  drawGallery();
  schedule();
}

async function removeImage(i) {
  if (state.images.length < 2) return;
  const [gone] = state.images.splice(i, 1);
  await engine.dropImage(gone.key);
  selectImage(Math.min(state.current === i ? i : state.current > i ? state.current - 1 : state.current, state.images.length - 1));
}

/** Decodes and adds images; errors name the file and keep everything already loaded. */
async function addImages(files, bundled = null) {
  const errors = [];
  let added = -1;
  for (const file of files) {
    const name = file.name || 'pasted image';
    if (state.images.length >= GALLERY_MAX) {
      errors.push(`"${name}" was not added: the gallery holds at most ${GALLERY_MAX} images; remove one first.`);
      continue;
    }
    $('#image-info').textContent = `Loading ${name}…`;
    try {
      const decoded = await decodeImage(file, name, limits);
      const key = nextImageKey++;
      await engine.setImage(key, decoded.pixels);
      state.images.push({ key, name, blob: file, bundled, preview: decoded.pixels, width: decoded.width, height: decoded.height, originalWidth: decoded.originalWidth, originalHeight: decoded.originalHeight });
      added = state.images.length - 1;
    } catch (error) {
      errors.push(error.message);
    }
  }
  $('#image-error').textContent = errors.join(' ');
  if (added >= 0) selectImage(added);
  else if (currentImage()) $('#image-info').textContent = `Still showing ${currentImage().name}.`;
  else $('#image-info').textContent = '';
}

async function loadBundled(file) {
  const existing = state.images.findIndex((im) => im.bundled === file);
  if (existing >= 0) return selectImage(existing);
  const entry = BUNDLED.find((b) => b.file === file);
  try {
    const response = await fetch(`samples/${file}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const blob = await response.blob();
    await addImages([new File([blob], file, { type: blob.type })], file);
  } catch (error) {
    $('#image-error').textContent = `The sample "${entry?.label ?? file}" could not be loaded (${error.message}).`;
  }
}

function wireImageInputs() {
  const input = $('#file');
  $('#choose').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length) addImages(files);
  });
  const row = $('#sample-buttons');
  for (const { file, label, note } of BUNDLED) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'thumb';
    button.title = `Use the sample image "${label}"${note ? ` (${note})` : ''}`;
    const img = document.createElement('img');
    img.src = `samples/${file}`;
    img.alt = '';
    img.loading = 'lazy';
    button.append(img, Object.assign(document.createElement('span'), { textContent: label }));
    button.addEventListener('click', () => loadBundled(file));
    row.append(button);
  }
  const drop = $('#drop');
  window.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types?.includes('Files')) return;
    e.preventDefault();
    drop.classList.add('over');
  });
  window.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) drop.classList.remove('over');
  });
  window.addEventListener('drop', (e) => {
    const files = transferFiles(e.dataTransfer);
    if (!files.length) return;
    e.preventDefault();
    drop.classList.remove('over');
    addImages(files);
  });
  window.addEventListener('paste', (e) => {
    if (e.target.closest?.('textarea, input')) return;
    const files = transferFiles(e.clipboardData);
    if (files.length) {
      e.preventDefault();
      addImages(files);
    }
  });
}

// ---------- seed, grid size, tabs ----------
function setSeed(seed) {
  state.seed = seed;
  $('#seed').value = String(seed);
  $('#seed-error').textContent = '';
  schedule();
}

function wireSeed() {
  const input = $('#seed');
  input.value = String(state.seed);
  input.addEventListener('input', () => {
    const v = Number(input.value);
    if (input.value.trim() === '' || !Number.isInteger(v) || v < 0 || v > MAX_SEED) {
      $('#seed-error').textContent = `The seed must be a whole number from 0 to ${MAX_SEED}.`;
      return;
    }
    $('#seed-error').textContent = '';
    state.seed = v;
    schedule();
  });
  const reroll = () => setSeed(crypto.getRandomValues(new Uint32Array(1))[0]);
  $('#reroll').addEventListener('click', reroll);
  window.addEventListener('keydown', (e) => {
    const typing = e.target.closest?.('input, select, textarea, [contenteditable], dialog');
    if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && e.key.toLowerCase() === 'r') reroll();
  });
  const count = $('#count');
  count.value = String(state.count);
  count.addEventListener('change', () => {
    state.count = Number(count.value);
    sampleCells();
    schedule();
  });
  const pairs = $('#pairs');
  pairs.value = String(state.pairs);
  pairs.addEventListener('change', () => {
    state.pairs = Number(pairs.value);
    schedule();
  });
}

function selectView(view) {
  state.view = view;
  for (const tab of [$('#tab-samples'), $('#tab-task')]) tab.setAttribute('aria-selected', String(tab.id === `tab-${view}`));
  $('#grid').hidden = view === 'task';
  $('#task-view').hidden = view !== 'task';
  // The count beside the seed is the current view's: samples in the grid, pairs in the task.
  $('#count-label').hidden = view === 'task';
  $('#pairs-label').hidden = view !== 'task';
  schedule();
}

function wireTabs() {
  const tabs = [$('#tab-samples'), $('#tab-task')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectView(i === 1 ? 'task' : 'samples'));
    tab.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        const next = tabs[(i + 1) % 2];
        next.focus();
        next.click();
      }
    });
  });
  renderTaskControls($('#task-controls'), state.task, schedule);
}

// ---------- pipeline: presets and recipes ----------
function setSteps(steps) {
  state.steps = steps;
  renderPipeline($('#pipeline'), state, catalog, schedule);
  schedule();
}

function wirePresets() {
  const select = $('#preset');
  for (const preset of PRESETS) select.append(new Option(preset.label, preset.id));
  select.addEventListener('change', () => {
    const preset = PRESETS.find((p) => p.id === select.value);
    select.value = '';
    if (!preset) return;
    const previous = state.steps;
    setSteps(stepsFromRecipe(preset.recipe, catalog));
    const note = $('#preset-note');
    const undo = document.createElement('button');
    undo.type = 'button';
    undo.className = 'link';
    undo.textContent = 'Undo';
    undo.addEventListener('click', () => {
      setSteps(previous);
      note.textContent = 'Restored your pipeline.';
    });
    note.replaceChildren(`${preset.label}: ${preset.why} `, undo);
  });
}

/** Validates recipe text with the engine and loads it; throws with the reason otherwise. */
async function applyRecipeText(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${error.message})`);
  }
  const normalised = await engine.validate(JSON.stringify(parsed));
  setSteps(stepsFromRecipe(normalised, catalog));
}

// ---------- dataset export ----------
function wireExport() {
  const dialog = $('#export-dialog');
  const countInput = $('#export-count');
  let controller = null;
  const summary = () => {
    const n = Number(countInput.value);
    const ok = Number.isInteger(n) && n >= 1 && n <= 1000;
    $('#export-error').textContent = ok ? '' : 'Samples per image must be a whole number from 1 to 1000.';
    $('#export-start').disabled = !ok || controller !== null;
    const images = state.images.length;
    $('#export-summary').textContent = ok
      ? `${images} image${images === 1 ? '' : 's'} × ${n} samples = ${images * n} PNG and ${images * n} .npy files, seed ${state.seed}. Image i of the gallery is image index i, as the command line numbers its inputs.`
      : '';
  };
  countInput.addEventListener('input', summary);
  $('#open-export').addEventListener('click', () => {
    $('#export-status').textContent = '';
    $('#export-progress').hidden = true;
    summary();
    dialog.showModal();
  });
  $('#export-cancel').addEventListener('click', () => controller?.abort());
  $('#export-start').addEventListener('click', async () => {
    const count = Number(countInput.value);
    const recipe = recipeOf(state.steps);
    let normalised;
    try {
      normalised = await engine.validate(recipe);
    } catch (error) {
      $('#export-error').textContent = `Fix the pipeline first: ${error.message}`;
      return;
    }
    controller = new AbortController();
    $('#export-start').disabled = true;
    $('#export-cancel').disabled = false;
    const bar = $('#export-progress');
    bar.hidden = false;
    bar.value = 0;
    const started = performance.now();
    const exportKeys = new Set(); // full-size copies made for this export, freed after each image
    try {
      const blob = await exportDataset({
        engine,
        version,
        images: state.images,
        recipe,
        normalisedRecipe: normalised,
        seed: state.seed,
        count,
        signal: controller.signal,
        prepare: async (image) => {
          // Previewed at full size: the workers hold it already.
          if (image.width === image.originalWidth) return { key: image.key, width: image.width, height: image.height, channels: channelsOf(image.preview) };
          const full = (await decodeImage(image.blob, image.name, limits, Infinity)).pixels;
          const key = nextImageKey++;
          await engine.setImage(key, full);
          exportKeys.add(key);
          return { key, width: full.width, height: full.height, channels: channelsOf(full) };
        },
        release: async (key) => {
          if (exportKeys.delete(key)) await engine.dropImage(key);
        },
        progress: (done, total) => {
          bar.value = done / total;
          $('#export-status').textContent = `${done} of ${total} samples…`;
        },
      });
      saveBlob(blob, 'augplay-dataset.zip');
      $('#export-status').textContent = `Saved augplay-dataset.zip (${(blob.size / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    } catch (error) {
      $('#export-status').textContent = error.name === 'AbortError' ? 'Cancelled; nothing was saved.' : '';
      if (error.name !== 'AbortError') $('#export-error').textContent = `The export failed: ${error.message}`;
    } finally {
      controller = null;
      $('#export-cancel').disabled = true;
      summary();
    }
  });
}

// ---------- embedding ----------
function wireEmbed() {
  const embedScript = new URL('embed.js', location.href).href;
  wireShareDialog({
    link: () => pageUrl(stateHash(false)),
    embedLink: () => pageUrl(stateHash(true)),
    elementSnippet: () => `<script src="${embedScript}"></script>\n<aug-playground state="${stateHash(false).slice(3)}" height="560"></aug-playground>`,
  });
  if (!flags.embed) return;
  document.body.classList.add('embed');
  $('#open-full').hidden = false;
  const toggle = $('#toggle-panel');
  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    const open = document.body.classList.toggle('panel-open');
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide pipeline' : 'Edit pipeline';
  });
}

/** Applies a state from the URL hash (a share link, an embed, or a reload); returns its image. */
async function restoreFromHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  try {
    // A plain recipe (what <aug-playground recipe="..."> and hand-written links use).
    if (params.has('recipe')) {
      const normalised = await engine.validate(params.get('recipe'));
      state.steps = stepsFromRecipe(normalised, catalog);
      const seed = Number(params.get('seed'));
      if (params.has('seed') && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED) state.seed = seed;
      if (params.get('view') === 'task') state.view = 'task';
      return params.get('image');
    }
    const restored = decodeState(location.hash, catalog);
    if (!restored) return null;
    state.steps = restored.steps;
    if (restored.seed !== undefined) state.seed = restored.seed;
    if (restored.view) state.view = restored.view;
    if (restored.count && COUNTS.includes(restored.count)) state.count = restored.count;
    if (restored.pairs && PAIR_COUNTS.includes(restored.pairs)) state.pairs = restored.pairs;
    if (restored.task) Object.assign(state.task, restored.task);
    return restored.image ?? null;
  } catch (error) {
    $('#pipeline-error').textContent = `This link could not be restored: ${error.message}`;
    return null;
  }
}

async function main() {
  try {
    engine = new Engine();
    ({ catalog, limits, version } = await engine.hello());
  } catch (error) {
    $('#pipeline-error').textContent = `The augmentation engine could not start: ${error.message}`;
    return;
  }
  state.steps = starterPipeline();
  const image = await restoreFromHash();
  renderPipeline($('#pipeline'), state, catalog, schedule);
  wireImageInputs();
  wireSeed();
  wireTabs();
  wirePresets();
  wireInspect();
  wireRecipeDialog({ currentSteps: () => state.steps, apply: applyRecipeText });
  wireCodeDialog({ currentSteps: () => state.steps, currentSeed: () => state.seed });
  wireExport();
  wireEmbed();
  sampleCells();
  if (state.view === 'task') selectView('task');
  const bundled = BUNDLED.some((b) => b.file === image) ? image : BUNDLED[0].file;
  await loadBundled(bundled);
  document.body.dataset.ready = 'true';
}

main();
