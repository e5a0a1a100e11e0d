/**
 * The data bench's input: a seeded, deterministic CSV of ROWS rows x 20 columns (14 numeric, 6
 * categorical), about 290 MB at 1,000,000 rows. Written into a cache folder under the OS temp dir and
 * reused while its name (rows, seed, format version) matches; never committed.
 *
 *   node --import tsx bench/data/generate.ts [rows]      # prints the path
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SEED = 20_261_122;
// Bumped whenever the generator changes what it writes, so a stale cached file is never reused.
const FORMAT = 3;
const MISSING = 0.05;

/** sfc32: a small, fast, well-mixed 32-bit PRNG; the same seed gives the same file on every machine. */
function rng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  return next;
}

type Rand = () => number;
const normal = (r: Rand) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** Levels named `${prefix}${i}`, drawn with Zipf(s) weights: a few frequent values and a long tail. */
function zipf(levels: string[], s: number): (r: Rand) => string {
  const cdf: number[] = [];
  let total = 0;
  for (let i = 0; i < levels.length; i++) {
    total += 1 / (i + 1) ** s;
    cdf.push(total);
  }
  return (r) => {
    const u = r() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return levels[lo]!;
  };
}
const named = (prefix: string, n: number, width: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);

interface Column {
  name: string;
  value: (r: Rand, row: number[]) => string;
}

// `row` carries values between columns of one row (a correlated pair), by column position. Most floats
// are written at full precision (shortest round-trip form), as pandas' to_csv and most programs do.
const full = (x: number) => String(x);
const REGIONS = ['us', 'eu', 'ap', 'sa'].flatMap((area) =>
  ['north', 'south', 'east', 'west', 'central', 'northeast'].map((dir) => `${area}-${dir}-1`),
);
const COLUMNS: Column[] = [
  { name: 'user_id', value: (r) => String(1 + Math.floor(r() * 1e9)) },
  { name: 'segment', value: zipf(['consumer', 'corporate', 'home_office'], 1) },
  { name: 'age', value: (r) => String(18 + Math.floor(72 * r() ** 1.6)) },
  { name: 'amount', value: (r) => full(Math.exp(4 + 1.2 * normal(r))) },
  {
    name: 'weekday',
    value: zipf(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'], 0.3),
  },
  { name: 'latency_ms', value: (r) => full(-120 * Math.log(1 - r())) },
  {
    name: 'score',
    value: (r, row) => {
      row[6] = normal(r);
      return full(row[6]);
    },
  },
  { name: 'score_adj', value: (r, row) => full(0.8 * (row[6] ?? 0) + 0.6 * normal(r)) },
  { name: 'region', value: zipf(REGIONS, 0.5) },
  { name: 'temperature', value: (r) => full(15 + 10 * normal(r)) },
  { name: 'session_ms', value: (r) => String(Math.round(Math.exp(9 + 1.5 * normal(r)))) },
  { name: 'ratio', value: (r) => full(r() ** 2) },
  { name: 'product', value: zipf(named('product_', 100, 4), 1.1) },
  { name: 'balance', value: (r) => full(5000 + 3000 * normal(r)) },
  { name: 'event_us', value: (r) => String(1_700_000_000_000_000 + Math.floor(r() * 31_536_000_000_000)) },
  { name: 'weight', value: (r) => full(10 / (1 - r()) ** (1 / 2.5)) },
  { name: 'city', value: zipf(named('city_', 500, 5), 0.9) },
  { name: 'measurement', value: (r) => full(1000 * normal(r) + 250) },
  { name: 'humidity', value: (r) => full(Math.min(100, Math.max(0, 60 + 15 * normal(r)))) },
  {
    name: 'sku',
    value: zipf(
      named('SKU-', 1000, 6).map((s, i) => `${s}-${['S', 'M', 'L', 'XL'][i % 4]}`),
      1.05,
    ),
  },
];

export const CATEGORICAL_COLUMNS = 6;
export const NUMERIC_COLUMNS = COLUMNS.length - CATEGORICAL_COLUMNS;

/** The path of the cached CSV of `rows` rows, written first when missing. */
export function benchCsv(rows: number): string {
  const dir = join(tmpdir(), 'cyclops-bench-data');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `mixed-${rows}x${COLUMNS.length}-seed${SEED}-v${FORMAT}.csv`);
  if (existsSync(path)) return path;
  const partial = `${path}.partial-${process.pid}`;
  const fd = openSync(partial, 'w');
  try {
    const r = rng(SEED);
    const row: number[] = [];
    let buffer = `${COLUMNS.map((c) => c.name).join(',')}\n`;
    for (let i = 0; i < rows; i++) {
      let line = '';
      for (let k = 0; k < COLUMNS.length; k++) {
        // Draw the value even when it goes missing, so every column's stream stays the same.
        const v = COLUMNS[k]!.value(r, row);
        if (k > 0) line += ',';
        if (r() >= MISSING) line += v;
      }
      buffer += `${line}\n`;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const path = benchCsv(Number(process.argv[2] ?? 1_000_000));
  const mb = statSync(path).size / 1e6;
  console.error(`${mb.toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(path);
}
