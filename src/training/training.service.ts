import type { BundleManifest } from '../contracts/index.js';
import {
  type Clock,
  CyclopsError,
  isCyclopsError,
  notFound,
  type RequestContext,
  systemClock,
} from '../core/index.js';
import type { DatasetService } from '../data/index.js';
import type { Executor } from '../exec/index.js';
import { requiredInputs } from '../features/index.js';
import { checkParams } from './algorithms/params.js';
import { ALGORITHMS, algorithmNamed } from './algorithms/registry.js';
import { LoadedBundle } from './bundle/loaded-bundle.js';
import { type BundleEvaluation, evaluateBundle } from './evaluate-bundle.js';
import { type FitTaskInput, type FitTaskOutput, toWire } from './fit-task.js';
import type { TrainingData } from './model.entity.js';
import { type Prepared, prepareTraining } from './prepare.js';
import { ProgressBuffer } from './progress-buffer.js';
import type {
  JobStatus,
  TrainInput,
  TrainingJob,
  TrainingTracker,
  TrainResult,
  VersionRef,
} from './training.entity.js';
import { buildReport, flatMetrics } from './training-report.js';

export interface TrainingServiceDeps {
  datasets: DatasetService;
  executor: Executor;
  tracker: TrainingTracker;
  /** What trained the model, for the bundle's lineage (package version, commit). */
  codeVersion: string;
  clock?: Clock;
}

interface JobState {
  job: TrainingJob;
  projectId: string;
  controller: AbortController;
  progress: ProgressBuffer;
  done: Promise<TrainResult>;
}

/** How often a running fit's progress is read for onIteration callbacks. */
const PROGRESS_POLL_MS = 50;

/** The bundle's directory among a training run's artifacts. */
export const BUNDLE_DIR = 'model';
const FIT_TASK = new URL(import.meta.url.endsWith('.ts') ? './fit-task.ts' : './fit-task.js', import.meta.url)
  .href;
/** Finished jobs remembered for status queries (their runs keep everything for good). */
const KEEP_FINISHED_JOBS = 200;

/**
 * Trains built-in models on dataset versions: loads and checks the data (a bad request fails here,
 * before any run exists), then fits on an Executor thread in the background while a tracking run
 * records params, per-iteration losses, the evaluation and the model bundle. A failure marks the run
 * FAILED, and the bundle's manifest is written last, so a run never holds a loadable half-bundle.
 */
export class TrainingService {
  private readonly jobs = new Map<string, JobState>();
  private readonly clock: Clock;

