// The augmentation engine, off the main thread: one wasm instance, the gallery's images resident
// in wasm memory (by key), pipelines cached by recipe text. Requests: {id, type, ...}; replies:
// {id, ok, ...} or {id, error}.
import init, { Pipeline, RgbaImage, Task, transformCatalog, sampleSeed, imageLimits, version } from '../pkg/augplay.js';

const ready = init();
const resident = new Map(); // key -> RgbaImage
let cached = { recipe: null, pipeline: null };

function pipelineFor(recipe) {
  if (cached.recipe !== recipe) {
    const pipeline = Pipeline.fromJson(recipe); // throws with a message naming the bad field
    cached.pipeline?.free();
    cached = { recipe, pipeline };
  }
  return cached.pipeline;
}

const handlers = {
  hello() {
    return { catalog: transformCatalog(), limits: imageLimits(), version: version() };
  },

  image({ key, rgba, width, height }) {
    const image = RgbaImage.fromRgba(new Uint8Array(rgba), width, height);
    resident.get(key)?.free();
    resident.set(key, image);
    return {};
  },

  drop({ key }) {
    resident.get(key)?.free();
    resident.delete(key);
    return {};
  },

  validate({ recipe }) {
    return { recipe: JSON.parse(pipelineFor(recipe).recipeJson()) };
  },

  render({ key, recipe, seed, imageIndex, first, count, files = false }) {
    const image = residentImage(key);
    const pipeline = pipelineFor(recipe);
    const samples = [];
    const transfer = [];
    const started = performance.now();
    // Previews (at most 512 pixels a side) refill one result object sample by sample. Exports
    // run at full size, where refilling would hold two images at once: each sample's result is
    // freed before the next is made.
    let out = null;
    try {
      for (let k = first; k < first + count; k++) {
        const sampleSeedValue = sampleSeed(seed, imageIndex, k);
        if (out && !files) {
          pipeline.applyInto(image, sampleSeedValue, out);
        } else {
          out?.free();
          out = null;
          out = pipeline.applyTo(image, sampleSeedValue);
        }
        if (files) {
          // For exports: the PNG and .npy files, no preview pixels.
          const png = out.png();
          const npy = out.npy();
          samples.push({ index: k, seed: sampleSeedValue, width: out.width, height: out.height, png, npy, log: out.log });
          transfer.push(png.buffer, npy.buffer);
        } else {
          const pixels = out.rgbaView().slice(); // copy out of wasm memory before the next call
          samples.push({ index: k, seed: sampleSeedValue, width: out.width, height: out.height, pixels, log: out.log });
          transfer.push(pixels.buffer);
        }
      }
    } finally {
      out?.free();
    }
    return { reply: { samples, millis: performance.now() - started }, transfer };
  },
};

function residentImage(key) {
  const image = resident.get(key);
  if (!image) throw new Error('internal: the image is not loaded in the worker');
  return image;
}

handlers.task = ({ key, recipe, task, seed, imageIndex, first, count }) => {
  const image = residentImage(key);
  const runner = Task.fromJson(task, pipelineFor(recipe));
  const pairs = [];
  const transfer = [];
  try {
    for (let k = first; k < first + count; k++) {
      const result = runner.run(image, sampleSeed(seed, imageIndex, k));
      try {
        const pictures = {};
        for (const part of ['original', 'input', 'known', 'target']) {
          const picture = result.picture(part);
          pictures[part] = { width: picture.width, height: picture.height, pixels: picture.rgba() };
          picture.free();
          transfer.push(pictures[part].pixels.buffer);
        }
        const npz = result.npz();
        transfer.push(npz.buffer);
        pairs.push({ index: k, pictures, npz, describe: result.describeJson() });
      } finally {
        result.free();
      }
    }
  } finally {
    runner.free();
  }
  return { reply: { pairs }, transfer };
};

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  try {
    await ready;
    const handler = handlers[type];
    if (!handler) throw new Error(`internal: unknown request '${type}'`);
    const result = handler(data);
    const { reply = result, transfer = [] } = result.reply ? result : { reply: result };
    self.postMessage({ id, ok: true, ...reply }, transfer);
  } catch (error) {
    self.postMessage({ id, ok: false, error: String(error?.message ?? error) });
  }
};
