"""The task exports as a student loads them: real numpy reads every .npy and .npz, and the arrays
follow the course's rules, checked here by an independent numpy implementation of each mode."""
import json
import os
import subprocess
import tempfile

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "augplay")
CAMERA = os.path.join(ROOT, "www", "samples", "camera.png")
CHELSEA = os.path.join(ROOT, "www", "samples", "chelsea.png")


def run_task(mode, *flags, image=CAMERA, count=2, seed=11, recipe=None):
    out = tempfile.mkdtemp(prefix="augplay-py-")
    args = [CLI, "task", mode, *flags, "--seed", str(seed), "--count", str(count), "--out", out, image]
    if recipe is not None:
        path = os.path.join(out, "recipe.json")
        with open(path, "w") as f:
            json.dump(recipe, f)
        args += ["--recipe", path]
    subprocess.run(args, check=True, capture_output=True)
    with open(os.path.join(out, "manifest.json")) as f:
        manifest = json.load(f)
    pairs = []
    for sample in manifest["images"][0]["samples"]:
        folder = os.path.join(out, sample["dir"])
        arrays = {name[:-4]: np.load(os.path.join(folder, name)) for name in os.listdir(folder) if name.endswith(".npy")}
        with np.load(os.path.join(folder, "pair.npz")) as npz:
            assert sorted(npz.files) == sorted(arrays)
            for name in npz.files:
                np.testing.assert_array_equal(npz[name], arrays[name])
                assert npz[name].dtype == arrays[name].dtype
        for name, described in sample["arrays"].items():
            assert str(arrays[name].dtype) == described["dtype"]
            assert list(arrays[name].shape) == described["shape"]
        pairs.append((sample, arrays))
    return manifest, pairs


