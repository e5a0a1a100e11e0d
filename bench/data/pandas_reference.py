#!/usr/bin/python3
"""The data bench's reference: the same profile with pandas and numpy, timed in this process.

Run with Debian's python3 (it has pandas and numpy; the python3 first on PATH does not):
    /usr/bin/python3 bench/data/pandas_reference.py FILE.csv
Prints one JSON object: seconds per stage, their total (the import of pandas is not counted, as
Node's start and module loading are not counted on our side), and the peak RSS of this process.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd

PROBS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def main(path):
    stages = {}
    t = time.perf_counter()

    def lap(name):
        nonlocal t
        now = time.perf_counter()
        stages[name] = now - t
        t = now

    df = pd.read_csv(path)
    lap("read_csv")
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    categorical = [c for c in df.columns if c not in numeric]
    described = df[numeric].describe(percentiles=PROBS)
    lap("describe")
    histograms = {}
    for c in numeric:
        v = df[c].dropna().to_numpy(dtype=float)
        histograms[c] = np.histogram(v, bins=20)
    lap("histograms")
    counts = {c: df[c].value_counts() for c in categorical}
    lap("value_counts")
    corr = df[numeric].corr()
    lap("corr")

    total = sum(stages.values())
    print(
        json.dumps(
            {
                "engine": f"pandas {pd.__version__}, numpy {np.__version__}",
                "rows": int(len(df)),
                "numeric": len(numeric),
                "categorical": len(categorical),
                "levels": {c: int(len(v)) for c, v in counts.items()},
                # Touch the results so none of them is skipped; shapes only, the values are not compared.
                "shapes": [list(described.shape), len(histograms), list(corr.shape)],
                "stages_s": {k: round(v, 4) for k, v in stages.items()},
                "total_s": round(total, 4),
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