  constructor(private readonly deps: TrainingServiceDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** The built-in algorithms, their tasks and hyperparameters. */
  algorithms() {
    return ALGORITHMS.map((a) => ({
      name: a.name,
      title: a.title,
      tasks: [...a.tasks],
      params: [...a.params],
    }));
  }

  /** Checks and loads the data, starts the run and the fit; resolves once the fit has started. */
  async start(ctx: RequestContext, input: TrainInput): Promise<TrainingJob> {
    const algorithm = algorithmNamed(input.algorithm);
    const params = checkParams(algorithm.title, algorithm.params, input.params ?? {});
    const prepared = await prepareTraining(ctx, this.deps.datasets, input);
    const seed = input.seed ?? 0;
    const { runId, experimentId } = await this.deps.tracker.startRun(ctx, {
      experiment: input.experiment,
      runName: input.runName,
      tags: {
        'cyclops.training.algorithm': algorithm.name,
        'cyclops.training.task': prepared.schema.task,
        ...(input.parentRunId ? { 'mlflow.parentRunId': input.parentRunId } : {}),
      },
    });
    const startedAt = this.clock.now();
    const planned = plannedIterations(algorithm.name, params);
    const job: TrainingJob = {
      id: runId,
      runId,
      experimentId,
      algorithm: algorithm.name,
      status: 'running',
      progress: { done: 0, total: planned },
      startedAt,
      endedAt: null,
      result: null,
      error: null,
    };
    const state: JobState = {
      job,
      projectId: ctx.projectId,
      controller: new AbortController(),
      progress: ProgressBuffer.create(planned ?? 0),
      done: Promise.resolve(undefined as unknown as TrainResult),
    };
    input.signal?.addEventListener('abort', () => state.controller.abort(input.signal?.reason), {
      once: true,
    });
    state.done = this.fit(ctx, state, input, prepared, params, seed);
    // The job's outcome is kept on the job; callers that await `done` get it too.
    state.done.catch(() => undefined);
    this.jobs.set(runId, state);
    this.forgetOldJobs();
    return this.snapshot(state);
  }

  /** Trains and waits for the result (the CLI's --wait, tests, tuning trials). */
  async train(ctx: RequestContext, input: TrainInput): Promise<TrainResult> {
    const job = await this.start(ctx, input);
    return (this.jobs.get(job.id) as JobState).done;
  }

  /** Waits for a started job to end; its result, or its error. */
  wait(ctx: RequestContext, id: string): Promise<TrainResult> {
    return this.state(ctx, id).done;
  }

  job(ctx: RequestContext, id: string): TrainingJob {
    return this.snapshot(this.state(ctx, id));
  }

  listJobs(ctx: RequestContext): TrainingJob[] {
    return [...this.jobs.values()]
      .filter((s) => s.projectId === ctx.projectId)
      .map((s) => this.snapshot(s))
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  /**
   * Scores the model bundle of a run (trained here, or a bundle uploaded as the run's `model/`
   * artifacts: an ONNX model from PyTorch, say) on a dataset version with the whole KPI set.
   */
  async evaluateRun(
    ctx: RequestContext,
    runId: string,
    data: VersionRef,
    sliceBy?: string,
  ): Promise<BundleEvaluation> {
    const bundle = await this.loadRunBundle(ctx, runId);
    try {
      return await evaluateBundle(ctx, this.deps.datasets, bundle, data, sliceBy);
    } finally {
      await bundle.close();
    }
  }

  /** The model bundle under a run's `model/` artifacts (close it when done: an ONNX session holds memory). */
  loadRunBundle(ctx: RequestContext, runId: string): Promise<LoadedBundle> {
    return LoadedBundle.load((path) => this.deps.tracker.readArtifact(ctx, runId, `${BUNDLE_DIR}/${path}`));
  }

  /** Stops a running job: the fit is interrupted and the run marked FAILED. */
  cancel(ctx: RequestContext, id: string): TrainingJob {
    const state = this.state(ctx, id);
    if (state.job.status === 'running')
      state.controller.abort(
        new CyclopsError('unavailable', 'training was cancelled', { reason: 'cancelled' }),
      );
    return this.snapshot(state);
  }

  private state(ctx: RequestContext, id: string): JobState {
    const state = this.jobs.get(id);
    if (!state || state.projectId !== ctx.projectId) throw notFound('Training job', id);
    return state;
  }

  private snapshot(state: JobState): TrainingJob {
    const done = state.progress.done;
    return {
      ...state.job,
      progress: { ...state.job.progress, done: Math.max(state.job.progress.done, done) },
    };
  }

  private forgetOldJobs(): void {
    const ended = [...this.jobs.values()].filter((s) => s.job.status !== 'running');
    for (const s of ended.slice(0, Math.max(0, ended.length - KEEP_FINISHED_JOBS)))
      this.jobs.delete(s.job.id);
  }

  private async fit(
    ctx: RequestContext,
    state: JobState,
    input: TrainInput,
    prepared: Prepared,
    params: Record<string, unknown>,
    seed: number,
  ): Promise<TrainResult> {
    const { job } = state;
    const { tracker } = this.deps;
    const evaluatedOn = prepared.test ? 'test' : prepared.validation ? 'validation' : 'train';
    const evalData = (prepared.test ?? prepared.validation ?? prepared.train) as TrainingData;
    try {
      await tracker.log(ctx, job.runId, { params: runParams(input, prepared, params, seed) });
      const task: FitTaskInput = {
        algorithm: job.algorithm,
        params,
        seed,
        train: toWire(prepared.train),
        ...(prepared.validation ? { validation: toWire(prepared.validation) } : {}),
        progress: state.progress.buffer,
        evaluate: { data: toWire(evalData), permutation: input.permutationImportance ?? true },
      };
      const stopWatching = watchIterations(state.progress, input.onIteration);
      let fitted: FitTaskOutput;
      try {
        fitted = await this.deps.executor.runFunction<FitTaskOutput>(FIT_TASK, 'fitModelTask', task, {
          signal: state.controller.signal,
        });
      } finally {
        stopWatching();
      }
      const report = buildReport(
        evalData,
        evaluatedOn,
        fitted,
        input.sliceBy && prepared.sliceKeys ? { column: input.sliceBy, keys: prepared.sliceKeys } : null,
      );
      const metrics = flatMetrics(report.evaluation.metrics);
      const manifest = this.manifest(ctx, job, prepared, params, { [evaluatedOn]: metrics });
      const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
      // The payload and the report first, the manifest last: a bundle without model.json does not load.
      await tracker.uploadArtifact(ctx, job.runId, `${BUNDLE_DIR}/${manifest.payload}`, json(fitted.model));
      await tracker.uploadArtifact(ctx, job.runId, 'evaluation/report.json', json(report));
      await tracker.uploadArtifact(ctx, job.runId, `${BUNDLE_DIR}/model.json`, json(manifest));
      const now = this.clock.now();
      await tracker.log(ctx, job.runId, {
        metrics: [
          ...fitted.history.flatMap(({ step, metrics: m }) =>
            Object.entries(m).map(([key, value]) => ({ key, value, step, timestamp: now })),
          ),
          ...Object.entries(metrics).flatMap(([key, value]) =>
            value === null ? [] : [{ key: `${evaluatedOn}_${key}`, value, step: 0, timestamp: now }],
          ),
        ],
        tags: { 'cyclops.model.bundle': BUNDLE_DIR },
      });
      await tracker.endRun(ctx, job.runId, 'FINISHED');
      const iterations = fitted.history.length > 0 ? fitted.history.length : null;
      const result: TrainResult = {
        runId: job.runId,
        experimentId: job.experimentId,
        algorithm: job.algorithm,
        task: prepared.schema.task,
        iterations,
        evaluatedOn,
        metrics,
        rows: {
          train: prepared.train.x.rows,
          validation: prepared.validation?.x.rows ?? null,
          test: prepared.test?.x.rows ?? null,
          droppedMissingTarget: prepared.droppedMissingTarget,
        },
        skippedColumns: prepared.schema.skipped,
        bundlePath: BUNDLE_DIR,
        manifest,
        report,
        durationMs: now - job.startedAt,
      };
      this.end(state, 'finished', result, null);
      return result;
    } catch (err) {
      const cancelled = state.controller.signal.aborted;
      const error = isCyclopsError(err)
        ? { code: err.code, message: err.message }
        : { code: 'internal', message: err instanceof Error ? err.message : String(err) };
      await tracker
        .log(ctx, job.runId, { tags: { 'cyclops.error': error.message.slice(0, 5000) } })
        .catch(() => undefined);
      await tracker.endRun(ctx, job.runId, 'FAILED').catch(() => undefined);
      this.end(state, cancelled ? 'cancelled' : 'failed', null, error);
      throw err;
    }
  }

  private end(
    state: JobState,
    status: JobStatus,
    result: TrainResult | null,
    error: TrainingJob['error'],
  ): void {
    state.job = {
      ...state.job,
      status,
      result,
      error,
      endedAt: this.clock.now(),
      progress: { ...state.job.progress, done: state.progress.done },
    };
  }

  private manifest(
    ctx: RequestContext,
    job: TrainingJob,
    prepared: Prepared,
    params: Record<string, unknown>,
    metrics: BundleManifest['metrics'],
  ): BundleManifest {
    const { schema } = prepared;
    // A caller sends only what the model's features come from: the transform ends by dropping the
    // outputs that are not features, and the signature lists just the inputs the rest need.
    const featureNames = new Set(schema.features.map((f) => f.name));
    const spec = prepared.transform;
    const unused = spec ? spec.outputs.filter((c) => !featureNames.has(c.name)).map((c) => c.name) : [];
    const transform =
      spec && unused.length > 0
        ? {
            ...spec,
            steps: [...spec.steps, { type: 'drop' as const, columns: unused }],
            outputs: spec.outputs.filter((c) => featureNames.has(c.name)),
          }
        : spec;
    const inputs = transform
      ? requiredInputs(transform)
      : prepared.inputs.filter((c) => featureNames.has(c.name));
    return {
      format: 'cyclops.bundle.v1',
      flavor: 'builtin',
      algorithm: job.algorithm,
      task: schema.task,
      params,
      signature: {
        inputs: inputs as BundleManifest['signature']['inputs'],
        outputs: schema.classes ? schema.classes.map((c) => `probability(${c})`) : ['prediction'],
        target: schema.target,
        ...(schema.classes ? { classes: schema.classes } : {}),
      },
      transform,
      features: schema.features.map((f) => ({
        name: f.name,
        kind: f.kind,
        ...(f.categories ? { categories: f.categories } : {}),
      })),
      payload: 'payload.json',
      metrics,
      lineage: {
        datasets: prepared.lineage,
        runId: job.runId,
        codeVersion: this.deps.codeVersion,
        createdAt: this.clock.now(),
        createdBy: ctx.actor.name,
      },
    };
  }
}

/**
 * Calls `onIteration` for each iteration the fit has reported since the last look (polled: the fit
 * runs on another thread); returns the function that stops watching, after a last look.
 */
function watchIterations(progress: ProgressBuffer, onIteration: TrainInput['onIteration']): () => void {
  if (!onIteration) return () => undefined;
  let seen = 0;
  const look = () => {
    const done = progress.done;
    for (; seen < done; seen++) {
      const losses = progress.lossesAt(seen);
      if (losses.train_loss !== undefined || losses.validation_loss !== undefined) onIteration(seen, losses);
    }
  };
  const timer = setInterval(look, PROGRESS_POLL_MS);
  return () => {
    clearInterval(timer);
    look();
  };
}

/** Iterations a fit will report (boosting rounds, trees, optimizer steps), for progress bars. */
function plannedIterations(algorithm: string, params: Record<string, unknown>): number | null {
  const n = params.max_iter ?? params.n_estimators;
  return typeof n === 'number' ? n : algorithm === 'ridge' ? 1 : null;
}

/** A run's params: what was trained on what (params are text, write-once). */
function runParams(
  input: TrainInput,
  prepared: Prepared,
  params: Record<string, unknown>,
  seed: number,
): Record<string, string> {
  const out: Record<string, string> = {
    algorithm: input.algorithm,
    task: prepared.schema.task,
    target: input.target,
    seed: String(seed),
    features: prepared.schema.features
      .map((f) => f.name)
      .join(',')
      .slice(0, 6000),
  };
  for (const d of prepared.lineage) out[`${d.role}_dataset`] = `${d.dataset}@${d.version}`;
  for (const [key, value] of Object.entries(params)) out[key] = String(value);
  if (prepared.transform) out.transform_steps = prepared.transform.steps.map((s) => s.type).join(',');
  return out;
}
