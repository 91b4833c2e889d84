// The pipeline editor, generated from the transform catalog: a new transform in the core needs no
// code here. Steps (see steps.js) are edited in place; cards can be switched off, reordered by
// drag and drop, by their arrow buttons or with Alt+↑/↓, and grouped in OneOf / SomeOf.

import { el } from './dom.js';
import { GROUPS, defaultGroup, defaultStep, isGroup, recipeIndexMap } from './steps.js';

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

/** A CamelCase name with line-break opportunities between its words. */
function breakable(name) {
  const parts = name.split(/(?=[A-Z][a-z])/);
  return parts.flatMap((p, i) => (i ? [document.createElement('wbr'), p] : [p]));
}

/** Moves `list[from]` to position `to`. */
function move(list, from, to) {
  if (to < 0 || to >= list.length || from === to) return false;
  const [item] = list.splice(from, 1);
  list.splice(to, 0, item);
  return true;
}

function familySelect(catalog, id) {
  const select = el('select', { id, 'aria-label': 'Transform to add' });
  const families = new Map();
  for (const entry of catalog) {
    if (!families.has(entry.family)) families.set(entry.family, []);
    families.get(entry.family).push(entry);
  }
  for (const [family, entries] of families) {
    select.append(el('optgroup', { label: FAMILY_LABELS[family] ?? family }, ...entries.map((e) => el('option', { value: e.name, text: e.name, title: e.description }))));
  }
  return select;
}

/**
 * Renders the pipeline editor into `root`. `state.steps` is edited in place; `onChange()` is
 * called after every edit. `focus` (a path like "2" or "1.0") names the card to focus after a
 * structural change.
 */
