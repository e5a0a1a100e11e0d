/**
 * bench/features: a fitted 20-column transform spec applied one row at a time (the online-serving path)
 * by the compiled row engine, beside references measured in the same run:
 *   - "object-floor": building an output object of the same shape from the row, with no transform;
 *   - "duckdb-batch": the same spec applied to the whole table by one DuckDB statement, per row.
 * Prints one JSON line per figure (../shared/BENCHMARKING.md). In-process, single thread.
 *
 *   npm run bench:features                         # 100,000 rows, 7 repetitions
 *   BENCH_ROWS=20000 BENCH_REPS=5 node --import tsx bench/features/run.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { readTable, withSession } from '../../src/columnar/index.js';
import {
  applyTransformsSql,
  compileRowTransform,
  fitTransforms,
  type RowValue,
  type TransformConfig,
} from '../../src/features/index.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 7);

type Figure = Record<string, string | number>;
const emit = (f: Figure) => console.log(JSON.stringify({ bench: 'features', ...f }));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** mulberry32: a fixed-seed generator, so every run sees the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUM = Array.from({ length: 12 }, (_, i) => `num_${i}`);
const INT = ['age', 'visits', 'tenure'];
const CAT: [string, string[]][] = [
  ['plan', ['free', 'basic', 'pro', 'team']],
  ['region', ['eu', 'us', 'apac', 'latam', 'mea']],
  ['device', ['ios', 'android', 'web']],
  ['channel', ['ads', 'organic', 'referral', 'email', 'social', 'partner']],
];

/** A CSV of ROWS rows and 20 columns: 12 floats (5% missing), 3 integers, 4 categories, a flag. */
function writeCsv(path: string): void {
  const rnd = random(42);
  const lines = [[...NUM, ...INT, ...CAT.map(([c]) => c), 'flag'].join(',')];
  for (let r = 0; r < ROWS; r++) {
    const cells = NUM.map((_, i) => (rnd() < 0.05 ? '' : ((rnd() - 0.3) * 10 ** (i % 4)).toFixed(4)));
    cells.push(
      String(18 + Math.floor(rnd() * 60)),
      String(Math.floor(rnd() ** 3 * 200)),
      String(Math.floor(rnd() * 120)),
    );
    for (const [, values] of CAT) cells.push(rnd() < 0.02 ? '' : values[Math.floor(rnd() * values.length)]!);
    cells.push(rnd() < 0.5 ? 'true' : 'false');
    lines.push(cells.join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const CONFIG: TransformConfig = {
  steps: [
    { type: 'expression', name: 'spend_ratio', expression: 'num_1 / (abs(num_2) + 1)' },
    { type: 'expression', name: 'engaged', expression: "visits > 20 and (plan = 'pro' or plan = 'team')" },
    {
      type: 'expression',
      name: 'score',
      expression: 'log1p(abs(num_3)) * if(flag, 1.5, 1) + coalesce(num_4, 0) / 100',
    },
    { type: 'impute', columns: NUM.slice(0, 6), strategy: 'mean' },
    { type: 'impute', columns: NUM.slice(6), strategy: 'median' },
    { type: 'impute', columns: CAT.map(([c]) => c), strategy: 'most_frequent' },
    { type: 'scale', columns: NUM.slice(0, 6), method: 'standard' },
    { type: 'scale', columns: NUM.slice(6), method: 'robust' },
    { type: 'scale', columns: INT, method: 'min_max' },
    { type: 'clip', columns: ['spend_ratio'], min: -10, max: 10 },
    { type: 'one_hot', columns: CAT.map(([c]) => c) },
  ],
};

/**
 * Times fn over every row, REPS times after a warm-up: median, min and max ns per row, and the median
 * number of garbage collections a repetition caused (0 means the loop allocated next to nothing).
 */
async function timeRows(
  label: string,
  rows: readonly Record<string, RowValue>[],
  fn: (row: Record<string, RowValue>) => number,
) {
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  // GC entries reach the observer a little after the collection, on a timer: wait for them.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  let sink = 0;
  for (let w = 0; w < 2; w++) for (const row of rows) sink += fn(row);
  const perRow: number[] = [];
  const gcCounts: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    await settle();
    gcs = 0;
    const start = performance.now();
    for (let i = 0; i < rows.length; i++) sink += fn(rows[i]!);
    const ms = performance.now() - start;
    await settle();
    perRow.push((ms * 1e6) / rows.length);
    gcCounts.push(gcs);
  }
  observer.disconnect();
  if (Number.isNaN(sink)) console.error(`${label}: checksum NaN`);
  return { value: median(perRow), min: Math.min(...perRow), max: Math.max(...perRow), gcs: median(gcCounts) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cyclops-bench-features-'));
  let peakRss = 0;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const csv = join(dir, 'train.csv');
    writeCsv(csv);
    await withSession(async (session) => {
      await readTable(session, { path: csv, format: 'csv', table: 'train' });
      const fitStart = performance.now();
      const spec = await fitTransforms(session, 'train', CONFIG);
      const fitMs = performance.now() - fitStart;
      const transform = compileRowTransform(spec);
      const rows = (await session.rows('SELECT * FROM train')).map(
        (r) =>
          JSON.parse(JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? Number(v) : v))) as Record<
            string,
            RowValue
          >,
      );
      const inputs = spec.inputs.length;
      const outputs = spec.outputs.length;
      emit({
        case: 'fit',
        value: round(fitMs),
        unit: 'ms',
        rows: ROWS,
        inputs,
        outputs,
        steps: CONFIG.steps.length,
      });

      // The floor: an object of the output shape filled from the row, nothing computed.
      const names = spec.outputs.map((o) => o.name);
      const template = Object.fromEntries(names.map((n) => [n, null as RowValue]));
      const floor = await timeRows('floor', rows, (row) => {
        const out = { ...template };
        for (let i = 0; i < names.length; i++) out[names[i]!] = row.num_0 ?? null;
        return names.length;
      });

      const apply = await timeRows(
        'apply',
        rows,
        (row) => (transform.apply(row).num_0 as number | null) ?? 0,
      );
      const buffer = new Float64Array(transform.numericOutputs.length);
      const into = await timeRows('applyInto', rows, (row) => {
        transform.applyInto(row, buffer);
        return buffer[0]!;
      });

      const batch: number[] = [];
      for (let rep = 0; rep <= REPS; rep++) {
        await session.run('DROP TABLE IF EXISTS out');
        const start = performance.now();
        await applyTransformsSql(session, spec, 'train', 'out');
        if (rep > 0) batch.push(((performance.now() - start) * 1e6) / ROWS);
      }
      const batchNs = median(batch);

      const common = { unit: 'ns/row', rows: ROWS, inputs, outputs, reps: REPS };
      emit({
        case: 'row-apply',
        value: round(apply.value),
        min: round(apply.min),
        max: round(apply.max),
        ...common,
        gc_per_rep: apply.gcs,
        reference: 'duckdb-batch',
        reference_value: round(batchNs),
        ratio: round(apply.value / batchNs, 2),
        target: 5000,
      });
      emit({
        case: 'row-apply-into-float64array',
        value: round(into.value),
        min: round(into.min),
        max: round(into.max),
        ...common,
        gc_per_rep: into.gcs,
        reference: 'object-floor',
        reference_value: round(floor.value),
        ratio: round(into.value / floor.value, 2),
      });
      emit({
        case: 'object-floor',
        value: round(floor.value),
        min: round(floor.min),
        max: round(floor.max),
        ...common,
      });
      emit({
        case: 'duckdb-batch',
        value: round(batchNs),
        min: round(Math.min(...batch)),
        max: round(Math.max(...batch)),
        ...common,
      });
    });
  } finally {
    clearInterval(sample);
    rmSync(dir, { recursive: true, force: true });
  }
  emit({ case: 'peak-rss', value: Math.round(peakRss / 2 ** 20), unit: 'MB' });
}

await main();
