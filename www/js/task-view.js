// The inpainting task view: mode, parameters (fixed or drawn at random), where noise goes, and
// rows of original | input | known | target pairs, each downloadable as .npz for numpy.

import { el } from './dom.js';

export const MODES = {
  cropout: {
    label: 'Crop-out (course project)',
    params: [
      { name: 'crop_size', values: 2, example: [9, 11] },
      { name: 'crop_center', values: 2, example: [35, 35] },
    ],
    rules:
      'A rectangle of odd size crop_size = (X, Y) rows × columns, centred at crop_center, is cut from the gray image and must stay at least 20 pixels from every border. Input: the image with the rectangle set to 0. Target: the rectangle\'s original values. Random: images 70–100 px a side, odd sizes 5–21.',
  },
  border: {
    label: 'Border extrapolation',
    params: [
      { name: 'border_x', values: 2, example: [5, 5] },
      { name: 'border_y', values: 2, example: [5, 5] },
    ],
    rules:
      'The outer border_x = (before, after) rows and border_y = (before, after) columns are unknown; each at least 1, and the known centre at least 16×16. Target: the unknown pixels, flattened row by row. Random: images 70–100 px a side, borders 5–10.',
  },
  grid: {
    label: 'Grid of known pixels',
    params: [
      { name: 'offset', values: 2, example: [0, 0] },
      { name: 'spacing', values: 2, example: [4, 4] },
    ],
    rules:
      'RGB, channel-first (3, M, N): pixels are known at [:, offset[1]::spacing[1], offset[0]::spacing[0]]; offsets 0–32, spacings 2–8, at least 144 known pixels. Target: the unknown values, flattened in channel-row-column order. Random: 100×100, offsets 0–8, spacings 2–6.',
  },
  depixelate: {
    label: 'Depixelation',
    params: [
      { name: 'x', values: 1, example: [8] },
      { name: 'y', values: 1, example: [8] },
      { name: 'width', values: 1, example: [24] },
      { name: 'height', values: 1, example: [24] },
      { name: 'size', values: 1, example: [6] },
    ],
    rules:
      'Gray (1, H, W): inside the area x, y, width, height (x along the width) each size×size block becomes its mean; width, height and size at least 2, the area inside the image. Target: the original area, (1, height, width). Random: 64×64, area sides 4–32, blocks 4–16.',
  },
};

export const NOISE = [
  ['off', 'off'],
  ['before', 'before cutting (target noisy too)'],
  ['input_only', 'on the input only (denoising)'],
];

export function defaultTask() {
  return { mode: 'cropout', fixed: {}, noise: 'off' };
}

export function taskJson(task) {
  const spec = { mode: task.mode, noise: task.noise };
  for (const p of MODES[task.mode].params) {
    const v = task.fixed[p.name];
    if (v) spec[p.name] = p.values === 1 ? v[0] : v;
  }
  return JSON.stringify(spec);
}


