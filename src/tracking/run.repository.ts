import { sql } from 'kysely';
import type { Db, RunsTable, Tx } from '../store/index.js';
import type { KeyValue, MetricSeries, Run, RunInfo } from './tracking.entity.js';

export type RunRow = RunsTable;

export function toRunInfo(row: RunRow): RunInfo {
  return {
    runId: row.run_uuid,
    projectId: row.project_id,
    experimentId: String(row.experiment_id),
    name: row.name,
    userId: row.user_id,
    status: row.status,
    startTime: row.start_time,
    endTime: row.end_time ?? undefined,
    lifecycleStage: row.lifecycle_stage,
    artifactUri: row.artifact_uri,
  };
}

/** A batch of metric points in columns, the shape `unnest` takes: one statement for any number of points. */
export interface MetricColumns {
  runIds: string[];
  projectIds: string[];
  keys: string[];
  values: number[];
  timestamps: number[];
  steps: number[];
}

export function emptyColumns(): MetricColumns {
  return { runIds: [], projectIds: [], keys: [], values: [], timestamps: [], steps: [] };
}

export class RunRepository {
  async findById(db: Db | Tx, projectId: string, runId: string): Promise<RunRow | undefined> {
    return db
      .selectFrom('runs')
      .selectAll()
      .where('run_uuid', '=', runId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
  }

  async lockForWrite(trx: Tx, projectId: string, runId: string): Promise<RunRow | undefined> {
    return trx
      .selectFrom('runs')
      .selectAll()
      .where('run_uuid', '=', runId)
      .where('project_id', '=', projectId)
      .forShare()
      .executeTakeFirst();
  }

  async statesOf(db: Db, runIds: string[]): Promise<Map<string, { projectId: string; stage: string }>> {
    const rows = await db
      .selectFrom('runs')
      .select(['run_uuid', 'project_id', 'lifecycle_stage'])
      .where('run_uuid', 'in', runIds)
      .execute();
    return new Map(rows.map((r) => [r.run_uuid, { projectId: r.project_id, stage: r.lifecycle_stage }]));
  }

  /**
   * Loads runs with their latest metrics, params and tags in one statement that returns one JSON text:
   * PGlite turns result rows into JS objects row by row in JS, so a page of 1,000 runs as ~15,000 rows
   * costs far more than parsing one string natively. Order of `runIds` is kept.
   */
  async loadRuns(db: Db, runIds: string[]): Promise<Run[]> {
    if (runIds.length === 0) return [];
    const { rows } = await sql<{ page: string | null }>`
      SELECT json_agg(json_build_array(
        r.run_uuid, r.project_id, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time,
        r.lifecycle_stage, r.artifact_uri,
        (SELECT json_agg(json_build_array(m.key, m.value, m.timestamp, m.step) ORDER BY m.key)
           FROM latest_metrics m WHERE m.run_uuid = r.run_uuid),
        (SELECT json_agg(json_build_array(p.key, p.value) ORDER BY p.key) FROM params p WHERE p.run_uuid = r.run_uuid),
        (SELECT json_agg(json_build_array(t.key, t.value) ORDER BY t.key) FROM tags t WHERE t.run_uuid = r.run_uuid)
      ))::text AS page
      FROM runs r WHERE r.run_uuid = ANY(${runIds}::bpchar[])`.execute(db);
    const byId = new Map<string, Run>();
    for (const row of JSON.parse(rows[0]?.page ?? '[]') as PackedRun[]) {
      const run = unpackRun(row);
      byId.set(run.info.runId, run);
    }
    return runIds.flatMap((id) => byId.get(id) ?? []);
  }

  async insertMetrics(trx: Tx, cols: MetricColumns): Promise<void> {
    if (cols.keys.length === 0) return;
    await sql`INSERT INTO metrics (run_uuid, project_id, key, value, timestamp, step)
      SELECT * FROM unnest(${cols.runIds}::text[], ${cols.projectIds}::text[], ${cols.keys}::text[],
        ${cols.values}::float8[], ${cols.timestamps}::int8[], ${cols.steps}::int8[])`.execute(trx);
  }

  /**
   * Moves each (run, key)'s latest value forward when the new point is greater by (step, timestamp,
   * value). Callers pass one candidate per (run, key), sorted, so concurrent writers lock rows in the
   * same order and cannot deadlock.
   */
  async upsertLatest(trx: Tx, cols: MetricColumns): Promise<void> {
    if (cols.keys.length === 0) return;
    await sql`INSERT INTO latest_metrics (run_uuid, project_id, key, value, timestamp, step)
      SELECT * FROM unnest(${cols.runIds}::text[], ${cols.projectIds}::text[], ${cols.keys}::text[],
        ${cols.values}::float8[], ${cols.timestamps}::int8[], ${cols.steps}::int8[])
      ON CONFLICT (run_uuid, key) DO UPDATE
        SET value = EXCLUDED.value, timestamp = EXCLUDED.timestamp, step = EXCLUDED.step
        WHERE (EXCLUDED.step, EXCLUDED.timestamp, EXCLUDED.value)
            > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`.execute(trx);
  }

  /** Inserts params that are new; returns the stored values of all given keys (to detect changes). */
  async insertParams(
    trx: Tx,
    projectId: string,
    runId: string,
    params: KeyValue[],
  ): Promise<Map<string, string>> {
    if (params.length === 0) return new Map();
    const sorted = [...params].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    await trx
      .insertInto('params')
      .values(sorted.map((p) => ({ run_uuid: runId, project_id: projectId, key: p.key, value: p.value })))
      .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
      .execute();
    const stored = await trx
      .selectFrom('params')
      .select(['key', 'value'])
      .where('run_uuid', '=', runId)
      .where(
        'key',
        'in',
        sorted.map((p) => p.key),
      )
      .execute();
    return new Map(stored.map((r) => [r.key, r.value]));
  }

  async upsertTags(trx: Tx, projectId: string, runId: string, tags: KeyValue[]): Promise<void> {
    if (tags.length === 0) return;
    // Last write wins within a batch, as in MLflow; sorted so concurrent writers lock in one order.
    const last = new Map(tags.map((t) => [t.key, t.value]));
    const rows = [...last.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ run_uuid: runId, project_id: projectId, key, value }));
    await trx
      .insertInto('tags')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }

  /**
   * A page of one metric's history as columns. Postgres packs each point into 24 bytes (int8send and
   * float8send, big-endian), concatenates them and hands the result over as base64 text: no per-row
   * float formatting and no per-row JS objects. (base64, not bytea: PGlite decodes bytea's hex form
   * byte by byte in JS, which costs more than the query; Buffer decodes base64 natively.) The sorted
   * subquery feeds string_agg in order, the documented "sorted subquery" form; a test inserts points
   * out of order to keep us honest. Ties on (step, timestamp) keep index order, stable across pages.
   */
  async historyColumns(
    db: Db,
    runId: string,
    key: string,
    offset: number,
    limit: number,
  ): Promise<MetricSeries> {
    const { rows } = await sql<{ count: number; packed: string | null }>`
      SELECT count(*)::int AS count,
             encode(string_agg(int8send(step) || int8send(timestamp) || float8send(value), ''::bytea), 'base64') AS packed
      FROM (SELECT step, timestamp, value FROM metrics
            WHERE run_uuid = ${runId} AND key = ${key}
            ORDER BY step, timestamp
            OFFSET ${offset} LIMIT ${limit}) AS page`.execute(db);
    const count = Number(rows[0]?.count ?? 0);
    const packed = rows[0]?.packed;
    return unpackSeries(key, count, packed ? Buffer.from(packed, 'base64') : null);
  }
}

