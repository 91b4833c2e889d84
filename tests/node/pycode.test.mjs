// The page's Python export: what albumentations and torchvision would reject or misread.
// (bench/python_code.mjs runs the output through the real albumentations.)
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { albumentationsCode, py, torchvisionCode } from '../../www/js/pycode.js';
import { defaultStep } from '../../www/js/steps.js';
import { loadWasm } from './support.mjs';

let byName;
before(async () => {
  const wasm = await loadWasm();
  byName = new Map(wasm.transformCatalog().map((e) => [e.name, e]));
});

const step = (name, params = {}, p = 1) => {
  const s = defaultStep(byName.get(name));
  return { ...s, p, params: { ...s.params, ...params } };
};

describe('Python code export', () => {
  it('writes Python values: tuples, True/False, quoted strings', () => {
    assert.equal(py([0.1, 2]), '(0.1, 2)');
    assert.equal(py([7]), '(7,)');
    assert.equal(py(true), 'True');
    assert.equal(py('reflect'), "'reflect'");
  });

  it('gives albumentations only one of its mutually exclusive parameters', () => {
    const shifted = albumentationsCode([step('Affine', { translate_px: [5, -3] })], 1);
    assert.match(shifted, /translate_px=\(5, -3\)/);
    assert.doesNotMatch(shifted, /translate_percent/);
    const plain = albumentationsCode([step('Affine')], 1);
    assert.doesNotMatch(plain, /translate_px|translate_percent/);
    const grid = albumentationsCode([step('GridDropout')], 1);
    assert.doesNotMatch(grid, /holes_number_xy|unit_size_range/);
    const crop = albumentationsCode([step('CropAndPad', { px: [-4, 4] })], 1);
    assert.match(crop, /px=\(-4, 4\)/);
    assert.doesNotMatch(crop, /percent=/);
  });

  it('uses OpenCV constants for borders and interpolation, comments for augplay-only features', () => {
    const code = albumentationsCode([step('Rotate', { border_mode: 'reflect', interpolation: 'cubic' }), step('DropBlock'), step('PixelDropout', { compensate: true })], 9);
    assert.match(code, /A\.Rotate\(limit=\(-90, 90\), interpolation=cv2\.INTER_CUBIC, border_mode=cv2\.BORDER_REFLECT_101/);
    assert.match(code, /# DropBlock\(.*augplay only/);
    // Resizes go through cv2.resize, whose centre-aligned nearest is INTER_NEAREST_EXACT.
    const resized = albumentationsCode([step('Resize', { interpolation: 'nearest' }), step('Rotate', { interpolation: 'nearest' })], 1);
    assert.match(resized, /A\.Resize\(height=256, width=256, interpolation=cv2\.INTER_NEAREST_EXACT, mask_interpolation=cv2\.INTER_NEAREST_EXACT/);
    assert.match(resized, /A\.Rotate\(.*interpolation=cv2\.INTER_NEAREST,.*mask_interpolation=cv2\.INTER_NEAREST\b/);
    assert.match(code, /A\.PixelDropout\(.*\),  # compensate=True: augplay only/);
    assert.match(code, /seed=9\)/);
  });

  it('maps to torchvision v2 where it has the transform and says so where not', () => {
    const code = torchvisionCode([step('HorizontalFlip', {}, 0.5), step('ColorJitter', {}, 0.8), step('ChannelShuffle')], 4);
    assert.match(code, /v2\.RandomHorizontalFlip\(p=0\.5\)/);
    assert.match(code, /v2\.RandomApply\(\[v2\.ColorJitter\(brightness=\(0\.8, 1\.2\)/);
    assert.match(code, /# ChannelShuffle\(p=1\): no exact torchvision equivalent/);
    assert.match(code, /torch\.manual_seed\(4\)/);
    assert.match(torchvisionCode([step('ShiftScaleRotate')], 1), /v2\.RandomAffine\(degrees=\(-45, 45\), translate=\(0\.0625, 0\.0625\), scale=\(0\.9, 1\.1\)/);
    const sizes = torchvisionCode([step('LongestMaxSize', { max_size: 512 }), step('SmallestMaxSize', { max_size: 256, interpolation: 'cubic' })], 1);
    assert.match(sizes, /v2\.Resize\(size=None, max_size=512, interpolation=InterpolationMode\.BILINEAR\)/);
    assert.match(sizes, /v2\.Resize\(size=256, interpolation=InterpolationMode\.BICUBIC\)/);
    assert.match(albumentationsCode([step('LongestMaxSize', { max_size: 512 })], 1), /A\.LongestMaxSize\(max_size=512, interpolation=cv2\.INTER_LINEAR, mask_interpolation=cv2\.INTER_NEAREST_EXACT, p=1\)/);
  });
});
