#!/usr/bin/env bash
# The benchmark suite: builds what it needs, installs albumentations 2.0.8 into bench/.venv, and
# compares per transform in one run. `--write` also updates BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
# OpenCV pinned to 4.12, of the 4.x line albumentations 2.0.8 was made for: unpinned, pip takes the
# newest (5.x), whose times differ by up to 2× (warps slower, HSV and blurs faster), so results
# would drift with PyPI.
if ! bench/.venv/bin/python -c 'import albumentations, cv2; assert cv2.__version__ == "4.12.0"' 2>/dev/null; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet --disable-pip-version-check albumentations==2.0.8 opencv-python-headless==4.12.0.88
fi
# Older OpenBLAS builds need these on some processors; they slow a current numpy, so not here.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE node bench/compare.mjs "$@"
# The page's Python export, checked against the albumentations just installed.
node bench/python_code.mjs
