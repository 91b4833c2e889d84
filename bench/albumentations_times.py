"""Times albumentations on the same cases as bench/compare.mjs; prints JSON {name: {size: µs}}.
One thread (cv2.setNumThreads(1)), RGB uint8, median of batch means."""
import json
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
import albumentations as A  # noqa: E402


def main():
    cases = json.load(open(sys.argv[1]))
    photo = cv2.cvtColor(cv2.imread(sys.argv[2]), cv2.COLOR_BGR2RGB)
    sizes = [int(s) for s in sys.argv[3].split(",")]
    out = {"version": A.__version__, "times": {}}
    for name, _, code in cases + [["pipeline", {}, None]]:
        transform = eval(code) if code else A.Compose([
            A.HorizontalFlip(p=0.5), A.Rotate(limit=30, p=1), A.ColorJitter(p=1),
            A.GaussNoise(std_range=(0.05, 0.1), p=1), A.CoarseDropout(p=1)])
        out["times"][name] = {}
        for size in sizes:
            img = cv2.resize(photo, (size, size), interpolation=cv2.INTER_AREA)
            for _ in range(5):
                transform(image=img)
            batches = []
            deadline = time.perf_counter() + 0.4
            while len(batches) < 5 or time.perf_counter() < deadline:
                t0 = time.perf_counter()
                for _ in range(5):
                    transform(image=img)
                batches.append((time.perf_counter() - t0) / 5 * 1e6)
            out["times"][name][str(size)] = float(np.median(batches))
    print(json.dumps(out))


main()
