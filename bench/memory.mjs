// Peak wasm memory for one 4096×4096 RGBA image through the 5-transform pipeline (flip, rotate,
// colour jitter, noise, coarse dropout), in a fresh instance. Wasm memory never shrinks, so its
// size after the apply is the peak. Usage: node bench/memory.mjs
import { FIVE_STEPS, loadWasm } from '../tests/node/support.mjs';

const wasm = await loadWasm();
const MB = 1024 * 1024;
const side = 4096;
const start = wasm.wasmMemory.buffer.byteLength;
const rgba = new Uint8Array(side * side * 4);
for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 2654435761) >>> 24;
const pipeline = wasm.Pipeline.fromJson(JSON.stringify(FIVE_STEPS));
const image = wasm.RgbaImage.fromRgba(rgba, side, side);
const resident = wasm.wasmMemory.buffer.byteLength;
const t0 = performance.now();
const out = pipeline.applyTo(image, 1);
const millis = performance.now() - t0;
out.rgbaView();
const peak = wasm.wasmMemory.buffer.byteLength;
out.free();
const again = pipeline.applyTo(image, 2);
again.free();
const second = wasm.wasmMemory.buffer.byteLength;
console.log(`4096×4096 RGBA (${(side * side * 4 / MB).toFixed(0)} MiB): wasm memory ${(start / MB).toFixed(1)} MiB at start, ${(resident / MB).toFixed(1)} MiB with the image resident, peak ${(peak / MB).toFixed(1)} MiB during the 5-transform apply (${millis.toFixed(0)} ms); after a second apply ${(second / MB).toFixed(1)} MiB`);