/** Renders the task controls into `root`; `onChange()` after every edit. */
export function renderTaskControls(root, task, onChange) {
  const mode = MODES[task.mode];
  const modeSelect = el('select', { id: 'task-mode', 'aria-label': 'Task mode' }, ...Object.entries(MODES).map(([id, m]) => el('option', { value: id, text: m.label, selected: id === task.mode })));
  modeSelect.addEventListener('change', () => {
    task.mode = modeSelect.value;
    task.fixed = {};
    renderTaskControls(root, task, onChange);
    onChange();
  });
  const noiseSelect = el('select', { id: 'task-noise', 'aria-label': 'Noise and dropout' }, ...NOISE.map(([id, label]) => el('option', { value: id, text: label, selected: id === task.noise })));
  noiseSelect.addEventListener('change', () => {
    task.noise = noiseSelect.value;
    onChange();
  });

  const params = mode.params.map((p) => {
    const fixed = Boolean(task.fixed[p.name]);
    const box = el('input', { type: 'checkbox', id: `task-fix-${p.name}`, checked: fixed });
    const inputs = Array.from({ length: p.values }, (_, i) => {
      const input = el('input', {
        type: 'number',
        step: 1,
        class: 'num',
        value: (task.fixed[p.name] ?? p.example)[i],
        disabled: !fixed,
        'aria-label': p.values === 2 ? `${p.name} ${i === 0 ? 'X' : 'Y'}` : p.name,
      });
      input.addEventListener('input', () => {
        if (input.value === '' || !Number.isInteger(input.valueAsNumber)) return;
        const current = [...(task.fixed[p.name] ?? p.example)];
        current[i] = input.valueAsNumber;
        task.fixed[p.name] = current;
        onChange();
      });
      return input;
    });
    box.addEventListener('change', () => {
      if (box.checked) task.fixed[p.name] = inputs.map((input) => input.valueAsNumber);
      else delete task.fixed[p.name];
      inputs.forEach((input) => (input.disabled = !box.checked));
      onChange();
    });
    return el(
      'div',
      { class: 'task-param' },
      el('label', { for: `task-fix-${p.name}` }, box, ` ${p.name}`),
      el('span', { class: 'pair' }, ...inputs.flatMap((input, i) => (i ? [el('span', { class: 'dash', text: ',' }), input] : [input]))),
      el('span', { class: 'muted small', text: fixed ? '' : 'random' }),
    );
  });

  root.replaceChildren(
    el('div', { class: 'task-row' }, el('label', { for: 'task-mode', text: 'Mode' }), modeSelect, el('label', { for: 'task-noise', text: 'Noise & dropout' }), noiseSelect),
    el('p', { class: 'rules small', text: mode.rules }),
    el('div', { class: 'task-params' }, ...params),
    el('p', { class: 'muted small', text: 'Unchecked parameters are drawn at random for every pair (and the image is scaled to the mode\'s challenge size). The pipeline\'s flips and colour changes run on the whole image before cutting, so input and target always agree.' }),
  );
}

function canvasOf(picture) {
  const canvas = document.createElement('canvas');
  canvas.width = picture.width;
  canvas.height = picture.height;
  canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(picture.pixels.buffer), picture.width, picture.height), 0, 0);
  return canvas;
}

function paramsText(params) {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? `(${v.join(', ')})` : v}`)
    .join(' · ');
}

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Draws the pairs as rows of original | input | known | target. */
export function drawTaskRows(root, pairs, imageName) {
  const header = el('div', { class: 'pair-row pair-head', 'aria-hidden': 'true' }, ...['original', 'input', 'known mask', 'target'].map((t) => el('span', { text: t })));
  const rows = pairs.map((pair, k) => {
    const info = JSON.parse(pair.describe);
    const stem = (imageName || 'image').replace(/\.[^.]+$/, '');
    const button = el('button', { type: 'button', class: 'small', text: 'Download .npz', title: `Arrays ${Object.keys(info.arrays).join(', ')} for numpy.load` });
    button.addEventListener('click', () => download(pair.npz, `${stem}_${info.mode}_${k}.npz`, 'application/zip'));
    const shapes = Object.entries(info.arrays).map(([n, a]) => `${n} ${a.dtype} (${a.shape.join(', ')}${a.shape.length === 1 ? ',' : ''})`).join(' · ');
    return el(
      'div',
      { class: 'task-pair', 'data-index': k },
      el('div', { class: 'pair-row' }, ...['original', 'input', 'known', 'target'].map((part) => el('figure', { class: `cell part-${part}` }, canvasOf(pair.pictures[part])))),
      el('div', { class: 'pair-info small' }, el('strong', { text: `#${k + 1}` }), el('span', { text: paramsText(info.params) }), el('span', { class: 'muted', text: shapes }), button),
    );
  });
  root.replaceChildren(header, ...rows);
}
