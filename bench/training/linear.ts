/**
 * bench/training/linear: fitLogistic on a 200,000 x 20 synthetic binary problem against scikit-learn's
 * LogisticRegression(solver='lbfgs') on the same data, in the same run (../shared/BENCHMARKING.md).
 *
 *   node --import tsx bench/training/linear.ts
 *   BENCH_REPS=3 BENCH_ROWS=50000 node --import tsx bench/training/linear.ts
 *
 * The data (fixed seed: Gaussian features of unequal scales, a logistic target) is generated here and
 * written as Float64 files to a temporary folder for bench/training/linear_sklearn.py. One warm-up and
 * BENCH_REPS counted fits of each, alternating ours / scikit-learn. Only the fit is timed on both sides:
 * ours in this process, scikit-learn's inside a fresh Python process per fit (its import and file reads
 * not counted). scikit-learn runs with its defaults, so OpenBLAS may use both cores for X @ w; ours is
 * single-threaded. Then both models score the same held-out rows: accuracies must agree to 1e-3.
 * Prints one JSON line per figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitLogistic, type LogisticModel } from '../../src/training/algorithms/linear/index.js';
import type { FeatureMatrix, TrainingData } from '../../src/training/model.entity.js';
import { median, ROOT, round as roundTo } from '../common.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const TRAIN = Number(process.env.BENCH_ROWS ?? 200_000);
const TEST = Math.round(TRAIN / 4);
const COLUMNS = 20;
const SEED = 20240611;
const PYTHON = '/usr/bin/python3';
const CASE = `logistic-fit-${TRAIN >= 1000 ? `${TRAIN / 1000}k` : TRAIN}-x${COLUMNS}`;

type Figure = Record<string, string | number | boolean | null>;
const emit = (f: Figure) => console.log(JSON.stringify({ bench: 'training', ...f }));
const round = (x: number, d = 3) => roundTo(x, d);

/** mulberry32: a small seeded generator, so the data is the same on every run and machine. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Split {
  rowMajor: Float64Array;
  x: FeatureMatrix;
  y: Float64Array;
}

/** Rows of N(0, scale_j^2) features and y ~ Bernoulli(sigmoid(x . w + b)). */
function generate(): { train: Split; test: Split } {
  const rand = uniform(SEED);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const scale = Float64Array.from({ length: COLUMNS }, (_, j) => 0.5 + (1.5 * j) / (COLUMNS - 1));
  const w = Float64Array.from({ length: COLUMNS }, () => normal() * 0.6);
  const split = (rows: number): Split => {
    const rowMajor = new Float64Array(rows * COLUMNS);
    const values = new Float64Array(rows * COLUMNS);
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let z = 0.3;
      for (let j = 0; j < COLUMNS; j++) {
        const v = normal() * scale[j]!;
        rowMajor[i * COLUMNS + j] = v;
        values[j * rows + i] = v;
        z += (v * w[j]!) / scale[j]!;
      }
      y[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    const names = Array.from({ length: COLUMNS }, (_, j) => `x${j}`);
    return { rowMajor, x: { rows, columns: COLUMNS, values, names, categories: names.map(() => null) }, y };
  };
  return { train: split(TRAIN), test: split(TEST) };
}

const f64 = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const { train, test } = generate();
const dir = mkdtempSync(join(tmpdir(), 'cyclops-bench-linear-'));
try {
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ train_rows: TRAIN, test_rows: TEST, columns: COLUMNS, seed: SEED }),
  );
  writeFileSync(join(dir, 'x_train.f64'), f64(train.rowMajor));
  writeFileSync(join(dir, 'y_train.f64'), f64(train.y));
  writeFileSync(join(dir, 'x_test.f64'), f64(test.rowMajor));
  writeFileSync(join(dir, 'y_test.f64'), f64(test.y));

  const data: TrainingData = { x: train.x, y: train.y, task: 'binary', classes: ['0', '1'] };
  let model: LogisticModel | undefined;
  const ours = (): number => {
    const started = performance.now();
    model = fitLogistic(data);
    return (performance.now() - started) / 1000;
  };
  let reference: { seconds: number; n_iter: number; accuracy: number } | undefined;
  const sklearn = (): number => {
    const out = execFileSync(PYTHON, ['bench/training/linear_sklearn.py', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    reference = JSON.parse(out.trim().split('\n').at(-1)!);
    return reference!.seconds;
  };

  ours();
  sklearn();
  const oursTimes: number[] = [];
  const refTimes: number[] = [];
  let peakRss = process.memoryUsage().rss;
  for (let r = 0; r < REPS; r++) {
    oursTimes.push(ours());
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    refTimes.push(sklearn());
  }

  const value = median(oursTimes);
  const referenceValue = median(refTimes);
  emit({
    case: CASE,
    value: round(value),
    unit: 's',
    reference: 'sklearn-lbfgs',
    reference_value: round(referenceValue),
    ratio: round(value / referenceValue, 2),
    min: round(Math.min(...oursTimes)),
    max: round(Math.max(...oursTimes)),
    reference_min: round(Math.min(...refTimes)),
    reference_max: round(Math.max(...refTimes)),
    iterations: model!.fit.iterations,
    reference_iterations: reference!.n_iter,
    reps: REPS,
    peak_rss_mb: Math.round(peakRss / 2 ** 20),
    load: round(loadavg()[0]!, 2),
  });

  const proba = model!.predict(test.x);
  const theirs = new Float64Array(readFileSync(join(dir, 'sklearn_proba.f64')).buffer.slice(0));
  let right = 0;
  let maxDiff = 0;
  for (let i = 0; i < TEST; i++) {
    if ((proba[2 * i + 1]! > 0.5 ? 1 : 0) === test.y[i]) right++;
    maxDiff = Math.max(maxDiff, Math.abs(proba[2 * i + 1]! - theirs[i]!));
  }
  const accuracy = right / TEST;
  emit({
    case: `logistic-holdout-accuracy-${TEST >= 1000 ? `${TEST / 1000}k` : TEST}`,
    value: round(accuracy, 5),
    unit: 'fraction',
    reference: 'sklearn-lbfgs',
    reference_value: round(reference!.accuracy, 5),
    ratio: round(accuracy / reference!.accuracy, 5),
    agrees_to_1e3: Math.abs(accuracy - reference!.accuracy) <= 1e-3,
    max_probability_difference: maxDiff,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
