import {
  type Clock,
  CyclopsError,
  decodeToken,
  encodeToken,
  invalid,
  isNonNegativeInt,
  notFound,
  type RequestContext,
  SYSTEM_ACTOR_NAME,
  systemClock,
} from '../../core/index.js';
import { type Db, writeAudit } from '../../store/index.js';
import type { TrainingService } from '../training.service.js';
import { bestTrial } from '../tuning/index.js';
import { ActiveStudies, type ActiveStudy } from './active-studies.js';
import { ParentRun, type StudyTracker } from './parent-run.js';
import { StudiesRepository, type StudyRow } from './studies.repository.js';
import type {
  ResolvedStudyConfig,
  StudyProgress,
  StudyStatus,
  TuningStudy,
  TuningStudyDetail,
  TuningStudyPage,
  TuningTrial,
} from './study.entity.js';
import { parseStudyConfig } from './study-config.js';
import { type ExecutionDeps, executeStudy, recordEnd, STUDY_ENTITY } from './study-execution.js';
import { newStudyRow, studyTotal, toStudy } from './study-row.js';
import { toTrialRecord } from './trial-row.js';

export interface StudyServiceDeps {
  db: Db;
  training: Pick<TrainingService, 'train'>;
  tracker: StudyTracker;
  clock?: Clock;
}

const MAX_PAGE = 1000;
const RESUMABLE: readonly StudyStatus[] = ['running', 'failed', 'cancelled'];
const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new CyclopsError('conflict', message, details);

/**
 * Tuning studies as a persistent, resumable service: a study's trials train in the background (each a
 * child run of the study's run) and every trial is stored as it starts and as it ends, so a study
 * stopped by a cancel, a failure or a dead process continues from its stored trials with `resume`.
 * Nothing resumes by itself when a process starts: a study a dead process left `running` waits for an
 * explicit `resume` (or `cancel`).
 */
export class StudyService {
  private readonly active = new ActiveStudies();
  private readonly repo = new StudiesRepository();
  private readonly clock: Clock;
  private readonly execution: ExecutionDeps;
  private readonly totals = new Map<number, number>();

  constructor(private readonly deps: StudyServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.execution = { db: deps.db, repo: this.repo, training: deps.training, clock: this.clock };
  }

  /** Checks the config, records the study, creates its run and starts the trials; returns at once. */
  async start(ctx: RequestContext, raw: unknown): Promise<TuningStudy> {
    const config = parseStudyConfig(raw);
    const { db, tracker } = this.deps;
    // The id first, so the run is created tagged with it and the study inserted with its run.
    const id = await this.repo.nextId(db);
    const parent = await ParentRun.start({ tracker, clock: this.clock }, ctx, config, id);
    const now = this.clock.now();
    try {
      await db.transaction().execute(async (trx) => {
        await this.repo.insert(trx, newStudyRow(ctx, { id, raw, config, parentRunId: parent.runId, now }));
        const after = {
          name: config.name,
          metric: config.metric,
          direction: config.direction,
          n_trials: config.nTrials,
        };
        await writeAudit(
          trx,
          ctx,
          { action: `${STUDY_ENTITY}.start`, entityType: STUDY_ENTITY, entityId: String(id), after },
          now,
        );
      });
    } catch (err) {
      await tracker.endRun(ctx, parent.runId, 'FAILED').catch(() => undefined);
      throw err;
    }
    return this.launch(ctx, this.active.claim(ctx, id), config, parent);
  }

  /**
   * Continues a running (left by a dead process), failed or cancelled study from its stored trials, in
   * the same parent run. Don't resume a study another live process is running: nothing here can tell.
   */
  async resume(ctx: RequestContext, id: number): Promise<TuningStudy> {
    const row = await this.row(ctx, id);
    if (row.status === 'finished')
      throw conflict(`Study ${id} has finished: nothing to resume`, { status: row.status });
    const config = this.storedConfig(row);
    const state = this.active.claim(ctx, id);
    let parent: ParentRun;
    try {
      parent = row.parent_run_id
        ? new ParentRun(this.deps.tracker, ctx, row.parent_run_id, config.metric, this.clock)
        : await ParentRun.start({ tracker: this.deps.tracker, clock: this.clock }, ctx, config, id);
      await parent.resumed();
      const now = this.clock.now();
      await this.deps.db.transaction().execute(async (trx) => {
        const patch = {
          status: 'running' as const,
          error: null,
          ended_at: null,
          parent_run_id: parent.runId,
        };
        const before = await this.repo.update(trx, ctx.projectId, id, patch, RESUMABLE);
        if (!before) throw conflict(`Study ${id} is no longer resumable (it ended meanwhile)`);
        const audit = { before: { status: before.status }, after: { status: 'running' } };
        await writeAudit(
          trx,
          ctx,
          { action: `${STUDY_ENTITY}.resume`, entityType: STUDY_ENTITY, entityId: String(id), ...audit },
          now,
        );
      });
    } catch (err) {
      this.active.release(state);
      throw err;
    }
    return this.launch(ctx, state, config, parent);
  }

  /** The study with its trials. */
  async get(ctx: RequestContext, id: number): Promise<TuningStudyDetail> {
    const row = await this.row(ctx, id);
    const trials = await this.repo.trials(this.deps.db, ctx.projectId, id);
    return { ...toStudy(row, this.progressOf(row, trials)), trials };
  }