const RECORD_BYTES = 24;

export function unpackSeries(key: string, count: number, packed: Uint8Array | null): MetricSeries {
  const steps = new Float64Array(count);
  const timestamps = new Float64Array(count);
  const values = new Float64Array(count);
  if (packed && count > 0) {
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    for (let i = 0, o = 0; i < count; i++, o += RECORD_BYTES) {
      // int64 as hi * 2^32 + lo: exact for every step and epoch-millisecond below 2^53.
      steps[i] = view.getInt32(o) * 4294967296 + view.getUint32(o + 4);
      timestamps[i] = view.getInt32(o + 8) * 4294967296 + view.getUint32(o + 12);
      values[i] = view.getFloat64(o + 16);
    }
  }
  return { key, steps, timestamps, values };
}

type PackedRun = [
  string,
  string,
  number,
  string,
  string,
  RunRow['status'],
  number,
  number | null,
  RunRow['lifecycle_stage'],
  string,
  Array<[string, number | string, number, number]> | null,
  Array<[string, string]> | null,
  Array<[string, string]> | null,
];

/** Postgres writes non-finite doubles in JSON as the strings "NaN", "Infinity" and "-Infinity". */
function jsonDouble(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

function unpackRun(r: PackedRun): Run {
  return {
    info: {
      runId: r[0],
      projectId: r[1],
      experimentId: String(r[2]),
      name: r[3],
      userId: r[4],
      status: r[5],
      startTime: r[6],
      endTime: r[7] ?? undefined,
      lifecycleStage: r[8],
      artifactUri: r[9],
    },
    metrics: (r[10] ?? []).map(([key, value, timestamp, step]) => ({
      key,
      value: jsonDouble(value),
      timestamp,
      step,
    })),
    params: (r[11] ?? []).map(([key, value]) => ({ key, value })),
    tags: (r[12] ?? []).map(([key, value]) => ({ key, value })),
  };
}
