/**
 * bench/tracking: the tracking server over real HTTP on loopback, on PGlite and on Postgres.
 * Prints one JSON line per figure (../shared/BENCHMARKING.md). The load generator (autocannon) runs in
 * this process and shares the 2 cores with the server.
 *
 *   npm run bench:tracking                       # PGlite, plus Postgres when reachable
 *   CYCLOPS_BENCH_DATABASE_URL=postgres://... npm run bench:tracking
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { load } from './load.js';
import { type Proc, startProcess } from './processes.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SEARCH_RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 10_000);
const HISTORY_POINTS = Number(process.env.BENCH_HISTORY_POINTS ?? 100_000);
const PG_URL = process.env.CYCLOPS_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Figure = Record<string, string | number>;
const emit = (f: Figure) => console.log(JSON.stringify({ bench: 'tracking', ...f }));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function post(base: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cyclops-user': 'bench' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Median of REPS autocannon runs after one warm-up, alternating the server and the reference. */
async function rate(
  label: string,
  target: () => Parameters<typeof load>[0],
  reference?: () => Parameters<typeof load>[0],
): Promise<{ value: number; min: number; max: number; ref?: number; p99: number }> {
  await load({ ...target(), durationSec: 1 });
  if (reference) await load({ ...reference(), durationSec: 1 });
  const ours: number[] = [];
  const refs: number[] = [];
  const p99s: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const r = await load({ ...target(), durationSec: SECONDS });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    ours.push(r.requestsPerSec);
    p99s.push(r.p99Ms);
    if (reference) refs.push((await load({ ...reference(), durationSec: SECONDS })).requestsPerSec);
  }
  return {
    value: median(ours),
    min: Math.min(...ours),
    max: Math.max(...ours),
    p99: median(p99s),
    ...(reference ? { ref: median(refs) } : {}),
  };
}

