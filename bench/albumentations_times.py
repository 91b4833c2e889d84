"""The albumentations side of bench/compare.mjs, as a server: reads one JSON request per line,
{"name": ..., "code": ..., "size": ...} (code None: the five-step pipeline), and answers each
with one line, {"us": median µs per image}. The first line it prints is {"version": ..., "opencv": ...,
"tables": ...} (the widest byte-table code stringzilla found on this processor).
One thread (cv2.setNumThreads(1)), RGB uint8, median of batch means (as the augplay side)."""
import json
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
import albumentations as A  # noqa: E402


def table_path():
    """albumentations maps uint8 values through 256-entry tables with stringzilla's `translate`;
    its speed depends on the widest vector code stringzilla can run here (the last capability:
    "icelake" has AVX-512 VBMI byte permutes across the whole table, "haswell" AVX2)."""
    try:
        import stringzilla as sz
        return f"stringzilla {sz.__version__}, {sz.__capabilities__[-1]}"
    except (ImportError, AttributeError, IndexError):
        return "stringzilla not found"


def pipeline():
    return A.Compose([
        A.HorizontalFlip(p=0.5), A.Rotate(limit=30, p=1), A.ColorJitter(p=1),
        A.GaussNoise(std_range=(0.05, 0.1), p=1), A.CoarseDropout(p=1)])


def timed(transform, img):
    for _ in range(5):
        transform(image=img)
    batches = []
    deadline = time.perf_counter() + 0.25
    while len(batches) < 5 or time.perf_counter() < deadline:
        t0 = time.perf_counter()
        for _ in range(5):
            transform(image=img)
        batches.append((time.perf_counter() - t0) / 5 * 1e6)
    return float(np.median(batches))


def main():
    photo = cv2.cvtColor(cv2.imread(sys.argv[1]), cv2.COLOR_BGR2RGB)
    images = {}
    transforms = {}
    print(json.dumps({"version": A.__version__, "opencv": cv2.__version__, "tables": table_path()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        size = int(req["size"])
        if size not in images:
            images[size] = cv2.resize(photo, (size, size), interpolation=cv2.INTER_AREA)
        name = req["name"]
        if name not in transforms:
            transforms[name] = eval(req["code"]) if req["code"] else pipeline()
        print(json.dumps({"us": timed(transforms[name], images[size])}), flush=True)


main()
