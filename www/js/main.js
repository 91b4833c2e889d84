// augplay's page: state, wiring and drawing. Pixels are computed in workers (engine.js).
import { Engine } from './engine.js';
import { decodeImage, firstImageFile } from './images.js';
import { defaultStep, recipeOf, renderPipeline, showStepError } from './pipeline-panel.js';
import { defaultTask, drawTaskRows, renderTaskControls, taskJson } from './task-view.js';

const SAMPLE_COUNT = 8;
const PAIR_COUNT = 4;
const BUNDLED = [
  { file: 'chelsea.png', label: 'Cat' },
  { file: 'astronaut.png', label: 'Astronaut' },
  { file: 'coffee.png', label: 'Coffee' },
  { file: 'rocket.jpg', label: 'Rocket' },
  { file: 'camera.png', label: 'Camera', note: 'grayscale' },
  { file: 'horse.png', label: 'Horse', note: 'binary silhouette' },
];
const MAX_SEED = 2 ** 53 - 1;

const $ = (selector) => document.querySelector(selector);
const state = { steps: [], seed: 42, image: null, imageKey: 0, view: 'samples', task: defaultTask() };
let engine;
let catalog;
let limits;
let nextImageKey = 1;
let renderCount = 0;

function starterPipeline() {
  const byName = new Map(catalog.map((e) => [e.name, e]));
  const step = (name, p, params = {}) => {
    const s = defaultStep(byName.get(name));
    return { ...s, p, params: { ...s.params, ...params } };
  };
  return [
    step('HorizontalFlip', 0.5),
    step('RandomBrightnessContrast', 0.8),
    step('GaussNoise', 0.5, { std_range: [0.05, 0.15] }),
  ];
}

// ---------- rendering: at most one render in flight, always ending on the latest state ----------
let rendering = false;
let dirty = false;

function schedule() {
  dirty = true;
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
  if (cells.length === SAMPLE_COUNT) return cells;
  for (let k = cells.length; k < SAMPLE_COUNT; k++) {
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
  return grid.querySelectorAll('.cell.sample');
}

function showRecipeError(message) {
  $('#pipeline-error').textContent = message ?? '';
  showStepError($('#pipeline'), message);
}

async function renderTask() {
  const recipe = recipeOf(state.steps);
  const key = state.imageKey;
  let result;
  try {
    result = await engine.task({ key, recipe, task: taskJson(state.task), seed: state.seed, count: PAIR_COUNT });
  } catch (error) {
    if (key !== state.imageKey) return;
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
  drawTaskRows($('#task-rows'), result.pairs, state.image.name);
  $('#status').textContent = `${result.pairs.length} ${state.task.mode} pairs`;
  document.body.dataset.renders = String(++renderCount);
}

async function renderOnce() {
  if (!state.image) return;
  if (state.view === 'task') return renderTask();
  const recipe = recipeOf(state.steps);
  const key = state.imageKey;
  let result;
  try {
    result = await engine.render({ key, recipe, seed: state.seed, count: SAMPLE_COUNT });
  } catch (error) {
    if (key !== state.imageKey) return; // the image changed meanwhile; a newer render follows
    showRecipeError(error.message);
    $('#grid').classList.add('stale');
    return;
  }
  showRecipeError(null);
  $('#grid').classList.remove('stale');
  if (dirty) return; // a newer state is waiting: draw that instead
  const cells = sampleCells();
  result.samples.forEach((s, k) => {
    const cell = cells[k];
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
  $('#status').textContent = `${SAMPLE_COUNT} samples of ${state.image.width}×${state.image.height} in ${result.millis.toFixed(1)} ms`;
  document.body.dataset.renders = String(++renderCount);
}

function inspect(cell) {
  const source = cell.querySelector('canvas');
  const target = $('#inspect-canvas');
  target.width = source.width;
  target.height = source.height;
  target.getContext('2d').drawImage(source, 0, 0);
  $('#inspect-title').textContent = `Sample ${Number(cell.dataset.index) + 1}`;
  $('#inspect-seed').textContent = `Sample seed ${cell.dataset.seed} (recipe seed ${state.seed}); the same recipe and sample seed give the same pixels everywhere.`;
  $('#inspect-log').textContent = cell.dataset.log;
  $('#inspect').showModal();
}

// ---------- images ----------
async function loadImage(blob, name) {
  $('#image-info').textContent = `Loading ${name}…`;
  try {
    const image = await decodeImage(blob, name, limits);
    const key = nextImageKey++;
    await engine.setImage(key, image.pixels);
    state.image = image;
    state.imageKey = key;
    const original = $('#original');
    original.width = image.width;
    original.height = image.height;
    original.getContext('2d').putImageData(image.pixels, 0, 0);
    $('#grid').style.setProperty('--ar', String(image.width / image.height));
    $('#image-error').textContent = '';
    const scaled = image.width !== image.originalWidth ? `, previewed at ${image.width}×${image.height}` : '';
    $('#image-info').textContent = `${name}: ${image.originalWidth}×${image.originalHeight}${scaled}`;
    document.body.dataset.image = name;
    schedule();
  } catch (error) {
    $('#image-error').textContent = error.message;
    $('#image-info').textContent = state.image ? `Still showing ${state.image.name}.` : '';
  }
}

async function loadBundled(file, label) {
  try {
    const response = await fetch(`samples/${file}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    await loadImage(await response.blob(), file);
  } catch (error) {
    $('#image-error').textContent = `The sample "${label}" could not be loaded (${error.message}).`;
  }
}

function wireImageInputs() {
  const input = $('#file');
  $('#choose').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) loadImage(file, file.name);
    input.value = '';
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
    button.addEventListener('click', () => loadBundled(file, label));
    row.append(button);
  }
  const drop = $('#drop');
  window.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  window.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) drop.classList.remove('over');
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = firstImageFile(e.dataTransfer);
    if (file) loadImage(file, file.name || 'dropped image');
  });
  window.addEventListener('paste', (e) => {
    const file = firstImageFile(e.clipboardData);
    if (file) {
      e.preventDefault();
      loadImage(file, file.name || 'pasted image');
    }
  });
}

// ---------- seed ----------
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
    const typing = e.target.closest?.('input, select, textarea, [contenteditable]');
    if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && e.key.toLowerCase() === 'r') reroll();
  });
}

function wireTabs() {
  const tabs = [$('#tab-samples'), $('#tab-task')];
  const select = (view) => {
    state.view = view;
    tabs.forEach((t) => t.setAttribute('aria-selected', String(t.id === `tab-${view === 'task' ? 'task' : 'samples'}`)));
    $('#grid').hidden = view === 'task';
    $('#task-view').hidden = view !== 'task';
    schedule();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(i === 1 ? 'task' : 'samples'));
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

async function main() {
  try {
    engine = new Engine();
    ({ catalog, limits } = await engine.hello());
  } catch (error) {
    $('#pipeline-error').textContent = `The augmentation engine could not start: ${error.message}`;
    return;
  }
  state.steps = starterPipeline();
  renderPipeline($('#pipeline'), state, catalog, schedule);
  wireImageInputs();
  wireSeed();
  wireTabs();
  sampleCells();
  await loadBundled(BUNDLED[0].file, BUNDLED[0].label);
  document.body.dataset.ready = 'true';
}

main();