def reference_cropout(image, crop_size, crop_center):
    """The course's crop-out, written from its rules."""
    if image.ndim != 2 or len(crop_size) != 2 or len(crop_center) != 2 or any(s % 2 == 0 for s in crop_size):
        raise ValueError
    for c, s, dim in zip(crop_center, crop_size, image.shape):
        if c - s // 2 < 20 or dim - (c + s // 2 + 1) < 20:
            raise ValueError
    sl = tuple(slice(c - s // 2, c + s // 2 + 1) for c, s in zip(crop_center, crop_size))
    crop_array = np.zeros_like(image)
    crop_array[sl] = 1
    target = image[sl].copy()
    image = image.copy()
    image[sl] = 0
    return image, crop_array, target


@pytest.mark.parametrize("fixed", [True, False])
def test_cropout_matches_the_course_rules(fixed):
    flags = ["--size", "9,11", "--center", "50,40"] if fixed else []
    manifest, pairs = run_task("cropout", *flags, count=4)
    assert manifest["task"]["mode"] == "cropout"
    for sample, a in pairs:
        size, center = sample["params"]["crop_size"], sample["params"]["crop_center"]
        if fixed:
            assert (size, center) == ([9, 11], [50, 40])
            assert a["original"].shape == (512, 512)
        else:
            assert all(70 <= d <= 100 for d in a["original"].shape)
            assert all(s % 2 == 1 and 5 <= s <= 21 for s in size)
        image, crop_array, target = reference_cropout(a["original"], size, center)
        assert a["original"].dtype == np.uint8 and a["original"].ndim == 2
        np.testing.assert_array_equal(a["input"], image)
        np.testing.assert_array_equal(a["crop_array"], crop_array)
        assert a["crop_array"].dtype == np.uint8
        np.testing.assert_array_equal(a["target"], target)
        assert a["known"].dtype == np.bool_
        np.testing.assert_array_equal(a["known"], crop_array == 0)


def test_cropout_after_augmentation_keeps_input_and_target_consistent():
    recipe = {"transforms": [{"name": "HorizontalFlip"}, {"name": "RandomBrightnessContrast", "p": 1}]}
    _, pairs = run_task("cropout", "--size", "7,7", "--center", "60,60", image=CHELSEA, recipe=recipe, count=3)
    for _, a in pairs:
        known = a["known"]
        np.testing.assert_array_equal(a["input"][known], a["original"][known])
        np.testing.assert_array_equal(a["target"].ravel(), a["original"][~known])
        assert (a["input"][~known] == 0).all()


def test_noise_on_the_input_only_leaves_the_target_clean():
    recipe = {"transforms": [{"name": "GaussNoise", "p": 1, "std_range": [0.2, 0.2]}]}
    _, clean = run_task("cropout", "--size", "9,9", "--center", "50,50", recipe=recipe, count=1, seed=3)
    _, noisy = run_task("cropout", "--size", "9,9", "--center", "50,50", "--noise", "input_only", recipe=recipe, count=1, seed=3)
    (_, c), (_, n) = clean[0], noisy[0]
    np.testing.assert_array_equal(c["original"], n["original"])  # noise is off before cutting
    np.testing.assert_array_equal(c["target"], n["target"])
    known = n["known"]
    assert (n["input"][known] != n["original"][known]).mean() > 0.5
    assert (n["input"][~known] == 0).all()


def test_border_mode():
    _, pairs = run_task("border", "--border-x", "3,4", "--border-y", "5,6", count=1)
    _, a = pairs[0]
    image = a["original"]
    known = np.zeros_like(image, dtype=bool)
    known[3:image.shape[0] - 4, 5:image.shape[1] - 6] = True
    np.testing.assert_array_equal(a["known"], known)
    np.testing.assert_array_equal(a["target"], image[~known])
    assert a["target"].ndim == 1
    np.testing.assert_array_equal(a["input"], np.where(known, image, 0))


def test_grid_mode():
    _, pairs = run_task("grid", "--offset", "1,2", "--spacing", "3,4", image=CHELSEA, count=1)
    _, a = pairs[0]
    image = a["original"]
    assert image.shape[0] == 3 and image.dtype == np.uint8
    known = np.zeros_like(image, dtype=bool)
    known[:, 2::4, 1::3] = True
    np.testing.assert_array_equal(a["known"], known)
    np.testing.assert_array_equal(a["input"], np.where(known, image, 0))
    np.testing.assert_array_equal(a["target"], image[~known])


def test_grid_random_follows_the_sampler():
    _, pairs = run_task("grid", image=CHELSEA, count=3)
    for sample, a in pairs:
        assert a["original"].shape == (3, 100, 100)
        assert all(0 <= o <= 8 for o in sample["params"]["offset"])
        assert all(2 <= s <= 6 for s in sample["params"]["spacing"])
        assert a["known"][0].sum() >= 144


def test_depixelate_mode():
    _, pairs = run_task("depixelate", "--area", "10,20,30,17", "--block", "4", count=1)
    _, a = pairs[0]
    image = a["original"]
    assert image.shape[0] == 1
    x, y, w, h, size = 10, 20, 30, 17, 4
    expected = image.copy()
    area = image[..., y:y + h, x:x + w]
    for by in range(0, h, size):
        for bx in range(0, w, size):
            block = area[..., by:by + size, bx:bx + size]
            expected[..., y + by:y + by + block.shape[-2], x + bx:x + bx + block.shape[-1]] = block.mean()
    np.testing.assert_array_equal(a["input"], expected)
    np.testing.assert_array_equal(a["target"], area)
    assert a["target"].shape == (1, h, w)
    known = np.ones_like(image, dtype=bool)
    known[..., y:y + h, x:x + w] = False
    np.testing.assert_array_equal(a["known"], known)


def test_rule_violations_are_errors_naming_the_rule():
    result = subprocess.run([CLI, "task", "cropout", "--size", "10,11", "--center", "50,50", "--out", tempfile.mkdtemp(), CAMERA], capture_output=True, text=True)
    assert result.returncode == 1
    assert "must be two positive odd numbers" in result.stderr
