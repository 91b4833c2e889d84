"""Compares augplay with albumentations 2.0.8 on real photos with the randomness pinned.

Each case gives the same transform and parameters to both; the table lists the mean absolute
difference (grey levels) and the largest one. Needs the augplay CLI built (cargo build --release)
and albumentations + opencv-python-headless installed:

    python bench/parity.py
"""
import json
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np
import albumentations as A

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "augplay")
PHOTOS = [os.path.join(ROOT, "www", "samples", f) for f in ("chelsea.png", "coffee.png")]

CASES = [
    ("RandomBrightnessContrast", {"brightness_limit": [0.15, 0.15], "contrast_limit": [-0.2, -0.2]}, A.RandomBrightnessContrast(brightness_limit=(0.15, 0.15), contrast_limit=(-0.2, -0.2), p=1)),
    ("RandomBrightnessContrast by mean", {"brightness_limit": [0.3, 0.3], "contrast_limit": [0.1, 0.1], "brightness_by_max": False}, A.RandomBrightnessContrast(brightness_limit=(0.3, 0.3), contrast_limit=(0.1, 0.1), brightness_by_max=False, p=1)),
    ("ColorJitter brightness", {"brightness": [1.3, 1.3], "contrast": [1, 1], "saturation": [1, 1], "hue": [0, 0]}, A.ColorJitter(brightness=(1.3, 1.3), contrast=(1, 1), saturation=(1, 1), hue=(0, 0), p=1)),
    ("ColorJitter contrast", {"brightness": [1, 1], "contrast": [0.6, 0.6], "saturation": [1, 1], "hue": [0, 0]}, A.ColorJitter(brightness=(1, 1), contrast=(0.6, 0.6), saturation=(1, 1), hue=(0, 0), p=1)),
    ("ColorJitter saturation", {"brightness": [1, 1], "contrast": [1, 1], "saturation": [1.6, 1.6], "hue": [0, 0]}, A.ColorJitter(brightness=(1, 1), contrast=(1, 1), saturation=(1.6, 1.6), hue=(0, 0), p=1)),
    ("ColorJitter hue", {"brightness": [1, 1], "contrast": [1, 1], "saturation": [1, 1], "hue": [0.1, 0.1]}, A.ColorJitter(brightness=(1, 1), contrast=(1, 1), saturation=(1, 1), hue=(0.1, 0.1), p=1)),
    ("HueSaturationValue", {"hue_shift_limit": [15, 15], "sat_shift_limit": [-25, -25], "val_shift_limit": [10, 10]}, A.HueSaturationValue(hue_shift_limit=(15, 15), sat_shift_limit=(-25, -25), val_shift_limit=(10, 10), p=1)),
    ("RGBShift", {"r_shift_limit": [12, 12], "g_shift_limit": [-7, -7], "b_shift_limit": [30, 30]}, A.RGBShift(r_shift_limit=(12, 12), g_shift_limit=(-7, -7), b_shift_limit=(30, 30), p=1)),
    ("RandomGamma", {"gamma_limit": [70, 70]}, A.RandomGamma(gamma_limit=(70, 70), p=1)),
    ("RandomGamma dark", {"gamma_limit": [140, 140]}, A.RandomGamma(gamma_limit=(140, 140), p=1)),
    ("ToGray", {"method": "weighted_average"}, A.ToGray(method="weighted_average", p=1)),
    ("ToGray from_lab", {"method": "from_lab"}, A.ToGray(method="from_lab", p=1)),
    ("ToGray desaturation", {"method": "desaturation"}, A.ToGray(method="desaturation", p=1)),
    ("ToGray average", {"method": "average"}, A.ToGray(method="average", p=1)),
    ("ToGray max", {"method": "max"}, A.ToGray(method="max", p=1)),
    ("InvertImg", {}, A.InvertImg(p=1)),
    ("Solarize", {"threshold_range": [0.4, 0.4]}, A.Solarize(threshold_range=(0.4, 0.4), p=1)),
    ("Posterize", {"num_bits": 3}, A.Posterize(num_bits=3, p=1)),
    ("Equalize cv", {"mode": "cv"}, A.Equalize(mode="cv", p=1)),
    ("Equalize pil", {"mode": "pil"}, A.Equalize(mode="pil", p=1)),
    ("AutoContrast", {"cutoff": 0}, A.AutoContrast(cutoff=0, p=1)),
    ("AutoContrast cutoff pil", {"cutoff": 2, "method": "pil"}, A.AutoContrast(cutoff=2, method="pil", p=1)),
    ("Sharpen", {"alpha": [0.4, 0.4], "lightness": [0.8, 0.8]}, A.Sharpen(alpha=(0.4, 0.4), lightness=(0.8, 0.8), method="kernel", p=1)),
    ("MultiplicativeNoise", {"multiplier": [1.15, 1.15]}, A.MultiplicativeNoise(multiplier=(1.15, 1.15), p=1)),
    ("CLAHE", {"clip_limit": [3, 3]}, A.CLAHE(clip_limit=(3, 3), p=1)),
    ("CLAHE tiles", {"clip_limit": [2, 2], "tile_grid_size": [5, 3]}, A.CLAHE(clip_limit=(2, 2), tile_grid_size=(5, 3), p=1)),
    ("GaussianBlur", {"sigma_limit": [1.7, 1.7]}, A.GaussianBlur(sigma_limit=(1.7, 1.7), p=1)),
    ("GaussianBlur ksize", {"sigma_limit": [2.5, 2.5], "blur_limit": [7, 7]}, A.GaussianBlur(sigma_limit=(2.5, 2.5), blur_limit=(7, 7), p=1)),
    ("MotionBlur", {"blur_limit": [9, 9], "angle_range": [30, 30], "direction_range": [0, 0], "allow_shifted": False}, A.MotionBlur(blur_limit=(9, 9), angle_range=(30, 30), direction_range=(0, 0), allow_shifted=False, p=1)),
    ("MotionBlur forward", {"blur_limit": [7, 7], "angle_range": [100, 100], "direction_range": [0.6, 0.6], "allow_shifted": False}, A.MotionBlur(blur_limit=(7, 7), angle_range=(100, 100), direction_range=(0.6, 0.6), allow_shifted=False, p=1)),
    ("Blur", {"blur_limit": [5, 5]}, A.Blur(blur_limit=(5, 5), p=1)),
    ("Blur large", {"blur_limit": [21, 21]}, A.Blur(blur_limit=(21, 21), p=1)),
    ("MedianBlur", {"blur_limit": [5, 5]}, A.MedianBlur(blur_limit=(5, 5), p=1)),
    ("Defocus", {"radius": [4, 4], "alias_blur": [0.3, 0.3]}, A.Defocus(radius=(4, 4), alias_blur=(0.3, 0.3), p=1)),
    ("Defocus large", {"radius": [9, 9], "alias_blur": [0.2, 0.2]}, A.Defocus(radius=(9, 9), alias_blur=(0.2, 0.2), p=1)),
    ("ImageCompression", {"quality_range": [60, 60]}, A.ImageCompression(quality_range=(60, 60), p=1)),
    ("Rotate", {"limit": [27, 27]}, A.Rotate(limit=(27, 27), p=1)),
    ("Rotate nearest reflect", {"limit": [-40, -40], "interpolation": "nearest", "border_mode": "reflect"}, A.Rotate(limit=(-40, -40), interpolation=cv2.INTER_NEAREST, border_mode=cv2.BORDER_REFLECT_101, p=1)),
    ("Rotate cubic replicate", {"limit": [15, 15], "interpolation": "cubic", "border_mode": "replicate"}, A.Rotate(limit=(15, 15), interpolation=cv2.INTER_CUBIC, border_mode=cv2.BORDER_REPLICATE, p=1)),
    ("SafeRotate", {"limit": [30, 30]}, A.SafeRotate(limit=(30, 30), p=1)),
    ("Affine", {"scale": [1.2, 1.2], "translate_px": [7, 7], "rotate": [12, 12], "shear": [8, 8]}, A.Affine(scale=(1.2, 1.2), translate_px=(7, 7), rotate=(12, 12), shear=(8, 8), p=1)),
    ("Affine shift percent", {"translate_percent": [0.05, 0.05], "rotate": [5, 5]}, A.Affine(translate_percent=(0.05, 0.05), rotate=(5, 5), p=1)),
    ("Affine fit_output", {"rotate": [25, 25], "shear": [5, 5], "fit_output": True}, A.Affine(rotate=(25, 25), shear=(5, 5), fit_output=True, p=1)),
    ("Affine scale per axis", {"scale": [0.8, 0.8], "keep_ratio": False, "translate_px": [-9, -9]}, A.Affine(scale=(0.8, 0.8), keep_ratio=False, translate_px=(-9, -9), p=1)),
    ("RandomScale", {"scale_limit": [0.3, 0.3]}, A.RandomScale(scale_limit=(0.3, 0.3), p=1)),
    ("RandomScale down", {"scale_limit": [-0.45, -0.45]}, A.RandomScale(scale_limit=(-0.45, -0.45), p=1)),
    ("CenterCrop", {"height": 201, "width": 150}, A.CenterCrop(height=201, width=150, p=1)),
    ("PadIfNeeded", {"min_height": 512, "min_width": 700, "border_mode": "reflect"}, A.PadIfNeeded(min_height=512, min_width=700, border_mode=cv2.BORDER_REFLECT_101, p=1)),
    ("PadIfNeeded top_left fill", {"min_height": 333, "min_width": 501, "position": "top_left", "border_mode": "constant", "fill": [200, 30, 90]}, A.PadIfNeeded(min_height=333, min_width=501, position="top_left", border_mode=cv2.BORDER_CONSTANT, fill=(200, 30, 90), p=1)),
    ("PadIfNeeded bottom_right wrap", {"min_height": 333, "min_width": 701, "position": "bottom_right", "border_mode": "wrap"}, A.PadIfNeeded(min_height=333, min_width=701, position="bottom_right", border_mode=cv2.BORDER_WRAP, p=1)),
    ("CropAndPad no keep_size", {"px": [-7, -7], "keep_size": False}, A.CropAndPad(px=-7, keep_size=False, p=1)),
    ("CropAndPad pad replicate", {"percent": [0.15, 0.15], "keep_size": False, "border_mode": "replicate"}, A.CropAndPad(percent=(0.15, 0.15), keep_size=False, border_mode=cv2.BORDER_REPLICATE, p=1)),
    ("Rotate fill", {"limit": [-33, -33], "fill": [255, 128, 0]}, A.Rotate(limit=(-33, -33), fill=(255, 128, 0), p=1)),
    ("Affine zoom out wrap", {"scale": [0.7, 0.7], "border_mode": "wrap"}, A.Affine(scale=(0.7, 0.7), border_mode=cv2.BORDER_WRAP, p=1)),
    ("Resize", {"height": 200, "width": 333}, A.Resize(height=200, width=333, p=1)),
    ("CropAndPad crop", {"px": -12}, A.CropAndPad(px=-12, p=1)),
    ("CropAndPad pad reflect", {"percent": 0.1, "border_mode": "reflect"}, A.CropAndPad(percent=0.1, border_mode=cv2.BORDER_REFLECT_101, p=1)),
    ("Resize up cubic", {"height": 700, "width": 500, "interpolation": "cubic"}, A.Resize(height=700, width=500, interpolation=cv2.INTER_CUBIC, p=1)),
    # augplay's nearest resize is centre-aligned: cv2.resize calls that INTER_NEAREST_EXACT (its
    # INTER_NEAREST takes floor(x * scale)); see the README's deliberate differences.
    ("Resize nearest down", {"height": 97, "width": 131, "interpolation": "nearest"}, A.Resize(height=97, width=131, interpolation=cv2.INTER_NEAREST_EXACT, p=1)),
    ("Resize nearest up", {"height": 700, "width": 500, "interpolation": "nearest"}, A.Resize(height=700, width=500, interpolation=cv2.INTER_NEAREST_EXACT, p=1)),
    ("Resize down area", {"height": 97, "width": 131, "interpolation": "area"}, A.Resize(height=97, width=131, interpolation=cv2.INTER_AREA, p=1)),
    ("Resize halve area", {"height": 150, "width": 200, "interpolation": "area"}, A.Resize(height=150, width=200, interpolation=cv2.INTER_AREA, p=1)),
    ("LongestMaxSize down", {"max_size": 333}, A.LongestMaxSize(max_size=333, p=1)),
    ("LongestMaxSize up cubic", {"max_size": 700, "interpolation": "cubic"}, A.LongestMaxSize(max_size=700, interpolation=cv2.INTER_CUBIC, p=1)),
    ("SmallestMaxSize down area", {"max_size": 97, "interpolation": "area"}, A.SmallestMaxSize(max_size=97, area_for_downscale="image", p=1)),
    ("SmallestMaxSize up", {"max_size": 450}, A.SmallestMaxSize(max_size=450, p=1)),
    ("ShiftScaleRotate", {"shift_limit": [0.05, 0.05], "scale_limit": [0.15, 0.15], "rotate_limit": [20, 20], "border_mode": "reflect"}, A.ShiftScaleRotate(shift_limit=(0.05, 0.05), scale_limit=(0.15, 0.15), rotate_limit=(20, 20), border_mode=cv2.BORDER_REFLECT_101, p=1)),
    # Windows the height of each photo and at least its width: the whole photo, resized.
    ("RandomSizedCrop whole", {"min_max_height": [400, 400], "w2h_ratio": 2, "size": [200, 260]}, A.RandomSizedCrop(min_max_height=(400, 400), w2h_ratio=2, size=(200, 260), p=1)),
    ("OpticalDistortion", {"distort_limit": [0.3, 0.3]}, A.OpticalDistortion(distort_limit=(0.3, 0.3), p=1)),
    ("OpticalDistortion barrel", {"distort_limit": [-0.4, -0.4]}, A.OpticalDistortion(distort_limit=(-0.4, -0.4), p=1)),
    ("OpticalDistortion fisheye", {"distort_limit": [0.2, 0.2], "mode": "fisheye"}, A.OpticalDistortion(distort_limit=(0.2, 0.2), mode="fisheye", p=1)),
    ("Transpose", {}, A.Transpose(p=1)),
    ("HorizontalFlip", {}, A.HorizontalFlip(p=1)),
    ("VerticalFlip", {}, A.VerticalFlip(p=1)),
]
EXTRA_CASES = []


