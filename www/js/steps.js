// The pipeline as the page edits it, and its conversions: to the recipe the engine runs, from a
// recipe someone loads, and to the compact form kept in share links.
//
// A step is {name, p, params, enabled} for a transform, or {name: 'OneOf' | 'SomeOf', p, n,
// replace, children, enabled} for a group. Disabled steps and empty groups stay in the editor
// (and in links) but not in the recipe.

export const GROUPS = {
  OneOf: { p: 0.5, description: 'Applies exactly one of its transforms, chosen at random (weighted by their p).' },
  SomeOf: { p: 1, description: 'Applies n of its transforms, chosen at random, in the order listed.' },
};

export function isGroup(step) {
  return step.name in GROUPS;
}

export function defaultStep(entry) {
  const params = {};
  for (const spec of entry.params) params[spec.name] = structuredClone(spec.default);
  return { name: entry.name, p: entry.p, params, enabled: true };
}

export function defaultGroup(name) {
  return { name, p: GROUPS[name].p, n: 1, replace: false, children: [], enabled: true };
}

function recipeStep(step) {
  if (!isGroup(step)) return { name: step.name, p: step.p, ...step.params };
  const transforms = step.children.filter(live).map(recipeStep);
  const out = { name: step.name, p: step.p, transforms };
  if (step.name === 'SomeOf') Object.assign(out, { n: step.n, replace: step.replace });
  return out;
}

/** Whether a step takes part in the recipe. */
function live(step) {
  return step.enabled !== false && (!isGroup(step) || step.children.some(live));
}

/** The recipe object the engine runs. */
export function recipeObject(steps) {
  return { transforms: steps.filter(live).map(recipeStep) };
}

export function recipeOf(steps) {
  return JSON.stringify(recipeObject(steps));
}

/** For each step of the recipe (by index), the index of the editor step it came from. */
export function recipeIndexMap(steps) {
  return steps.map((s, i) => (live(s) ? i : -1)).filter((i) => i >= 0);
}

/**
 * Editor steps from a recipe object already normalised by the engine (every parameter present).
 * Unknown names throw, so callers validate first.
 */
export function stepsFromRecipe(recipe, catalog) {
  const byName = new Map(catalog.map((e) => [e.name, e]));
  const convert = (t) => {
    if (t.name in GROUPS) {
      return { name: t.name, p: t.p, n: t.n ?? 1, replace: Boolean(t.replace), children: t.transforms.map(convert), enabled: true };
    }
    const entry = byName.get(t.name);
    if (!entry) throw new Error(`unknown transform '${t.name}'`);
    const step = defaultStep(entry);
    step.p = t.p ?? entry.p;
    for (const spec of entry.params) if (spec.name in t) step.params[spec.name] = structuredClone(t[spec.name]);
    return step;
  };
  return recipe.transforms.map(convert);
}

// ---------- compact form for links: only what differs from the catalog defaults ----------

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export function compactSteps(steps, catalog) {
  const byName = new Map(catalog.map((e) => [e.name, e]));
  const compact = (s) => {
    const out = { n: s.name, p: s.p };
    if (s.enabled === false) out.off = 1;
    if (isGroup(s)) {
      out.c = s.children.map(compact);
      if (s.name === 'SomeOf') Object.assign(out, { k: s.n, r: s.replace ? 1 : 0 });
      return out;
    }
    const entry = byName.get(s.name);
    const changed = {};
    for (const spec of entry?.params ?? []) if (!same(s.params[spec.name], spec.default)) changed[spec.name] = s.params[spec.name];
    if (Object.keys(changed).length) out.a = changed;
    return out;
  };
  return steps.map(compact);
}

export function expandSteps(compact, catalog) {
  const byName = new Map(catalog.map((e) => [e.name, e]));
  const expand = (c) => {
    if (typeof c !== 'object' || c === null || typeof c.n !== 'string') throw new Error('a step in the link is malformed');
    if (c.n in GROUPS) {
      return { ...defaultGroup(c.n), p: c.p ?? GROUPS[c.n].p, n: c.k ?? 1, replace: Boolean(c.r), children: (c.c ?? []).map(expand), enabled: !c.off };
    }
    const entry = byName.get(c.n);
    if (!entry) throw new Error(`the link names an unknown transform '${c.n}'`);
    const step = defaultStep(entry);
    step.p = typeof c.p === 'number' ? c.p : entry.p;
    step.enabled = !c.off;
    for (const [k, v] of Object.entries(c.a ?? {})) if (k in step.params) step.params[k] = v;
    return step;
  };
  if (!Array.isArray(compact)) throw new Error('the pipeline in the link is malformed');
  return compact.map(expand);
}