export function renderPipeline(root, state, catalog, onChange, focus = null) {
  const byName = new Map(catalog.map((e) => [e.name, e]));
  const rerender = (focusPath = null) => {
    renderPipeline(root, state, catalog, onChange, focusPath);
    onChange();
  };
  root.replaceChildren();

  const renderList = (steps, prefix, depth) => {
    const list = el('ol', { class: 'steps', 'aria-label': depth ? 'Transforms in this group' : 'Pipeline steps, applied top to bottom' });
    let dragFrom = null;
    steps.forEach((step, index) => {
      const path = prefix === '' ? String(index) : `${prefix}.${index}`;
      const label = isGroup(step) ? step.name : step.name;
      const moveTo = (to) => {
        if (move(steps, index, to)) rerender(prefix === '' ? String(to) : `${prefix}.${to}`);
      };
      const onBox = el('input', { type: 'checkbox', class: 'enable', 'aria-label': `${label} on` });
      onBox.checked = step.enabled !== false;
      onBox.addEventListener('change', () => {
        step.enabled = onBox.checked;
        card.classList.toggle('off', !onBox.checked);
        onChange();
      });
      const button = (text, title, onclick, disabled = false) => el('button', { type: 'button', class: 'icon', title, 'aria-label': title, text, onclick, disabled });
      const head = el(
        'div',
        { class: 'step-head' },
        el('span', { class: 'handle', title: 'Drag to reorder (or Alt+↑/↓)', 'aria-hidden': 'true', text: '⠿' }),
        el('span', { class: 'step-no', text: `${index + 1}` }),
        onBox,
        el('button', {
          type: 'button',
          class: 'name',
          title: step.collapsed ? `Show ${label}'s settings` : `Hide ${label}'s settings`,
          'aria-expanded': String(!step.collapsed),
          onclick: (e) => {
            step.collapsed = !step.collapsed;
            card.classList.toggle('collapsed', step.collapsed);
            e.currentTarget.setAttribute('aria-expanded', String(!step.collapsed));
          },
        }, ...breakable(label)),
        button('↑', `Move ${label} up`, () => moveTo(index - 1), index === 0),
        button('↓', `Move ${label} down`, () => moveTo(index + 1), index === steps.length - 1),
        button('✕', `Remove ${label}`, () => {
          steps.splice(index, 1);
          rerender();
        }),
      );
      const pId = `p-${++uid}`;
      const pOut = el('output', { for: pId, text: step.p.toFixed(2) });
      const pInput = el('input', { type: 'range', id: pId, min: 0, max: 1, step: 0.05, value: step.p });
      pInput.addEventListener('input', () => {
        step.p = pInput.valueAsNumber;
        pOut.textContent = step.p.toFixed(2);
        onChange();
      });
      const pRow = el('div', { class: 'param param-p' }, el('label', { for: pId, text: 'p' }), pInput, pOut);
      let body;
      if (isGroup(step)) {
        const extra = [];
        if (step.name === 'SomeOf') {
          const nId = `n-${++uid}`;
          const n = el('input', { type: 'number', id: nId, min: 1, max: 64, step: 1, value: step.n, class: 'num' });
          n.addEventListener('input', () => {
            if (Number.isInteger(n.valueAsNumber) && n.valueAsNumber >= 1) {
              step.n = n.valueAsNumber;
              onChange();
            }
          });
          const rId = `r-${++uid}`;
          const r = el('input', { type: 'checkbox', id: rId });
          r.checked = step.replace;
          r.addEventListener('change', () => {
            step.replace = r.checked;
            onChange();
          });
          extra.push(
            el('div', { class: 'param' }, el('label', { for: nId, text: 'n' }), n, el('small', { class: 'hint', text: 'How many of the transforms to apply.' })),
            el('div', { class: 'param param-bool' }, r, el('label', { for: rId, text: 'replace (may pick one twice)' })),
          );
        }
        const childSelect = familySelect(catalog, `add-select-${uid}`);
        const addChild = el('button', {
          type: 'button',
          text: 'Add to group',
          onclick: () => {
            step.children.push(defaultStep(byName.get(childSelect.value)));
            rerender(`${path}.${step.children.length - 1}`);
          },
        });
        body = [
          el('p', { class: 'desc', text: GROUPS[step.name].description }),
          pRow,
          ...extra,
          step.children.length ? renderList(step.children, path, depth + 1) : el('p', { class: 'empty', text: 'Empty group: add a transform to it (an empty group is left out of the recipe).' }),
          el('div', { class: 'add-row' }, childSelect, addChild),
        ];
      } else {
        const entry = byName.get(step.name);
        body = [
          el('p', { class: 'desc', text: entry?.description ?? '' }),
          entry?.caution ? el('p', { class: 'caution', text: entry.caution }) : null,
          pRow,
          ...(entry?.params ?? []).map((spec) => control(spec, step, onChange)),
        ];
      }
      const card = el(
        'li',
        { class: `step${isGroup(step) ? ' group' : ''}${step.enabled === false ? ' off' : ''}${step.collapsed ? ' collapsed' : ''}`, 'data-path': path, 'data-name': step.name, tabindex: '-1' },
        head,
        ...body,
        el('p', { class: 'step-error', role: 'alert' }),
      );
      card.addEventListener('keydown', (e) => {
        if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
        if (e.target.closest('.step') !== card) return;
        e.preventDefault();
        moveTo(index + (e.key === 'ArrowUp' ? -1 : 1));
      });
      // Drag and drop within one list, started from the handle (so text in inputs stays selectable).
      const handle = head.querySelector('.handle');
      handle.addEventListener('pointerdown', () => {
        card.draggable = true;
      });
      card.addEventListener('pointerup', () => {
        card.draggable = false;
      });
      card.addEventListener('dragstart', (e) => {
        if (e.target !== card) return;
        e.stopPropagation();
        dragFrom = index;
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', path);
        card.classList.add('dragging');
      });
      card.addEventListener('dragend', () => {
        card.classList.remove('dragging');
        card.draggable = false;
      });
      card.addEventListener('dragover', (e) => {
        if (dragFrom === null) return;
        e.preventDefault();
        e.stopPropagation();
        card.classList.add('drop-target');
      });
      card.addEventListener('dragleave', () => card.classList.remove('drop-target'));
      card.addEventListener('drop', (e) => {
        if (dragFrom === null) return;
        e.preventDefault();
        e.stopPropagation();
        const from = dragFrom;
        dragFrom = null;
        if (move(steps, from, index)) rerender(prefix === '' ? String(index) : `${prefix}.${index}`);
      });
      list.append(card);
    });
    return list;
  };

  const list = state.steps.length ? renderList(state.steps, '', 0) : el('ol', { class: 'steps' }, el('li', { class: 'empty', text: 'No transforms yet: every sample equals the original. Add one below or pick a preset.' }));
  const select = familySelect(catalog, 'add-select');
  const add = el('button', {
    type: 'button',
    id: 'add-button',
    text: 'Add',
    onclick: () => {
      state.steps.push(defaultStep(byName.get(select.value)));
      rerender(String(state.steps.length - 1));
    },
  });
  const group = (name) =>
    el('button', {
      type: 'button',
      class: 'secondary',
      id: `add-${name}`,
      text: `+ ${name}`,
      title: GROUPS[name].description,
      onclick: () => {
        state.steps.push(defaultGroup(name));
        rerender(String(state.steps.length - 1));
      },
    });
  root.append(list, el('div', { class: 'add-row' }, select, add), el('div', { class: 'add-row groups' }, el('span', { class: 'muted small', text: 'Groups:' }), group('OneOf'), group('SomeOf')));
  if (focus !== null) root.querySelector(`.step[data-path="${focus}"]`)?.focus();
}

/**
 * Shows a recipe error on the card it concerns: the message names `transforms[i]` of the recipe,
 * which leaves out switched-off steps, so `steps` maps it back to the editor's card.
 */
export function showStepError(root, message, steps = []) {
  for (const card of root.querySelectorAll('.step')) {
    card.classList.remove('invalid');
    const error = card.querySelector(':scope > .step-error');
    if (error) error.textContent = '';
  }
  if (!message) return;
  const match = /transforms\[(\d+)\]/.exec(message);
  const index = match ? recipeIndexMap(steps)[Number(match[1])] : undefined;
  const card = index !== undefined && root.querySelector(`.step[data-path="${index}"]`);
  if (card) {
    card.classList.add('invalid');
    card.querySelector(':scope > .step-error').textContent = message.replace(/^invalid recipe: /, '');
  }
}
