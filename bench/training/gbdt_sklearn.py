#!/usr/bin/python3
"""One repetition of the GBDT bench on scikit-learn's side, in a process of its own:

    /usr/bin/python3 bench/training/gbdt_sklearn.py DATA_DIR NAME MAX_ITER LEARNING_RATE MAX_LEAF_NODES

HistGradientBoostingClassifier with early stopping off, fitted on the train rows; then the test rows
predicted in one batch (one warm-up, the median of three), and 500 single rows one call each. Prints one JSON object. Loading the data and
importing scikit-learn are not timed (Node's start and module loading are not timed on our side).
"""
import json
import os
import resource
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score


def load(data, name):
    with open(os.path.join(data, f"{name}.json")) as f:
        meta = json.load(f)
    X = np.fromfile(os.path.join(data, f"{name}.x.f64")).reshape(meta["columns"], meta["rows"]).T
    y = np.fromfile(os.path.join(data, f"{name}.y.f64"))
    t = meta["train"]
    return np.ascontiguousarray(X[:t]), y[:t], np.ascontiguousarray(X[t:]), y[t:]


def main(data, name, max_iter, learning_rate, max_leaf_nodes):
    Xtr, ytr, Xte, yte = load(data, name)
    model = HistGradientBoostingClassifier(
        max_iter=int(max_iter),
        learning_rate=float(learning_rate),
        max_leaf_nodes=int(max_leaf_nodes),
        early_stopping=False,
        random_state=0,
    )
    t = time.perf_counter()
    model.fit(Xtr, ytr)
    fit = time.perf_counter() - t
    # One warm-up batch, then the median of three (as on our side).
    p = model.predict_proba(Xte)[:, 1]
    batches = []
    for _ in range(3):
        t = time.perf_counter()
        p = model.predict_proba(Xte)[:, 1]
        batches.append(time.perf_counter() - t)
    batch = sorted(batches)[1]
    single = []
    for i in range(500):
        row = Xte[i : i + 1]
        t = time.perf_counter()
        model.predict_proba(row)
        single.append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "fit_s": fit,
                "predict_rows_per_s": len(Xte) / batch,
                "single_row_us": float(np.median(single) * 1e6),
                "auc": float(roc_auc_score(yte, p)),
                "iterations": int(model.n_iter_),
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
