// The pipeline editor, generated from the transform catalog: a new transform in the core needs no
// code here. Each step is {name, p, params: {...}}; the recipe JSON is built from the steps.

import { el } from './dom.js';

const FAMILY_LABELS = {
  flips: 'Flips',
  crop_zoom: 'Crop & zoom',
  rotation: 'Rotation',
  distortion: 'Distortion',
  colour: 'Colour',
  noise: 'Noise',
  dropout: 'Dropout',
  blur_quality: 'Blur & quality',
};

let uid = 0;

export function defaultStep(entry) {
  const params = {};
  for (const spec of entry.params) params[spec.name] = structuredClone(spec.default);
  return { name: entry.name, p: entry.p, params };
}

export function recipeOf(steps) {
  return JSON.stringify({ transforms: steps.map((s) => ({ name: s.name, p: s.p, ...s.params })) });
}


function stepFor(spec) {
  if (spec.type === 'int' || spec.type === 'int_range') return 1;
  const span = spec.max - spec.min;
  return span <= 2 ? 0.01 : span <= 20 ? 0.1 : 1;
}

function numberInput(spec, value, label, onValue) {
  const input = el('input', {
    type: 'number',
    min: spec.min,
    max: spec.max,
    step: stepFor(spec),
    value,
    'aria-label': label,
    class: 'num',
  });
  input.addEventListener('input', () => {
    if (input.value === '' || Number.isNaN(input.valueAsNumber)) return;
    onValue(input.valueAsNumber);
  });
  return input;
}

function control(spec, step, onChange) {
  const id = `param-${++uid}`;
  const value = step.params[spec.name];
  const set = (v) => {
    step.params[spec.name] = v;
    onChange();
  };
  let field;
  switch (spec.type) {
    case 'bool': {
      const box = el('input', { type: 'checkbox', id });
      box.checked = Boolean(value);
      box.addEventListener('change', () => set(box.checked));
      return el('div', { class: 'param param-bool', title: spec.description }, box, el('label', { for: id, text: spec.name }));
    }
    case 'choice': {
      field = el('select', { id }, ...spec.options.map((o) => el('option', { value: o, text: o, selected: o === value })));
      field.addEventListener('change', () => set(field.value));
      break;
    }
    case 'float':
    case 'int':
      field = numberInput(spec, value, spec.name, (v) => set(v));
      field.id = id;
      break;
    case 'fill': {
      // A grey level, "r, g, b", or (where offered) "random" / "random_uniform".
      const text = Array.isArray(value) ? value.join(', ') : String(value);
      field = el('input', { type: 'text', id, value: text, class: 'num fill', 'aria-label': spec.name, placeholder: spec.options ? '0, "r, g, b" or random' : '0 or "r, g, b"' });
      field.addEventListener('change', () => {
        const t = field.value.trim();
        if (spec.options?.includes(t)) set(t);
        else if (t.includes(',')) set(t.split(',').map((x) => Number(x.trim())));
        else set(t === '' ? spec.default : Number(t));
      });
      break;
    }
    default: {
      const pair = [...value];
      const [a, b] = spec.type === 'int_pair' ? ['x', 'y'] : ['low', 'high'];
      const lo = numberInput(spec, pair[0], `${spec.name} ${a}`, (v) => { pair[0] = v; set([...pair]); });
      const hi = numberInput(spec, pair[1], `${spec.name} ${b}`, (v) => { pair[1] = v; set([...pair]); });
      lo.id = id;
      field = el('span', { class: 'pair' }, lo, el('span', { class: 'dash', 'aria-hidden': 'true', text: spec.type === 'int_pair' ? '×' : '–' }), hi);
    }
  }
  return el(
    'div',
    { class: 'param', title: spec.description },
    el('label', { for: id, text: spec.name }),
    field,
    el('small', { class: 'hint', text: spec.description }),
  );
}

/**
 * Renders the pipeline editor into `root`. `state.steps` is edited in place; `onChange()` is
 * called after every edit.
 */
export function renderPipeline(root, state, catalog, onChange) {
  const byName = new Map(catalog.map((e) => [e.name, e]));
  const rerender = () => {
    renderPipeline(root, state, catalog, onChange);
    onChange();
  };
  root.replaceChildren();

  const list = el('ol', { class: 'steps', 'aria-label': 'Pipeline steps, applied top to bottom' });
  state.steps.forEach((step, index) => {
    const entry = byName.get(step.name);
    const pId = `p-${++uid}`;
    const pOut = el('output', { for: pId, text: step.p.toFixed(2) });
    const pInput = el('input', { type: 'range', id: pId, min: 0, max: 1, step: 0.05, value: step.p });
    pInput.addEventListener('input', () => {
      step.p = pInput.valueAsNumber;
      pOut.textContent = step.p.toFixed(2);
      onChange();
    });
    const remove = el('button', {
      type: 'button',
      class: 'icon',
      title: `Remove ${step.name}`,
      'aria-label': `Remove ${step.name}`,
      text: '✕',
      onclick: () => {
        state.steps.splice(index, 1);
        rerender();
      },
    });
    const card = el(
      'li',
      { class: 'step', 'data-index': index, 'data-name': step.name },
      el('div', { class: 'step-head' }, el('span', { class: 'step-no', text: `${index + 1}` }), el('strong', { text: step.name }), remove),
      el('p', { class: 'desc', text: entry?.description ?? '' }),
      entry?.caution ? el('p', { class: 'caution', text: entry.caution }) : null,
      el('div', { class: 'param param-p' }, el('label', { for: pId, text: 'p' }), pInput, pOut),
      ...(entry?.params ?? []).map((spec) => control(spec, step, onChange)),
      el('p', { class: 'step-error', role: 'alert' }),
    );
    list.append(card);
  });
  if (state.steps.length === 0) {
    list.append(el('li', { class: 'empty', text: 'No transforms yet: every sample equals the original. Add one below.' }));
  }

  const select = el('select', { id: 'add-select', 'aria-label': 'Transform to add' });
  const families = new Map();
  for (const entry of catalog) {
    if (!families.has(entry.family)) families.set(entry.family, []);
    families.get(entry.family).push(entry);
  }
  for (const [family, entries] of families) {
    select.append(el('optgroup', { label: FAMILY_LABELS[family] ?? family }, ...entries.map((e) => el('option', { value: e.name, text: e.name, title: e.description }))));
  }
  const add = el('button', {
    type: 'button',
    id: 'add-button',
    text: 'Add',
    onclick: () => {
      state.steps.push(defaultStep(byName.get(select.value)));
      rerender();
    },
  });
  root.append(list, el('div', { class: 'add-row' }, select, add));
}

/** Shows a recipe error on the card it concerns (by the `transforms[i]` in the message). */
export function showStepError(root, message) {
  for (const card of root.querySelectorAll('.step')) {
    card.classList.remove('invalid');
    card.querySelector('.step-error').textContent = '';
  }
  if (!message) return;
  const match = /transforms\[(\d+)\]/.exec(message);
  const card = match && root.querySelector(`.step[data-index="${match[1]}"]`);
  if (card) {
    card.classList.add('invalid');
    card.querySelector('.step-error').textContent = message.replace(/^invalid recipe: /, '');
  }
}
