// augplay (wasm, fast path, one thread, node) against albumentations (OpenCV, one thread) on the
// same photo in the same run: time per image and the ratio per transform, 256² and 512².
// Run with `bash bench/run.sh` (it installs albumentations into bench/.venv first).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { FIVE_STEPS, loadWasm, readPng, ROOT } from '../tests/node/support.mjs';

// glibc 2.36 makes larger copies with `rep movsb`, which on this machine's AMD processors runs 13×
// slower when the destination lies a few bytes past the source modulo 4 KiB (measured: numpy's
// copy of a 256² RGB image 70 µs instead of 5). Where each buffer lands is luck, so a case's time
// could double between runs (albumentations' RandomGamma: 52 or 115 µs). Both sides run with
// that path off (the tunable passes to the Python server with the environment): every copy at
// its best, whatever the placement.
const TUNABLE = 'glibc.cpu.x86_rep_movsb_threshold=4294967295';
if (!(process.env.GLIBC_TUNABLES || '').includes(TUNABLE)) {
  const tunables = [process.env.GLIBC_TUNABLES, TUNABLE].filter(Boolean).join(':');
  const rerun = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, GLIBC_TUNABLES: tunables } });
  process.exit(rerun.status ?? 1);
}

const SIZES = [256, 512];
// `--only A,B` limits the run to those transforms (and the pipeline), for quick iteration.
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
// `--rounds=N` sets how many turns each side gets per case (default 3).
const roundsArg = process.argv.find((a) => a.startsWith('--rounds='));
const ROUNDS = roundsArg ? Math.max(1, Number(roundsArg.slice(9)) | 0) : 3;
const cases = JSON.parse(readFileSync(join(ROOT, 'bench', 'cases.json'), 'utf8')).filter(([name]) => !only || only.has(name));
const photoPath = join(ROOT, 'www', 'samples', 'astronaut.png');
const photo = readPng(photoPath);
const wasm = await loadWasm();

/** Area-downscale by an integer factor (what OpenCV's INTER_AREA does for whole factors). */
function shrink(img, size) {
  const f = img.width / size;
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += img.rgba[((y * f + dy) * img.width + x * f + dx) * 4 + c];
        out[(y * size + x) * 4 + c] = Math.round(s / (f * f));
      }
  return out;
}

function time(fn) {
  for (let i = 0; i < 5; i++) fn(i);
  const batches = [];
  const deadline = performance.now() + 250;
  let i = 0;
  while (batches.length < 5 || performance.now() < deadline) {
    const t0 = performance.now();
    for (let k = 0; k < 5; k++) fn(i++);
    batches.push(((performance.now() - t0) / 5) * 1000);
  }
  batches.sort((a, b) => a - b);
  return batches[batches.length >> 1];
}

const PIPELINE = FIVE_STEPS;

// The albumentations side runs as a server (bench/albumentations_times.py) so the two sides can
// take turns case by case: a slow phase of this shared machine then hits both, not one.
const python = process.env.BENCH_PYTHON || join(ROOT, 'bench', '.venv', 'bin', 'python');
/** Starts the timing server with the environment `env`; `time(name, code, size)` asks it for
 * one case, `end()` stops it. */
