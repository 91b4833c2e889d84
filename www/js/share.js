// The page's whole state in the URL hash, so a link (or a reload) brings it back:
// #s=<base64url JSON>, plus `&embed=1` for the compact embedded view. Images the user brought
// are never put in a link: they stay on their computer.

import { compactSteps, expandSteps } from './steps.js';

const VERSION = 1;

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The hash for a state: {steps, seed, image (bundled file or null), view, task, count, pairs}. */
export function encodeState(state, catalog, { embed = false } = {}) {
  const payload = { v: VERSION, p: compactSteps(state.steps, catalog), seed: state.seed, view: state.view, count: state.count, pairs: state.pairs, task: state.task };
  if (state.bundled) payload.img = state.bundled;
  return `#s=${toBase64Url(JSON.stringify(payload))}${embed ? '&embed=1' : ''}`;
}

/** Options in the hash besides the state (e.g. embed). */
export function hashFlags(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { embed: params.get('embed') === '1', hasState: params.has('s') };
}

/**
 * Reads the state in `hash`, or null when there is none. Throws an Error saying what is wrong
 * with a damaged link.
 */
export function decodeState(hash, catalog) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const s = params.get('s');
  if (!s) return null;
  let payload;
  try {
    payload = JSON.parse(fromBase64Url(s));
  } catch {
    throw new Error('the link is damaged (its state is not readable); showing the default pipeline instead');
  }
  if (payload?.v !== VERSION) throw new Error(`the link was made by another version of augplay (state version ${payload?.v}); showing the default pipeline instead`);
  const out = { steps: expandSteps(payload.p, catalog) };
  if (Number.isInteger(payload.seed) && payload.seed >= 0 && payload.seed <= Number.MAX_SAFE_INTEGER) out.seed = payload.seed;
  if (payload.view === 'task' || payload.view === 'samples') out.view = payload.view;
  if (Number.isInteger(payload.count)) out.count = payload.count;
  if (Number.isInteger(payload.pairs)) out.pairs = payload.pairs;
  if (payload.task && typeof payload.task === 'object' && typeof payload.task.mode === 'string') out.task = payload.task;
  if (typeof payload.img === 'string') out.image = payload.img;
  return out;
}
