// The pipeline as Python: albumentations 2.x (same names and parameter meanings; augplay-only
// options become comments) and torchvision.transforms.v2 (exact where torchvision has the
// transform, a comment where it does not).

import { recipeObject } from './steps.js';

const BORDERS = { constant: 'cv2.BORDER_CONSTANT', reflect: 'cv2.BORDER_REFLECT_101', replicate: 'cv2.BORDER_REPLICATE', wrap: 'cv2.BORDER_WRAP' };
const INTERPOLATIONS = { nearest: 'cv2.INTER_NEAREST', linear: 'cv2.INTER_LINEAR', cubic: 'cv2.INTER_CUBIC', area: 'cv2.INTER_AREA' };
// Transforms albumentations runs through cv2.resize, whose INTER_NEAREST takes floor(x · scale)
// (up to a pixel up and left of the centre); augplay's nearest is centre-aligned, which
// cv2.resize calls INTER_NEAREST_EXACT. (Warps are centre-aligned with INTER_NEAREST already.)
const RESIZES = new Set(['Resize', 'RandomResizedCrop', 'RandomSizedCrop', 'RandomScale', 'LongestMaxSize', 'SmallestMaxSize', 'CropAndPad']);

/** A JSON value as Python source: lists become tuples, booleans True/False. */
export function py(value) {
  if (Array.isArray(value)) return value.length === 1 ? `(${py(value[0])},)` : `(${value.map(py).join(', ')})`;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`).join(', ')}}`;
  return JSON.stringify(value).replace(/^"|"$/g, "'");
}

/** Parameters albumentations does not have, per transform (augplay extensions). */
const AUGPLAY_ONLY = { compensate: 'rescale kept values by 1/(1-p) like torch.nn.Dropout' };

/** Parameters albumentations accepts only one of (keep the one in use), or takes as None. */
function leftOut(t, k) {
  const zero = (v) => Array.isArray(v) && v.every((x) => x === 0);
  if (t.name === 'Affine' && (k === 'translate_percent' || k === 'translate_px')) {
    const usePx = !zero(t.translate_px);
    return k === 'translate_px' ? !usePx : usePx || zero(t.translate_percent);
  }
  if (t.name === 'CropAndPad' && (k === 'px' || k === 'percent')) return k === 'px' ? zero(t.px) : !zero(t.px);
  // [0, 0] is augplay's "not set", albumentations' None (its default).
  if (t.name === 'GridDropout' && (k === 'unit_size_range' || k === 'holes_number_xy')) return zero(t[k]);
  return false;
}

function albumentationsArgs(t) {
  const args = [];
  const notes = [];
  for (const [k, v] of Object.entries(t)) {
    if (k === 'name' || k === 'p' || k === 'transforms' || leftOut(t, k)) continue;
    if (k in AUGPLAY_ONLY) {
      if (v) notes.push(`${k}=${py(v)}: augplay only (${AUGPLAY_ONLY[k]})`);
      continue;
    }
    if (k === 'border_mode') args.push(`border_mode=${BORDERS[v] ?? py(v)}`);
    else if (k === 'interpolation' || k === 'mask_interpolation') args.push(`${k}=${v === 'nearest' && RESIZES.has(t.name) ? 'cv2.INTER_NEAREST_EXACT' : INTERPOLATIONS[v] ?? py(v)}`);
    else args.push(`${k}=${py(v)}`);
  }
  return { args, notes };
}

function additiveNoise(t) {
  // augplay gives every distribution a mean and a standard deviation (fractions of 255);
  // albumentations names them per distribution.
  const [m0, m1] = t.mean_range;
  const [s0, s1] = t.std_range;
  let params;
  if (t.noise_type === 'gaussian') params = { mean_range: [m0, m1], std_range: [s0, s1] };
  else if (t.noise_type === 'laplace') params = { mean_range: [m0, m1], scale_range: [s0 / Math.SQRT2, s1 / Math.SQRT2] };
  else params = { ranges: [[m0 - s1 * Math.sqrt(3), m1 + s1 * Math.sqrt(3)]] };
  return `A.AdditiveNoise(noise_type=${py(t.noise_type)}, spatial_mode=${py(t.spatial_mode)}, noise_params=${py(params)}, p=${py(t.p)})`;
}