async function albumentationsServer(env) {
  const proc = spawn(python, [join(ROOT, 'bench', 'albumentations_times.py'), photoPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  const replies = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const reply = async () => {
    const { value, done } = await replies.next();
    if (done) throw new Error('the albumentations timing server stopped (is albumentations installed? bash bench/run.sh installs it)');
    return JSON.parse(value);
  };
  const { version, opencv, tables } = await reply();
  return {
    version,
    opencv,
    tables,
    async time(name, code, size) {
      proc.stdin.write(`${JSON.stringify({ name, code, size })}\n`);
      return (await reply()).us;
    },
    end: () => proc.stdin.end(),
  };
}
// glibc hands blocks above 128 KB back to the system when freed and maps them anew (page faults
// on every touch) until its thresholds adapt, so albumentations' time for a call depended on
// what ran before it (GaussNoise at 256²: 950–4100 µs in one process). Both thresholds are set
// high (the mmap one at its 32 MiB maximum): albumentations runs at its steady best, whatever
// the order.
const server = await albumentationsServer({ ...process.env, MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(1 << 30) });
const { version, opencv, tables } = server;

// A plain JS copy of the same RGBA buffer: the floor for flips. Measured before the cases and
// again after them; the lower stands.
const copy = {};
function measureCopy() {
  for (const s of SIZES) {
    const src = shrink(photo, s);
    // The same element type on both sides: the engine's plain memory copy.
    const dst = new Uint8Array(src.length);
    const t = Math.min(...Array.from({ length: ROUNDS }, () => time(() => dst.set(src))));
    copy[s] = Math.min(copy[s] ?? Infinity, t);
  }
}
measureCopy();

// ROUNDS rounds, each over every case and size: a turn of augplay then one of albumentations.
// Each side keeps its best (lowest) median, the estimate least disturbed by other work on the
// machine; since a round visits every case before the next begins, a slow phase of the machine
// (seconds to a minute here) spoils one round of a case, not all of them.
const ours = {};
const theirs = {};
const images = Object.fromEntries(SIZES.map((s) => [s, wasm.RgbaImage.fromRgba(shrink(photo, s), s, s)]));
const all = [...cases, ['pipeline', null, null]].map(([name, params, code]) => {
  const recipe = params ? { transforms: [{ name, p: 1, ...params }] } : PIPELINE;
  ours[name] = {};
  theirs[name] = {};
  const pipeline = wasm.Pipeline.fromJson(JSON.stringify(recipe));
  // The result objects each case's loop refills (the fast path of a loop over samples).
  const results = Object.fromEntries(SIZES.map((s) => [s, pipeline.applyTo(images[s], 0)]));
  return { name, code, pipeline, results };
});
for (let r = 0; r < ROUNDS; r++) {
  for (const { name, code, pipeline, results } of all) {
    for (const s of SIZES) {
      const a = time((i) => {
        pipeline.applyInto(images[s], i, results[s]);
        results[s].rgbaView();
      });
      ours[name][s] = Math.min(ours[name][s] ?? Infinity, a);
      theirs[name][s] = Math.min(theirs[name][s] ?? Infinity, await server.time(name, code, s));
    }
  }
  process.stderr.write('.');
}
all.forEach(({ pipeline, results }) => {
  Object.values(results).forEach((r) => r.free());
  pipeline.free();
});
process.stderr.write('\n');
server.end();

// albumentations as a training loop runs it without tuning: each case in a fresh process with
// glibc's defaults, at 256², the better of two such processes. Freed blocks above the mmap
// threshold then go back to the system and fault in again on the next call, which costs some
// transforms more than their work.
const plainEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'GLIBC_TUNABLES' && !k.startsWith('MALLOC_')));
async function plainTime(name, code) {
  const fresh = await albumentationsServer(plainEnv);
  const us = await fresh.time(name, code, 256);
  fresh.end();
  return us;
}
// The better of two fresh processes per case.
const plain = {};
for (let r = 0; r < 2; r++) {
  for (const { name, code } of all) {
    plain[name] = Math.min(plain[name] ?? Infinity, await plainTime(name, code));
    process.stderr.write(',');
  }
}
process.stderr.write('\n');
// The JS copy again, at the end (the lower of the two stands).
measureCopy();

/** The processor with the widest x86 vector extensions it offers: the native side's vectors are
 * as wide as those (OpenCV and numpy pick their code when they load), wasm's are 128 bits on
 * every machine, so the ratios depend on it. */
function processor() {
  let info = '';
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return cpus()[0].model;
  }
  const field = (key) => (info.match(new RegExp(`^${key}\\s*: (.*)$`, 'm')) || [])[1] ?? '?';
  const flags = new Set(field('flags').split(' '));
  const vectors = flags.has('avx512vbmi') ? 'AVX-512 with VBMI' : flags.has('avx512bw') ? 'AVX-512' : flags.has('avx2') ? 'AVX2' : flags.has('sse4_2') ? 'SSE4.2' : 'no AVX';
  return `${cpus()[0].model} (family ${field('cpu family')}, model ${field('model')}; vectors up to ${vectors})`;
}

