import type { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/index.js';
import {
  type Clock,
  CyclopsError,
  decodeToken,
  encodeToken,
  invalid,
  isNonNegativeInt,
  newRunId,
  notFound,
  type RequestContext,
  systemClock,
} from '../core/index.js';
import { type Db, type Tx, writeAudit } from '../store/index.js';
import { parseExperimentId } from './experiment.service.js';
import { MetricWriter, type PreparedPoint, writePoints } from './metric-writer.js';
import { RunRepository, type RunRow, toRunInfo } from './run.repository.js';
import { randomRunName } from './run-name.js';
import { parseFilter, parseOrderBy, searchRunIds } from './search/index.js';
import type {
  BatchInput,
  KeyValue,
  MetricInput,
  MetricSeries,
  Page,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
} from './tracking.entity.js';
import { checkBatch, checkKey } from './validation.js';

export interface CreateRunInput {
  experimentId?: string | undefined;
  name?: string | undefined;
  startTime?: number | undefined;
  tags?: KeyValue[] | undefined;
}

export interface UpdateRunInput {
  status?: RunStatus | undefined;
  endTime?: number | undefined;
  name?: string | undefined;
}

export interface SearchRunsInput {
  experimentIds?: string[] | undefined;
  filter?: string | undefined;
  orderBy?: string[] | undefined;
  view?: ViewType | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

export interface RunServiceOptions {
  clock?: Clock;
  writerConcurrency?: number;
}

export interface MetricHistoryPage {
  series: MetricSeries;
  nextPageToken?: string | undefined;
}

/** Runs, their params (write-once), tags, metrics and artifacts, with MLflow's semantics. */
export class RunService {
  private readonly repo = new RunRepository();
  private readonly clock: Clock;
  private readonly writer: MetricWriter;

  constructor(
    private readonly db: Db,
    private readonly artifacts: ArtifactStore,
    options: RunServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.writer = new MetricWriter(db, {
      concurrency: options.writerConcurrency ?? 1,
      maxPointsPerCommit: 20_000,
    });
  }

  async create(ctx: RequestContext, input: CreateRunInput): Promise<Run> {
    const experimentId = parseExperimentId(input.experimentId ?? '0');
    const tags = input.tags ?? [];
    checkBatch([], [], tags);
    const now = this.clock.now();
    const runId = newRunId();
    const row = await this.db.transaction().execute(async (trx) => {
      const experiment = await trx
        .selectFrom('experiments')
        .select(['artifact_location', 'lifecycle_stage'])
        .where('project_id', '=', ctx.projectId)
        .where('experiment_id', '=', experimentId)
        .forShare()
        .executeTakeFirst();
      if (!experiment) throw notFound('Experiment', String(experimentId));
      if (experiment.lifecycle_stage !== 'active') {
        throw invalid(`Experiment ${experimentId} is deleted: restore it before creating runs in it`, {
          field: 'experiment_id',
        });
      }
      const run: RunRow = {
        run_uuid: runId,
        project_id: ctx.projectId,
        experiment_id: experimentId,
        name: input.name?.trim() || randomRunName(),
        user_id: ctx.actor.name,
        status: 'RUNNING',
        start_time: input.startTime ?? now,
        end_time: null,
        lifecycle_stage: 'active',
        deleted_time: null,
        artifact_uri: `${experiment.artifact_location}/${runId}/artifacts`,
      };
      await trx.insertInto('runs').values(run).execute();
      await this.repo.upsertTags(trx, ctx.projectId, runId, tags);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'run.create',
          entityType: 'run',
          entityId: runId,
          after: { experiment_id: String(experimentId), name: run.name },
        },
        now,
      );
      return run;
    });
    const sortedTags = [...new Map(tags.map((t) => [t.key, t.value]))].map(([key, value]) => ({
      key,
      value,
    }));
    sortedTags.sort((a, b) => (a.key < b.key ? -1 : 1));
    return { info: toRunInfo(row), metrics: [], params: [], tags: sortedTags };
  }

  async get(ctx: RequestContext, runId: string): Promise<Run> {
    const [run] = await this.repo.loadRuns(this.db, [runId]);
    if (!run || run.info.projectId !== ctx.projectId) throw notFound('Run', runId);
    return run;
  }

  async getInfo(ctx: RequestContext, runId: string): Promise<RunInfo> {
    const row = await this.repo.findById(this.db, ctx.projectId, runId);
    if (!row) throw notFound('Run', runId);
    return toRunInfo(row);
  }

  async update(ctx: RequestContext, runId: string, input: UpdateRunInput): Promise<Run> {
    await this.mutate(ctx, runId, 'run.update', async (trx, before) => {
      if (before.lifecycle_stage !== 'active') {
        throw invalid(`Run '${runId}' is deleted: restore it before updating it`, { field: 'run_id' });
      }
      const patch: Partial<RunRow> = {};
      if (input.status !== undefined) patch.status = input.status;
      if (input.endTime !== undefined) patch.end_time = input.endTime;
      if (input.name !== undefined) patch.name = input.name.trim() || before.name;
      if (Object.keys(patch).length === 0) return undefined;
      await trx.updateTable('runs').set(patch).where('run_uuid', '=', runId).execute();
      const pick = (r: Partial<RunRow>) => ({ status: r.status, end_time: r.end_time, name: r.name });
      return { before: pick(before), after: pick({ ...before, ...patch }) };
    });
    return this.get(ctx, runId);
  }

  async delete(ctx: RequestContext, runId: string): Promise<void> {
    await this.mutate(ctx, runId, 'run.delete', async (trx, before, now) => {
      if (before.lifecycle_stage === 'deleted') return undefined;
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: 'deleted', deleted_time: now })
        .where('run_uuid', '=', runId)
        .execute();
      return { before: { lifecycle_stage: 'active' }, after: { lifecycle_stage: 'deleted' } };
    });
  }

  async restore(ctx: RequestContext, runId: string): Promise<void> {
    await this.mutate(ctx, runId, 'run.restore', async (trx, before) => {
      if (before.lifecycle_stage === 'active') return undefined;
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: 'active', deleted_time: null })
        .where('run_uuid', '=', runId)
        .execute();
      return { before: { lifecycle_stage: 'deleted' }, after: { lifecycle_stage: 'active' } };
    });
  }

  async search(ctx: RequestContext, input: SearchRunsInput): Promise<Page<Run>> {
    const { runIds, nextPageToken } = await searchRunIds(this.db, {
      projectId: ctx.projectId,
      experimentIds: (input.experimentIds ?? ['0']).map(parseExperimentId),
      filter: parseFilter(input.filter ?? ''),
      orderBy: parseOrderBy(input.orderBy ?? []),
      lifecycle: input.view ?? 'active',
      maxResults: input.maxResults ?? 1000,
      pageToken: input.pageToken,
    });
    return { items: await this.repo.loadRuns(this.db, runIds), nextPageToken };
  }

  logMetric(ctx: RequestContext, runId: string, metric: MetricInput): Promise<void> {
    return this.logBatch(ctx, runId, { metrics: [metric] });
  }

  logParam(ctx: RequestContext, runId: string, param: KeyValue): Promise<void> {
    return this.logBatch(ctx, runId, { params: [param] });
  }

  setTag(ctx: RequestContext, runId: string, tag: KeyValue): Promise<void> {
    return this.logBatch(ctx, runId, { tags: [tag] });
  }

  async deleteTag(ctx: RequestContext, runId: string, key: string): Promise<void> {
    await this.mutate(ctx, runId, 'run.delete_tag', async (trx, before) => {
      assertActive(before);
      const r = await trx
        .deleteFrom('tags')
        .where('run_uuid', '=', runId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0)
        throw new CyclopsError('not_found', `Run '${runId}' has no tag '${key}'`, { key });
      return { before: { key } };
    });
  }

  /**
   * All-or-nothing: every entry is checked before anything is written, and everything is written in
   * one transaction. Metric-only batches go through the group-commit writer.
   */
  async logBatch(ctx: RequestContext, runId: string, batch: BatchInput): Promise<void> {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    checkBatch(metrics, params, tags);
    const now = this.clock.now();
    const points: PreparedPoint[] = metrics.map((m) => ({
      key: m.key,
      value: m.value,
      timestamp: m.timestamp ?? now,
      step: m.step ?? 0,
    }));
    if (params.length === 0 && tags.length === 0) {
      if (points.length > 0) await this.writer.write(ctx, runId, points);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      const run = await this.repo.lockForWrite(trx, ctx.projectId, runId);
      if (!run) throw notFound('Run', runId);
      assertActive(run);
      const stored = await this.repo.insertParams(trx, ctx.projectId, runId, params);
      params.forEach((p, i) => {
        const existing = stored.get(p.key);
        if (existing !== undefined && existing !== p.value) {
          throw new CyclopsError(
            'conflict',
            `Changing param values is not allowed. Param '${p.key}' was already logged with value '${existing}' ` +
              `for run '${runId}'; attempted new value '${p.value}'.`,
            { field: `params/${i}/value`, key: p.key, existing, attempted: p.value },
          );
        }
      });
      await this.repo.upsertTags(trx, ctx.projectId, runId, tags);
      if (points.length > 0) await writePoints(trx, this.repo, [{ runId, projectId: ctx.projectId, points }]);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'run.log_batch',
          entityType: 'run',
          entityId: runId,
          after: {
            params: Object.fromEntries(params.map((p) => [p.key, p.value])),
            tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
            metrics: points.length,
          },
        },
        now,
      );
    });
  }

  async metricHistory(
    ctx: RequestContext,
    runId: string,
    key: string,
    opts: { maxResults?: number | undefined; pageToken?: string | undefined } = {},
  ): Promise<MetricHistoryPage> {
    checkKey(key, 'key');
    await this.getInfo(ctx, runId);
    const limit = opts.maxResults ?? 100_000;
    const offset = opts.pageToken ? decodeToken(opts.pageToken, isNonNegativeInt) : 0;
    // Ask for one more point than the page holds to learn whether another page follows.
    const series = await this.repo.historyColumns(this.db, runId, key, offset, limit + 1);
    if (series.values.length <= limit) return { series };
    return {
      series: {
        key,
        steps: series.steps.subarray(0, limit),
        timestamps: series.timestamps.subarray(0, limit),
        values: series.values.subarray(0, limit),
      },
      nextPageToken: encodeToken(offset + limit),
    };
  }

  async uploadArtifact(
    ctx: RequestContext,
    runId: string,
    path: string,
    body: Readable,
    maxBytes: number,
  ): Promise<{ path: string; size: number; sha256: string }> {
    const info = await this.getInfo(ctx, runId);
    if (info.lifecycleStage !== 'active')
      throw invalid(`Run '${runId}' is deleted: restore it before logging to it`);
    const stored = await this.artifacts.put(`${info.artifactUri}/${path}`, body, { maxBytes });
    await writeAudit(this.db, ctx, {
      action: 'run.log_artifact',
      entityType: 'run',
      entityId: runId,
      after: { path, size: stored.size, sha256: stored.sha256 },
    });
    return { path, size: stored.size, sha256: stored.sha256 };
  }

  async listArtifacts(
    ctx: RequestContext,
    runId: string,
    path: string,
  ): Promise<{ rootUri: string; files: Array<{ path: string; isDir: boolean; size: number }> }> {
    const info = await this.getInfo(ctx, runId);
    const root = info.artifactUri;
    const entries = await this.artifacts.list(path ? `${root}/${path}` : root);
    return {
      rootUri: root,
      files: entries.map((e) => ({ ...e, path: e.path.slice(root.length + 1) })),
    };
  }

  async downloadArtifact(ctx: RequestContext, runId: string, path: string): Promise<Readable> {
    const info = await this.getInfo(ctx, runId);
    return this.artifacts.get(`${info.artifactUri}/${path}`);
  }

  private async mutate(
    ctx: RequestContext,
    runId: string,
    action: string,
    change: (
      trx: Tx,
      before: RunRow,
      now: number,
    ) => Promise<{ before?: unknown; after?: unknown } | undefined>,
  ): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('runs')
        .selectAll()
        .where('run_uuid', '=', runId)
        .where('project_id', '=', ctx.projectId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('Run', runId);
      const summary = await change(trx, before, now);
      if (summary)
        await writeAudit(trx, ctx, { action, entityType: 'run', entityId: runId, ...summary }, now);
    });
  }
}

function assertActive(run: RunRow): void {
  if (run.lifecycle_stage !== 'active') {
    throw invalid(`Run '${run.run_uuid}' is deleted: restore it before logging to it`, { field: 'run_id' });
  }
}
