// Helpers shared by the node tests: the built wasm package, the native CLI, PNG decoding.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'target', 'release', 'augplay');

/** The wasm package from www/pkg, initialised for node. */
export async function loadWasm() {
  const pkg = process.env.AUGPLAY_PKG || join(ROOT, 'www', 'pkg');
  if (!existsSync(join(pkg, 'augplay_bg.wasm'))) throw new Error('www/pkg is missing: run scripts/setup.sh first');
  const api = await import(join(pkg, 'augplay.js'));
  const exports = await api.default({ module_or_path: readFileSync(join(pkg, 'augplay_bg.wasm')) });
  // The instance's linear memory, for tests and benchmarks that watch its size.
  return { ...api, wasmMemory: exports.memory };
}

/** The five-step pipeline the performance issue names: flip, rotate, colour jitter, noise, dropout
 * (benchmarks, the page budget and the memory test all use it). */
export const FIVE_STEPS = {
  transforms: [
    { name: 'HorizontalFlip', p: 0.5 },
    { name: 'Rotate', p: 1, limit: 30 },
    { name: 'ColorJitter', p: 1 },
    { name: 'GaussNoise', p: 1, std_range: [0.05, 0.1] },
    { name: 'CoarseDropout', p: 1 },
  ],
};

/** Decodes a PNG file into { width, height, rgba } (pngjs always yields RGBA). */
export function readPng(path) {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
}

/** Runs `augplay apply` on images into a fresh folder; returns { dir, manifest }. */
export function runCli(recipe, seed, count, images) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run cargo build --release first`);
  const dir = mkdtempSync(join(tmpdir(), 'augplay-cli-'));
  const recipePath = join(dir, 'recipe.json');
  execFileSync('bash', ['-c', 'cat > "$1"', '_', recipePath], { input: recipe });
  execFileSync(CLI, ['apply', '--recipe', recipePath, '--seed', String(seed), '--count', String(count), '--out', join(dir, 'out'), ...images], { stdio: 'pipe' });
  return { dir: join(dir, 'out'), manifest: JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')) };
}

/** Drops alpha: RGBA bytes → RGB bytes. */
export function rgbOf(rgba) {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    out[j] = rgba[i];
    out[j + 1] = rgba[i + 1];
    out[j + 2] = rgba[i + 2];
  }
  return out;
}

/** FNV-1a 64 as in tests/common/mod.rs. */
export function fnv1a(hash, bytes) {
  const prime = 0x100000001b3n;
  const mask = (1n << 64n) - 1n;
  for (const b of bytes) hash = ((hash ^ BigInt(b)) * prime) & mask;
  return hash;
}
export const FNV_OFFSET = 0xcbf29ce484222325n;

/** The golden case of tests/common/mod.rs, read from that file so the two cannot drift. */
export function golden() {
  const src = readFileSync(join(ROOT, 'tests', 'common', 'mod.rs'), 'utf8');
  const recipe = /GOLDEN_RECIPE: &str = r#"([\s\S]*?)"#;/.exec(src)[1];
  const num = (name) => /0x[\da-f_]+|\d[\d_]*/i.exec(new RegExp(`${name}: u64 = ([^;]+);`).exec(src)[1])[0].replaceAll('_', '');
  return {
    recipe,
    seed: Number(num('GOLDEN_SEED')),
    samples: Number(num('GOLDEN_SAMPLES')),
    hash: BigInt(num('GOLDEN_HASH')),
    image: join(ROOT, 'tests', 'fixtures', 'chelsea_128x96.png'),
  };
}

/** The entries of a zip archive with stored (uncompressed) entries: Map name → bytes. */
export function unzip(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive (no end record)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (method !== 0) throw new Error(`${name} is compressed (method ${method})`);
    const local = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    entries.set(name, bytes.subarray(local, local + size));
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}
