// Turning files into pixels, in the browser: nothing is uploaded anywhere.

/** Longest side of the preview the samples are computed on. */
export const PREVIEW_MAX_SIDE = 512;

/**
 * Decodes an image file (or Blob) into RGBA pixels scaled to the preview size.
 * Throws an Error whose message names the file and what is wrong with it.
 */
export async function decodeImage(file, name, limits) {
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
    const scale = Math.min(1, PREVIEW_MAX_SIDE / Math.max(width, height));
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

/** The first image file of a DataTransfer (drop or paste), or null. */
export function firstImageFile(dataTransfer) {
  if (!dataTransfer) return null;
  for (const item of dataTransfer.items ?? []) {
    if (item.kind === 'file') {
      const file = item.getAsFile();
      if (file) return file;
    }
  }
  return dataTransfer.files?.[0] ?? null;
}