function albumentationsLine(t, indent) {
  const pad = ' '.repeat(indent);
  if (t.name === 'OneOf' || t.name === 'SomeOf') {
    const inner = t.transforms.map((c) => albumentationsLine(c, indent + 4)).join('\n');
    const extra = t.name === 'SomeOf' ? `n=${t.n}, replace=${py(t.replace)}, ` : '';
    return `${pad}A.${t.name}([\n${inner}\n${pad}], ${extra}p=${py(t.p)}),`;
  }
  if (t.name === 'AdditiveNoise') return `${pad}${additiveNoise(t)},`;
  if (t.name === 'BinaryNoise') return `${pad}# BinaryNoise(p=${py(t.p)}, flip_prob=${py(t.flip_prob)}): augplay only, no albumentations equivalent`;
  if (t.name === 'DropBlock') return `${pad}# DropBlock(${albumentationsArgs(t).args.join(', ')}, p=${py(t.p)}): augplay only (Ghiasi et al. 2018), no albumentations equivalent`;
  const { args, notes } = albumentationsArgs(t);
  args.push(`p=${py(t.p)}`);
  const line = `${pad}A.${t.name}(${args.join(', ')}),`;
  return notes.length ? `${line}  # ${notes.join('; ')}` : line;
}

export function albumentationsCode(steps, seed) {
  const recipe = recipeObject(steps);
  const body = recipe.transforms.map((t) => albumentationsLine(t, 4)).join('\n');
  return [
    '# augplay recipe as albumentations 2.x (pip install albumentations)',
    'import albumentations as A',
    'import cv2',
    '',
    `transform = A.Compose([${body ? `\n${body}\n` : ''}], seed=${seed})`,
    '',
    '# augmented = transform(image=image)["image"]  # image: numpy uint8 array, H x W x C',
  ].join('\n');
}

// ---------- torchvision.transforms.v2 ----------

const range = (r) => `(${py(r[0])}, ${py(r[1])})`;
const apply = (code, p) => (p >= 1 ? code : `v2.RandomApply([${code}], p=${py(p)})`);
// torchvision has no area mode for tensors; its v2 resizes antialias bilinear shrinks (the default),
// the nearest match for a shrink, and warps read bilinear where area does not apply.
const TV_INTERP = { nearest: 'InterpolationMode.NEAREST', linear: 'InterpolationMode.BILINEAR', cubic: 'InterpolationMode.BICUBIC', area: 'InterpolationMode.BILINEAR' };
// Its resizes, like cv2.resize, take floor(x · scale) for NEAREST; NEAREST_EXACT is centre-aligned.
const TV_RESIZE_INTERP = { ...TV_INTERP, nearest: 'InterpolationMode.NEAREST_EXACT' };

