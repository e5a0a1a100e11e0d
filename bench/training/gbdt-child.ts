/**
 * One repetition of the GBDT bench on our side, in a process of its own (so peak RSS is this run's):
 *
 *   node --import tsx bench/training/gbdt-child.ts DATA_DIR NAME MAX_ITER LEARNING_RATE MAX_LEAF_NODES
 *
 * fitGbdt with early stopping off on the train rows; then the test rows predicted in one batch, and
 * 500 single rows one predictRow call each. Runs the compiled package when CYCLOPS_BENCH_DIST names
 * it (run.ts builds it), else the TypeScript source. Prints one JSON object; loading is not timed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.CYCLOPS_BENCH_DIST;
const from = (file: string) =>
  dist ? pathToFileURL(join(dist, file)).href : `../../src/${file.replace(/\.js$/, '.ts')}`;
const { fitGbdt } = (await import(
  from('training/algorithms/trees/gbdt.js')
)) as typeof import('../../src/training/algorithms/trees/gbdt.js');
const { classificationMetrics } = (await import(
  from('training/evaluation/index.js')
)) as typeof import('../../src/training/evaluation/index.js');

const [data, name, maxIter, learningRate, maxLeafNodes] = process.argv.slice(2);
if (!data || !name) {
  console.error('usage: gbdt-child.ts DATA_DIR NAME MAX_ITER LEARNING_RATE MAX_LEAF_NODES');
  process.exit(2);
}
const meta = JSON.parse(readFileSync(join(data, `${name}.json`), 'utf8')) as {
  rows: number;
  columns: number;
  names: string[];
  train: number;
};
const f64 = (file: string) => {
  const b = readFileSync(join(data, file));
  return new Float64Array(b.buffer, b.byteOffset, b.length / 8);
};
const X = f64(`${name}.x.f64`);
const Y = f64(`${name}.y.f64`);
const part = (from: number, to: number) => {
  const rows = to - from;
  const values = new Float64Array(rows * meta.columns);
  for (let j = 0; j < meta.columns; j++)
    values.set(X.subarray(j * meta.rows + from, j * meta.rows + to), j * rows);
  return {
    x: { rows, columns: meta.columns, values, names: meta.names, categories: meta.names.map(() => null) },
    y: Y.slice(from, to),
  };
};
const train = part(0, meta.train);
const test = part(meta.train, meta.rows);

let t = performance.now();
const model = fitGbdt(
  { ...train, task: 'binary', classes: ['0', '1'] },
  { max_iter: maxIter, learning_rate: learningRate, max_leaf_nodes: maxLeafNodes, early_stopping: 'off' },
  { seed: 0 },
);
const fit = (performance.now() - t) / 1000;
// One warm-up batch (it starts the prediction helper thread), then the median of three.
let probabilities = model.predict(test.x);
const batches: number[] = [];
for (let r = 0; r < 3; r++) {
  t = performance.now();
  probabilities = model.predict(test.x);
  batches.push((performance.now() - t) / 1000);
}
const batch = batches.sort((a, b) => a - b)[1] as number;
const row = new Float64Array(meta.columns);
const out = new Float64Array(2);
const single: number[] = [];
for (let i = 0; i < 500; i++) {
  for (let j = 0; j < meta.columns; j++) row[j] = test.x.values[j * test.x.rows + i] as number;
  const s = performance.now();
  model.predictRow(row, out);
  single.push(performance.now() - s);
}
single.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    fit_s: fit,
    predict_rows_per_s: test.x.rows / batch,
    single_row_us: (single[250] as number) * 1000,
    auc: classificationMetrics('binary', test.y, probabilities).rocAuc,
    iterations: model.iterations,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
