// Runs the page's albumentations code export for every catalog transform (defaults) and every
// preset through the real albumentations: each must construct without an error. bench/run.sh runs
// it with the albumentations it installs; BENCH_PYTHON=path/to/python picks another.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { albumentationsCode } from '../www/js/pycode.js';
import { PRESETS } from '../www/js/presets.js';
import { defaultGroup, defaultStep, stepsFromRecipe } from '../www/js/steps.js';
import { loadWasm, ROOT } from '../tests/node/support.mjs';

const wasm = await loadWasm();
const catalog = wasm.transformCatalog();
const everything = catalog.map((e) => defaultStep(e));
const some = defaultGroup('SomeOf');
some.children = [defaultStep(catalog[0]), defaultStep(catalog[1])];
const one = defaultGroup('OneOf');
one.children = [defaultStep(catalog[2])];
everything.push(some, one);
const programs = [albumentationsCode(everything, 3), ...PRESETS.map((p) => albumentationsCode(stepsFromRecipe(p.recipe, catalog), 1))];
const python = process.env.BENCH_PYTHON || join(ROOT, 'bench', '.venv', 'bin', 'python');
for (const [i, code] of programs.entries()) {
  try {
    execFileSync(python, ['-c', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    console.error(`${i === 0 ? 'every transform' : PRESETS[i - 1].id}: albumentations refused the code:\n${error.stderr}`);
    process.exit(1);
  }
}
console.log(`albumentations code for ${catalog.length} transforms and ${PRESETS.length} presets constructs with albumentations`);
