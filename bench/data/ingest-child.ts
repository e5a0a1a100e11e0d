/**
 * One repetition of the data bench, in a process of its own so peak RSS is this run's alone:
 *
 *   node --import tsx bench/data/ingest-child.ts ingest FILE.csv OUT.parquet   # ingestFile, timed whole
 *   node --import tsx bench/data/ingest-child.ts stages FILE.csv OUT.parquet   # the same, each stage timed
 *
 * Prints one JSON object: seconds (module loading excluded, as the pandas side excludes its import),
 * per-stage seconds in `stages` mode, and the process's peak RSS.
 */
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The compiled package (run.ts builds it) when CYCLOPS_BENCH_DIST names it, else the TypeScript source.
const dist = process.env.CYCLOPS_BENCH_DIST;
const from = (file: string) =>
  dist ? pathToFileURL(join(dist, 'columnar', file)).href : `../../src/columnar/${file}`;
const { ingestFile, withSession } = (await import(
  from('index.js')
)) as typeof import('../../src/columnar/index.js');
const { ingestInto } = (await import(from('ingest.js'))) as typeof import('../../src/columnar/ingest.js');

const [mode, path, out] = process.argv.slice(2);
if (!path || !out || (mode !== 'ingest' && mode !== 'stages')) {
  console.error('usage: ingest-child.ts ingest|stages FILE.csv OUT.parquet');
  process.exit(2);
}

const stages: Record<string, number> = {};
const started = performance.now();
let t = started;
const lap = (name: string) => {
  const now = performance.now();
  stages[name] = (now - t) / 1000;
  t = now;
};
const result =
  mode === 'ingest'
    ? await ingestFile({ path, format: 'csv' }, out)
    : await withSession((session) => ingestInto(session, { path, format: 'csv' }, out, lap));
const summary = {
  rows: result.rowCount,
  bytes: result.bytes,
  hash: result.contentHash,
  kinds: result.schema.columns.map((c) => c.kind).join(','),
};
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    mode,
    file: basename(path),
    seconds,
    ...(mode === 'stages' ? { stages } : {}),
    ...summary,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
