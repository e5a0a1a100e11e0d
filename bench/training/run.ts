/**
 * bench/training: our histogram GBDT against scikit-learn 1.2's HistGradientBoostingClassifier (same
 * max_iter, learning_rate, max_leaf_nodes, early stopping off) on the same data in the same run, then
 * logistic regression against sklearn's lbfgs (bench/training/linear.ts). ../shared/BENCHMARKING.md.
 *
 *   npm run bench:training                 # 1 warm-up + 5 counted repetitions of each side, alternating
 *   BENCH_REPS=3 npm run bench:training
 *
 * Data (bench/training/gbdt_data.py, cached in $TMPDIR/cyclops-bench-training): 500,000 x 20 synthetic
 * binary classification (make_classification, fixed seed) with 100,000 test rows, and flights-200k
 * (vega-datasets: delay > 15 min from distance and time of day). Each repetition is a fresh process on
 * each side (peak RSS is its own): ours runs the compiled package (src built into .bench-tmp/dist, as
 * users run it), theirs Debian's /usr/bin/python3. Timed on both sides: the fit; the test rows in one
 * batch (after a warm-up batch, median of three); 500 single rows, one call each (median). Prints one
 * JSON line per figure, then a summary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, DIST, gitState, median, ROOT, round as roundTo } from '../common.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const PYTHON = '/usr/bin/python3';
const DATA = join(tmpdir(), 'cyclops-bench-training');

type Run = Record<string, number>;
const emit = (f: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'training', ...f }));
const round = (x: number, d = 3) => roundTo(x, d);
const child = (cmd: string, args: string[], env: Record<string, string> = {}): Run => {
  const out = execFileSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Run;
};

execFileSync(PYTHON, ['bench/training/gbdt_data.py', DATA], { cwd: ROOT, stdio: 'inherit' });
buildDist();
const { commit, dirty } = gitState();

const cases = [
  { name: 'synthetic', label: '500k-x20', params: ['100', '0.1', '31'] },
  { name: 'flights', label: 'flights-160k-x2', params: ['100', '0.1', '31'] },
];
const summary: string[] = [];
for (const c of cases) {
  const ours = () =>
    child(process.execPath, ['--import', 'tsx', 'bench/training/gbdt-child.ts', DATA, c.name, ...c.params], {
      CYCLOPS_BENCH_DIST: DIST,
    });
  const theirs = () => child(PYTHON, ['bench/training/gbdt_sklearn.py', DATA, c.name, ...c.params]);
  const load = loadavg()[0] as number;
  ours();
  theirs();
  const a: Run[] = [];
  const b: Run[] = [];
  for (let i = 0; i < REPS; i++) {
    a.push(ours());
    b.push(theirs());
    console.error(
      `  ${c.name} rep ${i + 1}: fit ours ${a[i]?.fit_s?.toFixed(2)} s, sklearn ${b[i]?.fit_s?.toFixed(2)} s`,
    );
  }
  const m = (runs: Run[], key: string) => median(runs.map((r) => r[key] as number));
  const spread = (runs: Run[], key: string) => ({
    min: round(Math.min(...runs.map((r) => r[key] as number))),
    max: round(Math.max(...runs.map((r) => r[key] as number))),
  });
  const common = {
    reps: REPS,
    load_before: round(load, 2),
    load_after: round(loadavg()[0] as number, 2),
    commit,
    dirty,
  };
  const fit = m(a, 'fit_s');
  const fitRef = m(b, 'fit_s');
  emit({
    case: `gbdt-fit-${c.label}`,
    value: round(fit),
    unit: 's',
    ...spread(a, 'fit_s'),
    reference: 'sklearn-hgb',
    reference_value: round(fitRef),
    ratio: round(fit / fitRef),
    ...common,
  });
  const rps = m(a, 'predict_rows_per_s');
  const rpsRef = m(b, 'predict_rows_per_s');
  emit({
    case: `gbdt-predict-batch-${c.label}`,
    value: Math.round(rps),
    unit: 'rows/s',
    reference: 'sklearn-hgb',
    reference_value: Math.round(rpsRef),
    ratio: round(rps / rpsRef),
    ...common,
  });
  const us = m(a, 'single_row_us');
  const usRef = m(b, 'single_row_us');
  emit({
    case: `gbdt-predict-row-${c.label}`,
    value: round(us, 2),
    unit: 'us',
    reference: 'sklearn-hgb',
    reference_value: round(usRef, 1),
    ratio: round(us / usRef),
    ...common,
  });
  const auc = m(a, 'auc');
  const aucRef = m(b, 'auc');
  emit({
    case: `gbdt-roc-auc-${c.label}`,
    value: round(auc, 5),
    unit: 'roc_auc',
    reference: 'sklearn-hgb',
    reference_value: round(aucRef, 5),
    difference: round(auc - aucRef, 5),
    ...common,
  });
  emit({
    case: `gbdt-peak-rss-${c.label}`,
    value: Math.round(Math.max(...a.map((r) => r.max_rss_mb as number))),
    unit: 'MB',
    reference: 'sklearn-hgb',
    reference_value: Math.round(Math.max(...b.map((r) => r.max_rss_mb as number))),
    ...common,
  });
  summary.push(
    `${c.label}: fit ${fit.toFixed(2)} s vs ${fitRef.toFixed(2)} s (${(fit / fitRef).toFixed(2)}x, target <= 1.5x); batch ${Math.round(rps).toLocaleString('en')} vs ${Math.round(rpsRef).toLocaleString('en')} rows/s (${(rps / rpsRef).toFixed(2)}x, target >= 1); one row ${us.toFixed(1)} us vs ${usRef.toFixed(0)} us (target < 20 us); ROC AUC ${auc.toFixed(4)} vs ${aucRef.toFixed(4)} (target within 0.005)`,
  );
}
// Logistic regression: its own bench, in this run.
const linear = spawnSync(process.execPath, ['--import', 'tsx', 'bench/training/linear.ts'], {
  cwd: ROOT,
  encoding: 'utf8',
  env: { ...process.env, BENCH_REPS: String(REPS) },
});
for (const line of linear.stdout.trim().split('\n')) if (line.startsWith('{')) console.log(line);
console.error(['', ...summary].join('\n'));