async function benchBackend(backend: 'pglite' | 'postgres', bare: Proc): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'cyclops-bench-'));
  let dropDb: (() => Promise<void>) | undefined;
  const env: Record<string, string> = { CYCLOPS_HOME: home };
  if (backend === 'postgres') {
    const name = `cyclops_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    env.CYCLOPS_DATABASE_URL = url.toString();
    env.CYCLOPS_DATABASE_POOL_SIZE = '16';
    dropDb = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const server = await startProcess(['src/bin/cyclops.ts', 'server', '--port', '0'], env);
  try {
    const base = server.url;
    const exp = (await post(base, '/api/v1/experiments', { name: 'bench' })).experiment.experiment_id;
    const runId = (await post(base, '/api/v1/runs', { experiment_id: exp })).run.info.run_id;
    const metricBody = JSON.stringify({ key: 'loss', value: 0.25, step: 1 });
    const bareTarget = () => ({ url: `${bare.url}/bare/${runId}/metrics`, body: metricBody });

    for (const connections of [1, 32]) {
      const r = await rate(
        `log-metric x${connections}`,
        () => ({ url: `${base}/api/v1/runs/${runId}/metrics`, body: metricBody, connections }),
        () => ({ ...bareTarget(), connections }),
      );
      emit({
        case: `log-metric-${connections === 1 ? 'sequential' : '32-clients'}`,
        backend,
        value: round(r.value),
        unit: 'req/s',
        min: round(r.min),
        max: round(r.max),
        p99_ms: r.p99,
        reference: 'bare-fastify',
        reference_value: round(r.ref ?? 0),
        ratio: round(r.value / (r.ref ?? 1), 3),
      });
    }

    const batchBody = JSON.stringify({
      metrics: Array.from({ length: 1000 }, (_, i) => ({
        key: `m${i % 10}`,
        value: i / 7,
        step: i,
        timestamp: 1_700_000_000_000 + i,
      })),
    });
    for (const connections of [1, 4]) {
      const r = await rate(`log-batch x${connections}`, () => ({
        url: `${base}/api/v1/runs/${runId}/batch`,
        body: batchBody,
        connections,
      }));
      emit({
        case: `log-batch-1000-${connections === 1 ? 'sequential' : '4-clients'}`,
        backend,
        value: Math.round(r.value * 1000),
        unit: 'points/s',
        min: Math.round(r.min * 1000),
        max: Math.round(r.max * 1000),
      });
    }

    const runBody = JSON.stringify({ experiment_id: exp });
    for (const connections of [1, 8]) {
      const r = await rate(`create-run x${connections}`, () => ({
        url: `${base}/api/v1/runs`,
        body: runBody,
        connections,
      }));
      emit({
        case: `create-run-${connections === 1 ? 'sequential' : '8-clients'}`,
        backend,
        value: round(r.value),
        unit: 'runs/s',
        min: round(r.min),
        max: round(r.max),
      });
    }

    // Search: a fresh experiment of SEARCH_RUNS runs, each with 5 metrics, 5 params and 3 tags.
    const sexp = (await post(base, '/api/v1/experiments', { name: 'bench-search' })).experiment.experiment_id;
    let next = 0;
    const seed = async () => {
      while (next < SEARCH_RUNS) {
        const i = next++;
        const id = (await post(base, '/api/v1/runs', { experiment_id: sexp })).run.info.run_id;
        const u = (k: number) => ((i * 2654435761 + k * 40503) % 10007) / 10007;
        await post(base, `/api/v1/runs/${id}/batch`, {
          metrics: ['acc', 'loss', 'f1', 'auc', 'rmse'].map((key, k) => ({ key, value: u(k), step: 0 })),
          params: [
            { key: 'lr', value: ['0.01', '0.1', '0.001'][i % 3]! },
            { key: 'depth', value: String(i % 10) },
            { key: 'model', value: 'gbdt' },
            { key: 'seed', value: String(i) },
            { key: 'batch', value: '64' },
          ],
          tags: [
            { key: 'team', value: 'ml' },
            { key: 'git', value: `c${i % 50}` },
            { key: 'stage', value: 'dev' },
          ],
        });
      }
    };
    const seedStart = performance.now();
    await Promise.all(Array.from({ length: 8 }, seed));
    emit({
      case: 'seed-10k-runs',
      backend,
      value: round((performance.now() - seedStart) / 1000),
      unit: 's',
      runs: SEARCH_RUNS,
    });
    const search = {
      experiment_ids: [sexp],
      filter: "metrics.acc > 0.9 AND params.lr = '0.01'",
      order_by: ['metrics.loss'],
    };
    let matched = 0;
    for (let i = 0; i < 5; i++) matched = (await post(base, '/api/v1/runs/search', search)).runs.length;
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await post(base, '/api/v1/runs/search', search);
      times.push(performance.now() - t);
    }
    emit({
      case: 'search-10k-runs',
      backend,
      value: round(median(times), 2),
      unit: 'ms p50',
      p95_ms: round(pct(times, 95), 2),
      min_ms: round(Math.min(...times), 2),
      max_ms: round(Math.max(...times), 2),
      matched,
    });

    // History: one key with HISTORY_POINTS points.
    const hrun = (await post(base, '/api/v1/runs', { experiment_id: exp })).run.info.run_id;
    for (let b = 0; b < HISTORY_POINTS / 1000; b++) {
      await post(base, `/api/v1/runs/${hrun}/batch`, {
        metrics: Array.from({ length: 1000 }, (_, i) => ({
          key: 'h',
          value: Math.sin(b * 1000 + i),
          step: b * 1000 + i,
          timestamp: 1_700_000_000_000,
        })),
      });
    }
    const htimes: number[] = [];
    let count = 0;
    for (let i = 0; i < 1 + REPS * 2; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/runs/${hrun}/metrics/history?key=h`, {
        headers: { 'x-cyclops-user': 'bench' },
      });
      count = ((await res.json()) as { metrics: unknown[] }).metrics.length;
      if (i > 0) htimes.push(performance.now() - t);
    }
    emit({
      case: 'metric-history-100k',
      backend,
      value: round(median(htimes), 1),
      unit: 'ms',
      min_ms: round(Math.min(...htimes), 1),
      max_ms: round(Math.max(...htimes), 1),
      points: count,
    });

    const mem = server.rss();
    emit({ case: 'server-rss-after', backend, value: mem.rssMb, unit: 'MB', peak_mb: mem.peakMb });
  } finally {
    await server.stop();
    await dropDb?.();
    rmSync(home, { recursive: true, force: true });
  }
}

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const bare = await startProcess(['bench/tracking/bare-fastify.ts'], {});
try {
  const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',') as Array<
    'pglite' | 'postgres'
  >;
  for (const backend of backends) {
    if (backend === 'postgres' && !(await postgresReachable())) {
      console.error(`postgres not reachable at ${PG_URL}: skipped (set CYCLOPS_BENCH_DATABASE_URL)`);
      continue;
    }
    await benchBackend(backend, bare);
  }
} finally {
  await bare.stop();
}