def ours(name, params, photo):
    out = tempfile.mkdtemp()
    recipe = os.path.join(out, "r.json")
    with open(recipe, "w") as f:
        json.dump({"transforms": [{"name": name.split(" ")[0], "p": 1, **params}]}, f)
    subprocess.run([CLI, "apply", "--recipe", recipe, "--seed", "1", "--out", out, photo], check=True, capture_output=True)
    stem = os.path.splitext(os.path.basename(photo))[0]
    return cv2.cvtColor(cv2.imread(os.path.join(out, f"{stem}_0.png")), cv2.COLOR_BGR2RGB)


def main():
    width = max(len(c[0]) for c in CASES)
    print(f"{'transform':<{width}}  " + "  ".join(f"{os.path.basename(p):>22}" for p in PHOTOS))
    worst = 0.0
    for name, params, reference in CASES:
        cells = []
        for photo in PHOTOS:
            img = cv2.cvtColor(cv2.imread(photo), cv2.COLOR_BGR2RGB)
            expected = reference(image=img)["image"]
            got = ours(name, params, photo)
            diff = np.abs(got.astype(int) - expected.astype(int))
            cells.append(f"MAD {diff.mean():6.3f} max {diff.max():3d}")
            worst = max(worst, diff.mean())
        print(f"{name:<{width}}  " + "  ".join(f"{c:>22}" for c in cells))
    print(f"largest mean absolute difference: {worst:.3f} grey levels (albumentations {A.__version__})")
    return 0 if worst <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
