/**
 * bench/data: ingest + profile of a 1,000,000-row x 20-column CSV (14 numeric, 6 categorical, 5% missing)
 * with columnar's ingestFile, against pandas + numpy doing read_csv, describe, histograms, value counts
 * and correlations on the same file, in the same run (../shared/BENCHMARKING.md).
 *
 *   npm run bench:data                  # 1 warm-up + 5 counted repetitions of each, alternating
 *   BENCH_REPS=3 BENCH_ROWS=200000 npm run bench:data
 *
 * Each repetition is a fresh process (peak RSS is that process's own): ours is
 * `node --import tsx bench/data/ingest-child.ts` running the compiled package (src built with
 * tsconfig.build.json into .bench-tmp/dist first, as users run it; BENCH_FROM_SOURCE=1 runs the
 * TypeScript through tsx instead), the reference `/usr/bin/python3 pandas_reference.py`. The headline
 * time excludes process start and module loading on both sides (pandas' import, Node's start). Prints
 * one JSON line per figure, then a summary; one more child run times ingestFile's stages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, DIST, gitState, median, ROOT, round as roundTo } from '../common.js';
import { benchCsv } from './generate.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PYTHON = '/usr/bin/python3';

type Figure = Record<string, string | number | boolean | null>;
const emit = (f: Figure) => console.log(JSON.stringify({ bench: 'data', ...f }));
const round = (x: number, d = 2) => roundTo(x, d);

interface Run {
  seconds: number;
  wallSeconds: number;
  rssMb: number;
  out: Record<string, unknown>;
}

/** Runs a child, timing its whole life too, and parses the JSON object it prints last. */
function child(cmd: string, args: string[], env: Record<string, string> = {}): Run {
  const started = performance.now();
  const stdout = execFileSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, ...env },
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  const seconds = Number(out.seconds ?? out.total_s);
  return { seconds, wallSeconds, rssMb: Number(out.max_rss_mb), out };
}

const fromSource = process.env.BENCH_FROM_SOURCE === '1';
const ours = (csv: string, out: string, mode = 'ingest') =>
  child(process.execPath, ['--import', 'tsx', 'bench/data/ingest-child.ts', mode, csv, out], {
    ...(fromSource ? {} : { CYCLOPS_BENCH_DIST: DIST }),
  });
const pandas = (csv: string) => child(PYTHON, ['bench/data/pandas_reference.py', csv]);

function spread(label: string, runs: Run[]): Figure {
  const s = runs.map((r) => r.seconds);
  return {
    [`${label}_s`]: round(median(s)),
    [`${label}_min_s`]: round(Math.min(...s)),
    [`${label}_max_s`]: round(Math.max(...s)),
    [`${label}_process_s`]: round(median(runs.map((r) => r.wallSeconds))),
    [`${label}_peak_rss_mb`]: Math.round(Math.max(...runs.map((r) => r.rssMb))),
  };
}

const csv = benchCsv(ROWS);
if (!fromSource) buildDist();
const dir = mkdtempSync(join(tmpdir(), 'cyclops-bench-data-'));
const { commit, dirty } = gitState();
try {
  const load1 = loadavg()[0]!;
  console.error(`data bench: ${csv} (${(statSync(csv).size / 1e6).toFixed(0)} MB), load ${load1.toFixed(2)}`);
  // Warm-up: the page cache holds the file for both from here on.
  const warm = ours(csv, join(dir, 'warm.parquet'));
  pandas(csv);
  const a: Run[] = [];
  const b: Run[] = [];
  for (let i = 0; i < REPS; i++) {
    a.push(ours(csv, join(dir, `out-${i}.parquet`)));
    b.push(pandas(csv));
    console.error(`  rep ${i + 1}: ours ${a[i]!.seconds.toFixed(2)} s, pandas ${b[i]!.seconds.toFixed(2)} s`);
  }
  const stages = ours(csv, join(dir, 'stages.parquet'), 'stages');
  const sa = median(a.map((r) => r.seconds));
  const sb = median(b.map((r) => r.seconds));
  const common = {
    rows: ROWS,
    columns: 20,
    file_mb: Math.round(statSync(csv).size / 1e6),
    build: fromSource ? 'source (tsx)' : 'compiled',
    commit,
    dirty,
  };
  emit({
    case: 'ingest-profile-1m-x20',
    value: round(sa),
    unit: 's',
    min: round(Math.min(...a.map((r) => r.seconds))),
    max: round(Math.max(...a.map((r) => r.seconds))),
    reference: 'pandas read_csv+describe+histograms+value_counts+corr',
    reference_value: round(sb),
    ratio: round(sb / sa),
    ...spread('ours', a),
    ...spread('pandas', b),
    reps: REPS,
    load_before: round(load1),
    load_after: round(loadavg()[0]!),
    ...common,
  });
  emit({
    case: 'ingest-peak-rss-1m-x20',
    value: Math.round(Math.max(...a.map((r) => r.rssMb))),
    unit: 'MB',
    reference: 'pandas',
    reference_value: Math.round(Math.max(...b.map((r) => r.rssMb))),
    ...common,
  });
  const stageSeconds = stages.out.stages as Record<string, number>;
  emit({
    case: 'ingest-stages-1m-x20',
    unit: 's',
    ...Object.fromEntries(Object.entries(stageSeconds).map(([k, v]) => [k, round(v)])),
    note: 'one more run, timed between the steps of ingestFile (read = CSV to Parquet; scan = hashing and converting while the Parquet file streams back)',
    ...common,
  });
  emit({
    case: 'pandas-stages-1m-x20',
    unit: 's',
    ...(b[0]!.out.stages_s as Record<string, number>),
    engine: String(b[0]!.out.engine),
    ...common,
  });
  const check = warm.out;
  console.error(
    [
      '',
      `ingestFile, 1M x 20 CSV: ${sa.toFixed(2)} s median (${REPS} runs), pandas ${sb.toFixed(2)} s: ${(sb / sa).toFixed(2)}x faster (target >= 1.5x)`,
      `peak RSS: ours ${Math.round(Math.max(...a.map((r) => r.rssMb)))} MB (target < 1,500 MB), pandas ${Math.round(Math.max(...b.map((r) => r.rssMb)))} MB`,
      `stages: ${Object.entries(stageSeconds)
        .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
        .join(', ')}`,
      `snapshot ${(Number(check.bytes) / 1e6).toFixed(0)} MB, hash ${String(check.hash).slice(0, 16)}..., load ${load1.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`,
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
