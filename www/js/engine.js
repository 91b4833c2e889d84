// Main-thread side of the worker pool. Each worker holds its own wasm instance and a copy of the
// current image; a render is split across them by sample index. Seeds are derived per sample, so
// the pixels do not depend on how many workers there are.

export class Engine {
  constructor(size = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2)))) {
    this.workers = Array.from({ length: size }, () => this.#spawn());
    this.nextId = 1;
    this.pending = new Map();
  }

  #spawn() {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => {
      const entry = this.pending.get(data.id);
      if (!entry) return;
      this.pending.delete(data.id);
      if (data.ok) entry.resolve(data);
      else entry.reject(new Error(data.error));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const [id, entry] of this.pending) {
        if (entry.worker === worker) {
          this.pending.delete(id);
          entry.reject(new Error(`the augmentation engine failed to start: ${event.message || 'unknown error'}`));
        }
      }
    };
    return worker;
  }

  #call(worker, message, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Catalog and image limits. */
  hello() {
    return this.#call(this.workers[0], { type: 'hello' });
  }

  /** Puts `image` (an ImageData) into every worker's memory under `key`. */
  async setImage(key, image) {
    await Promise.all(
      this.workers.map((w) => {
        const copy = image.data.slice().buffer;
        return this.#call(w, { type: 'image', key, rgba: copy, width: image.width, height: image.height }, [copy]);
      }),
    );
  }

  /** Frees the image under `key` in every worker. */
  async dropImage(key) {
    await Promise.all(this.workers.map((w) => this.#call(w, { type: 'drop', key })));
  }

  /** Resolves to the normalised recipe, or rejects with the recipe error. */
  async validate(recipe) {
    return (await this.#call(this.workers[0], { type: 'validate', recipe })).recipe;
  }

  /** Sends `message` for samples start..start+count-1, split across the workers by index. */
  #split(message, count, start = 0) {
    const n = this.workers.length;
    const per = Math.ceil(count / n);
    const parts = [];
    for (let i = 0; i < n && i * per < count; i++) {
      const first = i * per;
      parts.push(this.#call(this.workers[i], { ...message, first: start + first, count: Math.min(per, count - first) }));
    }
    return Promise.all(parts);
  }

  /**
   * Renders samples first..first+count-1 of image `key`; returns them in index order. With
   * `files`, each sample carries its PNG and .npy bytes instead of preview pixels.
   */
  async render({ key, recipe, seed, count, imageIndex = 0, first = 0, files = false }) {
    const replies = await this.#split({ type: 'render', key, recipe, seed, imageIndex, files }, count, first);
    return { samples: replies.flatMap((r) => r.samples), millis: Math.max(...replies.map((r) => r.millis)) };
  }

  /** Makes task pairs 0..count-1 of the current image. */
  async task({ key, recipe, task, seed, count, imageIndex = 0 }) {
    const replies = await this.#split({ type: 'task', key, recipe, task, seed, imageIndex }, count);
    return { pairs: replies.flatMap((r) => r.pairs) };
  }
}
