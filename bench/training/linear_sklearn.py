#!/usr/bin/python3
"""The reference side of bench/training/linear.ts: one LogisticRegression(solver='lbfgs') fit, timed.

    /usr/bin/python3 bench/training/linear_sklearn.py DIR

DIR holds what the TypeScript side generated: meta.json (rows, columns, test rows) and little-endian
Float64 files x_train.f64 / x_test.f64 (row-major) and y_train.f64 / y_test.f64. Only the fit is timed
(not the import, the file reads or the scoring). Prints one JSON object: seconds, n_iter, the held-out
accuracy; writes the held-out P(class 1) to DIR/sklearn_proba.f64 for the caller to compare.
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

folder = sys.argv[1]
with open(os.path.join(folder, "meta.json")) as f:
    meta = json.load(f)
p = meta["columns"]


def read(name, shape):
    return np.fromfile(os.path.join(folder, name), dtype="<f8").reshape(shape)


x_train = read("x_train.f64", (meta["train_rows"], p))
y_train = read("y_train.f64", (meta["train_rows"],))
x_test = read("x_test.f64", (meta["test_rows"], p))
y_test = read("y_test.f64", (meta["test_rows"],))

started = time.perf_counter()
model = LogisticRegression(solver="lbfgs").fit(x_train, y_train)
seconds = time.perf_counter() - started

proba = model.predict_proba(x_test)[:, 1]
proba.astype("<f8").tofile(os.path.join(folder, "sklearn_proba.f64"))
accuracy = float(((proba > 0.5) == (y_test == 1)).mean())
print(json.dumps({"seconds": seconds, "n_iter": int(model.n_iter_.max()), "accuracy": accuracy}))
