// Turning files into pixels, in the browser: nothing is uploaded anywhere.

/** Longest side of the preview the samples are computed on. */
export const PREVIEW_MAX_SIDE = 512;

/**
 * Decodes an image file (or Blob) into RGBA pixels scaled to the preview size.
 * Throws an Error whose message names the file and what is wrong with it.
 */
export async function decodeImage(file, name, limits, maxSide = PREVIEW_MAX_SIDE) {
  if (!file || file.size === 0) throw new Error(`"${name}" is empty (0 bytes); choose a PNG or JPEG photo.`);
  if (file.type && !file.type.startsWith('image/')) {
    throw new Error(`"${name}" is not an image (${file.type}); choose a PNG or JPEG photo.`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`"${name}" could not be decoded: the file is corrupt or not an image format this browser reads (PNG, JPEG, WebP, GIF, BMP).`);
  }
  try {
    const { width, height } = bitmap;
    if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
      throw new Error(
        `"${name}" is ${width}×${height} pixels, too large: at most ${limits.maxSide} pixels a side and ${(limits.maxPixels / 1e6).toFixed(0)} megapixels.`,
      );
    }
    const scale = Math.min(1, maxSide / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    return { name, width: w, height: h, originalWidth: width, originalHeight: height, pixels: ctx.getImageData(0, 0, w, h) };
  } finally {
    bitmap.close();
  }
}

/** The files of a DataTransfer (drop or paste). */
export function transferFiles(dataTransfer) {
  if (!dataTransfer) return [];
  const files = [];
  for (const item of dataTransfer.items ?? []) {
    if (item.kind === 'file') {
      const file = item.getAsFile();
      if (file) files.push(file);
    }
  }
  return files.length ? files : Array.from(dataTransfer.files ?? []);
}

/** Channels of the smallest exact layout: 1 for gray content, 3 for opaque colour, else 4. */
export function channelsOf(imageData) {
  const d = imageData.data;
  let gray = true;
  let opaque = true;
  for (let i = 0; i < d.length && (gray || opaque); i += 4) {
    if (d[i + 3] !== 255) opaque = false;
    if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) gray = false;
  }
  return gray && opaque ? 1 : opaque ? 3 : 4;
}
