// Ready-made pipelines to start from. Each is a recipe (defaults fill the rest) and a line on why.

export const PRESETS = [
  { id: 'none', label: 'None (empty pipeline)', why: 'Start from scratch.', recipe: { transforms: [] } },
  {
    id: 'course-cropout',
    label: 'Course crop-out',
    why: 'Mild, label-preserving changes for the inpainting project: small flips, shifts and turns, lighting and a little sensor noise (the task cuts its rectangle after these).',
    recipe: {
      transforms: [
        { name: 'HorizontalFlip', p: 0.5 },
        { name: 'Affine', p: 0.5, scale: [0.9, 1.1], rotate: [-10, 10], translate_percent: [-0.05, 0.05], border_mode: 'reflect' },
        { name: 'RandomBrightnessContrast', p: 0.5, brightness_limit: [-0.15, 0.15], contrast_limit: [-0.15, 0.15] },
        { name: 'GaussNoise', p: 0.3, std_range: [0.02, 0.06] },
      ],
    },
  },
  {
    id: 'self-driving',
    label: 'Self-driving camera',
    why: 'A fixed, forward-facing camera: no vertical flips or big rotations (the sky stays up), no hue changes (a red light must stay red), no mirror images (traffic keeps its side); weather, exposure, motion and compression instead.',
    recipe: {
      transforms: [
        { name: 'RandomBrightnessContrast', p: 0.7, brightness_limit: [-0.25, 0.25], contrast_limit: [-0.2, 0.2] },
        { name: 'RandomGamma', p: 0.3 },
        { name: 'Rotate', p: 0.3, limit: [-3, 3], border_mode: 'reflect' },
        { name: 'OneOf', p: 0.4, transforms: [{ name: 'MotionBlur', p: 1 }, { name: 'GaussianBlur', p: 1 }] },
        { name: 'GaussNoise', p: 0.3, std_range: [0.02, 0.08] },
        { name: 'ImageCompression', p: 0.3, quality_range: [40, 90] },
      ],
    },
  },
  {
    id: 'classification',
    label: 'Image classification (ImageNet-style)',
    why: 'The classic training recipe: random crops at many scales, mirror images and colour jitter; objects stay recognisable.',
    recipe: {
      transforms: [
        { name: 'RandomResizedCrop', p: 1, size: [224, 224], scale: [0.08, 1] },
        { name: 'HorizontalFlip', p: 0.5 },
        { name: 'ColorJitter', p: 0.8, brightness: [0.6, 1.4], contrast: [0.6, 1.4], saturation: [0.6, 1.4], hue: [-0.1, 0.1] },
        { name: 'ToGray', p: 0.2 },
      ],
    },
  },
  {
    id: 'input-dropout',
    label: 'Input dropout',
    why: 'Make the model rely on more than one patch of the image: one of pixel, block or hole dropout per sample.',
    recipe: {
      transforms: [
        {
          name: 'OneOf',
          p: 0.9,
          transforms: [
            { name: 'PixelDropout', p: 1, dropout_prob: 0.05 },
            { name: 'DropBlock', p: 1 },
            { name: 'CoarseDropout', p: 1, num_holes_range: [3, 8] },
          ],
        },
      ],
    },
  },
];
