#!/usr/bin/python3
"""Writes the GBDT bench's datasets as raw little-endian float64 files, for both sides to read.

    /usr/bin/python3 bench/training/gbdt_data.py OUT_DIR

- synthetic: sklearn.datasets.make_classification(600,000 x 20, 10 informative, 4 redundant,
  random_state=20261206); the first 500,000 rows train, the last 100,000 test.
- flights: vega-datasets' flights-200k (a real sample of US flights): is the arrival delay over 15
  minutes, from distance and time of day; rows in file order, the first 160,000 train.

Each dataset gets NAME.json (rows, columns, names, train rows) and NAME.x.f64 (column-major) and
NAME.y.f64. Nothing is written if the files exist.
"""
import json
import os
import sys

import numpy as np
from sklearn.datasets import make_classification

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write(out, name, X, y, names, train):
    meta = os.path.join(out, f"{name}.json")
    if os.path.exists(meta):
        return
    np.asfortranarray(X, dtype=np.float64).T.tofile(os.path.join(out, f"{name}.x.f64"))
    y.astype(np.float64).tofile(os.path.join(out, f"{name}.y.f64"))
    with open(meta, "w") as f:
        json.dump({"rows": int(X.shape[0]), "columns": int(X.shape[1]), "names": names, "train": int(train)}, f)


def main(out):
    os.makedirs(out, exist_ok=True)
    X, y = make_classification(
        n_samples=600_000, n_features=20, n_informative=10, n_redundant=4, random_state=20261206
    )
    write(out, "synthetic", X, y, [f"x{j}" for j in range(20)], 500_000)
    with open(os.path.join(ROOT, "node_modules", "vega-datasets", "data", "flights-200k.json")) as f:
        rows = json.load(f)
    X = np.array([[r["distance"], r["time"]] for r in rows], dtype=np.float64)
    y = np.array([1.0 if r["delay"] > 15 else 0.0 for r in rows])
    write(out, "flights", X, y, ["distance", "time"], 160_000)


if __name__ == "__main__":
    main(sys.argv[1])