  /** Newest first. */
  async list(
    ctx: RequestContext,
    input: {
      status?: StudyStatus | undefined;
      maxResults?: number | undefined;
      pageToken?: string | undefined;
    } = {},
  ): Promise<TuningStudyPage> {
    const limit = input.maxResults ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw invalid(`max_results: must be an integer from 1 to ${MAX_PAGE}, got ${limit}`, {
        field: 'max_results',
      });
    const beforeId = input.pageToken ? decodeToken(input.pageToken, isNonNegativeInt) : undefined;
    const { db } = this.deps;
    const rows = await this.repo.list(db, ctx.projectId, {
      beforeId,
      limit: limit + 1,
      status: input.status,
    });
    const page = rows.slice(0, limit);
    const summaries = await this.repo.summaries(
      db,
      ctx.projectId,
      page.map((r) => Number(r.id)),
    );
    const items = page.map((row) => {
      const live = this.active.get(Number(row.id))?.progress;
      const stored = summaries.get(Number(row.id)) ?? { completed: 0, best: null };
      return toStudy(row, live ?? { ...stored, total: this.total(row) });
    });
    const last = items.at(-1);
    return { items, nextPageToken: rows.length > limit && last ? encodeToken(last.id) : undefined };
  }

  /**
   * Stops a study running in this process: no trial starts after this, running trials are abandoned
   * (their training runs on to its end; they stay `running` and train again on resume), and the study
   * is `cancelled`. A study left `running` by a dead process is marked cancelled. Cancelling a cancelled
   * study changes nothing; a finished or failed one is a conflict.
   */
  async cancel(ctx: RequestContext, id: number): Promise<TuningStudy> {
    const row = await this.row(ctx, id);
    const state = this.active.get(id);
    if (state) {
      this.active.stop(state, ctx, `cancelled by ${ctx.actor.name}`);
      await state.done;
    } else if (row.status === 'running') {
      const parent = row.parent_run_id
        ? new ParentRun(this.deps.tracker, ctx, row.parent_run_id, row.metric, this.clock)
        : undefined;
      const error = `cancelled by ${ctx.actor.name} (no process was running it)`;
      await recordEnd(this.execution, ctx, id, { status: 'cancelled', error }, parent);
    } else if (row.status !== 'cancelled') {
      throw conflict(`Study ${id} is ${row.status}: only a running study can be cancelled`, {
        status: row.status,
      });
    }
    return this.summary(ctx, id);
  }

  /** Waits for a study running in this process to end (at once for any other); the study as it ended. */
  async wait(ctx: RequestContext, id: number): Promise<TuningStudy> {
    await this.row(ctx, id);
    const state = this.active.get(id);
    if (state) {
      await state.done;
      if (state.failure !== undefined) throw state.failure;
    }
    return this.summary(ctx, id);
  }

  /** Stops every study running in this process (as `cancelled`, resumable) and waits for them: shutdown. */
  async close(ctx?: RequestContext): Promise<void> {
    const states = this.active.all();
    for (const s of states) {
      const who = { actor: ctx?.actor ?? { id: 0, name: SYSTEM_ACTOR_NAME }, projectId: s.projectId };
      this.active.stop(s, who, 'the process stopped');
    }
    await Promise.all(states.map((s) => s.done));
  }

  /** Reads the study as started (running, before any new trial), then runs its trials in the background. */
  private async launch(
    ctx: RequestContext,
    state: ActiveStudy,
    config: ResolvedStudyConfig,
    parent: ParentRun,
  ): Promise<TuningStudy> {
    let study: TuningStudy;
    try {
      study = await this.summary(ctx, state.id);
    } catch (err) {
      this.active.release(state);
      throw err;
    }
    void executeStudy(this.execution, ctx, state, config, parent)
      .catch((err: unknown) => {
        state.failure = err;
      })
      .finally(() => this.active.release(state));
    return study;
  }

  private async summary(ctx: RequestContext, id: number): Promise<TuningStudy> {
    const { trials: _trials, ...study } = await this.get(ctx, id);
    return study;
  }

  private async row(ctx: RequestContext, id: number): Promise<StudyRow> {
    const row = Number.isSafeInteger(id) ? await this.repo.get(this.deps.db, ctx.projectId, id) : undefined;
    if (!row) throw notFound('Study', String(id));
    return row;
  }

  /** The stored config as given, with the values resolved at start (defaults may change between versions). */
  private storedConfig(row: StudyRow): ResolvedStudyConfig {
    let parsed: ResolvedStudyConfig;
    try {
      parsed = parseStudyConfig(row.config);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw conflict(`Study ${row.id}'s stored config no longer validates: ${message}`);
    }
    const { direction, metric, sampler, seed } = row;
    return {
      ...parsed,
      direction,
      metric,
      sampler,
      seed,
      nTrials: row.n_trials,
      concurrency: row.concurrency,
    };
  }

  private total(row: StudyRow): number {
    const id = Number(row.id);
    const total = this.totals.get(id) ?? studyTotal(row);
    this.totals.set(id, total);
    return total;
  }

  private progressOf(row: StudyRow, trials: readonly TuningTrial[]): StudyProgress {
    const live = this.active.get(Number(row.id))?.progress;
    if (live) return live;
    return {
      completed: trials.filter((t) => t.state !== 'running').length,
      total: this.total(row),
      best: bestTrial(trials.map(toTrialRecord), row.direction),
    };
  }
}