const TORCHVISION = {
  HorizontalFlip: (t) => `v2.RandomHorizontalFlip(p=${py(t.p)})`,
  VerticalFlip: (t) => `v2.RandomVerticalFlip(p=${py(t.p)})`,
  Rotate: (t) => apply(`v2.RandomRotation(degrees=${range(t.limit)}, interpolation=${TV_INTERP[t.interpolation]}, fill=${py(t.fill)})`, t.p),
  Affine: (t) =>
    t.translate_px.some((v) => v !== 0) || t.fit_output
      ? null
      : apply(
          `v2.RandomAffine(degrees=${range(t.rotate)}, translate=${t.translate_percent.some((v) => v !== 0) ? `(${py(Math.max(Math.abs(t.translate_percent[0]), Math.abs(t.translate_percent[1])))}, ${py(Math.max(Math.abs(t.translate_percent[0]), Math.abs(t.translate_percent[1])))})` : 'None'}, scale=${range(t.scale)}, shear=${range(t.shear)}, interpolation=${TV_INTERP[t.interpolation]}, fill=${py(t.fill)})`,
          t.p,
        ),
  ShiftScaleRotate: (t) => {
    const shift = Math.max(Math.abs(t.shift_limit[0]), Math.abs(t.shift_limit[1]));
    return apply(`v2.RandomAffine(degrees=${range(t.rotate_limit)}, translate=${shift ? `(${py(shift)}, ${py(shift)})` : 'None'}, scale=(${py(1 + t.scale_limit[0])}, ${py(1 + t.scale_limit[1])}), interpolation=${TV_INTERP[t.interpolation]}, fill=${py(t.fill)})`, t.p);
  },
  RandomResizedCrop: (t) => apply(`v2.RandomResizedCrop(size=${py(t.size)}, scale=${range(t.scale)}, ratio=${range(t.ratio)}, interpolation=${TV_RESIZE_INTERP[t.interpolation]})`, t.p),
  Resize: (t) => apply(`v2.Resize(size=(${t.height}, ${t.width}), interpolation=${TV_RESIZE_INTERP[t.interpolation] ?? 'InterpolationMode.BILINEAR'})`, t.p),
  // torchvision 0.20 or later; its other side is truncated where albumentations rounds.
  LongestMaxSize: (t) => apply(`v2.Resize(size=None, max_size=${t.max_size}, interpolation=${TV_RESIZE_INTERP[t.interpolation]})`, t.p),
  SmallestMaxSize: (t) => apply(`v2.Resize(size=${t.max_size}, interpolation=${TV_RESIZE_INTERP[t.interpolation]})`, t.p),
  CenterCrop: (t) => apply(`v2.CenterCrop(size=(${t.height}, ${t.width}))`, t.p),
  RandomCrop: (t) => apply(`v2.RandomCrop(size=(${t.height}, ${t.width}), pad_if_needed=${py(t.pad_if_needed)}, fill=${py(t.fill)})`, t.p),
  ColorJitter: (t) => apply(`v2.ColorJitter(brightness=${range(t.brightness)}, contrast=${range(t.contrast)}, saturation=${range(t.saturation)}, hue=${range(t.hue)})`, t.p),
  ToGray: (t) => `v2.RandomGrayscale(p=${py(t.p)})`,
  InvertImg: (t) => `v2.RandomInvert(p=${py(t.p)})`,
  Equalize: (t) => `v2.RandomEqualize(p=${py(t.p)})`,
  AutoContrast: (t) => `v2.RandomAutocontrast(p=${py(t.p)})`,
  Solarize: (t) => (t.threshold_range[0] === t.threshold_range[1] ? `v2.RandomSolarize(threshold=${py(Math.round(t.threshold_range[0] * 255))}, p=${py(t.p)})` : null),
  Posterize: (t) => (t.num_bits[0] === t.num_bits[1] ? `v2.RandomPosterize(bits=${t.num_bits[0]}, p=${py(t.p)})` : null),
  GaussianBlur: (t) => (t.blur_limit[0] === t.blur_limit[1] && t.blur_limit[0] > 0 ? apply(`v2.GaussianBlur(kernel_size=${t.blur_limit[0]}, sigma=${range(t.sigma_limit)})`, t.p) : null),
  ElasticTransform: (t) => apply(`v2.ElasticTransform(alpha=${py(t.alpha)}, sigma=${py(t.sigma)}, interpolation=${TV_INTERP[t.interpolation]})`, t.p),
  Erasing: (t) => `v2.RandomErasing(p=${py(t.p)}, scale=${range(t.scale)}, ratio=${range(t.ratio)}, value=${Array.isArray(t.fill) ? py(t.fill) : typeof t.fill === 'number' ? py(t.fill) : "'random'"})`,
  ImageCompression: (t) => (t.compression_type === 'jpeg' ? apply(`v2.JPEG(quality=${range(t.quality_range)})`, t.p) : null),
};

function torchvisionLine(t, indent) {
  const pad = ' '.repeat(indent);
  if (t.name === 'OneOf') {
    const inner = t.transforms.map((c) => torchvisionLine(c, indent + 4)).join('\n');
    const choice = `v2.RandomChoice([\n${inner}\n${pad}])`;
    return `${pad}${t.p >= 1 ? choice : `v2.RandomApply([${choice}], p=${py(t.p)})`},`;
  }
  if (t.name === 'SomeOf') return `${pad}# SomeOf(n=${t.n}, ...): torchvision has no equivalent (RandomChoice picks one)`;
  const make = TORCHVISION[t.name];
  const code = make ? make(t) : null;
  if (code) return `${pad}${code},`;
  return `${pad}# ${t.name}(p=${py(t.p)}): no exact torchvision equivalent with these parameters`;
}

export function torchvisionCode(steps, seed) {
  const recipe = recipeObject(steps);
  const body = recipe.transforms.map((t) => torchvisionLine(t, 4)).join('\n');
  return [
    '# augplay recipe as torchvision.transforms.v2 (pip install torchvision)',
    'import torch',
    'from torchvision.transforms import v2',
    'from torchvision.transforms.v2 import InterpolationMode',
    '',
    `torch.manual_seed(${seed})`,
    `transform = v2.Compose([${body ? `\n${body}\n` : ''}])`,
    '',
    '# augmented = transform(image)  # image: uint8 tensor C x H x W, or a PIL image',
  ].join('\n');
}