const wasmBytes = readFileSync(join(ROOT, 'www', 'pkg', 'augplay_bg.wasm'));
const { gzipSync } = await import('node:zlib');
const lines = [];
lines.push(`Machine: ${processor()}, ${cpus().length} cores; node ${process.versions.node}; albumentations ${version} (OpenCV ${opencv}; byte tables: ${tables})`);
lines.push(`augplay wasm: ${(wasmBytes.length / 1024).toFixed(0)} KB, ${(gzipSync(wasmBytes, { level: 9 }).length / 1024).toFixed(0)} KB gzipped. One thread each; augplay through \`RgbaImage\` and \`applyInto\` (image resident in wasm memory, one result refilled, its pixels viewed); µs per image: the best of ${ROUNDS} rounds over all cases (each the median of 250 ms of batches), the two sides taking turns case by case (albumentations with glibc's mmap threshold at its 32 MiB maximum and no trimming, so freed memory is reused without page faults; both sides with glibc's \`rep movsb\` copies off, whose speed depends on buffer placement); ratio = albumentations ÷ augplay.`);
lines.push('The ratios depend on the processor: wasm\'s vectors are 128 bits wide on every machine, the native side\'s as wide as the processor offers. Most of all for per-value tables (RandomBrightnessContrast, RandomGamma and Solarize in albumentations): stringzilla\'s `translate` with AVX-512 VBMI looks up 64 bytes per instruction in all 256 entries, with AVX2 it takes several steps per 32 bytes, and wasm\'s widest byte lookup is a 16-entry swizzle (augplay computes those maps arithmetically where it can, else reads the table value by value).');
lines.push(`Pipeline: ${PIPELINE.transforms.map((t) => t.name).join(' + ')}.`);
lines.push('');
lines.push(`| transform | ${SIZES.map((s) => `augplay ${s}² | albumentations ${s}² | ratio ${s}²`).join(' | ')} |`);
lines.push(`|---|${SIZES.map(() => '---:|---:|---:').join('|')}|`);
for (const [name] of [...cases, ['pipeline']]) {
  const cells = SIZES.map((s) => {
    const a = ours[name][s];
    const b = theirs[name][s];
    return `${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(1)}×`;
  });
  lines.push(`| ${name} | ${cells.join(' | ')} |`);
}
lines.push(`| (JS copy of the RGBA, TypedArray.set) | ${SIZES.map((s) => `${copy[s].toFixed(1)} | | `).join(' | ')} |`);
lines.push('');
lines.push('albumentations untuned, as a plain training loop runs it: each case alone in a fresh process with glibc\'s defaults (no allocator settings, `rep movsb` copies on; the better of two processes), 256², against the augplay times above. Where the two albumentations columns differ, freed memory going back to the system and faulting in again (or a copy landing badly) costs it more than its work.');
lines.push('');
lines.push('| transform | augplay 256² | albumentations untuned 256² | ratio |');
lines.push('|---|---:|---:|---:|');
for (const [name] of [...cases, ['pipeline']]) {
  lines.push(`| ${name} | ${ours[name][256].toFixed(1)} | ${plain[name].toFixed(1)} | ${(plain[name] / ours[name][256]).toFixed(1)}× |`);
}
const table = lines.join('\n');
console.log(table);
if (process.argv.includes('--write') && !only) {
  // Earlier runs on other processors, kept by hand below this heading, stay.
  const path = join(ROOT, 'BENCHMARKS.md');
  const EARLIER = '\n## Earlier runs on other processors\n';
  let earlier = '';
  try {
    const old = readFileSync(path, 'utf8');
    earlier = old.includes(EARLIER) ? old.slice(old.indexOf(EARLIER)) : '';
  } catch {}
  writeFileSync(path, `# Benchmarks\n\nMade by \`bash bench/run.sh\` on ${new Date().toISOString().slice(0, 10)}.\n\n${table}\n${earlier}`);
}
