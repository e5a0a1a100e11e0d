// Test doubles for the study tests: a TrainingTracker that keeps runs in memory (enforcing write-once
// params as tracking does), and a fake of TrainingService.train whose metrics are a deterministic
// function of the trial's params. The real training is tested in training/; study-real-training.test.ts
// runs studies on the real TrainingService with this tracker.
import { CyclopsError, type RequestContext } from '../../core/index.js';
import type { TrainInput, TrainingTracker, TrainResult } from '../training.entity.js';

export interface MemoryRun {
  runId: string;
  experiment: string | undefined;
  name: string | undefined;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: { key: string; value: number; step: number }[];
  status: 'RUNNING' | 'FINISHED' | 'FAILED';
  ends: number;
  artifacts: Map<string, Uint8Array>;
}

export class MemoryTracker implements TrainingTracker {
  readonly runs = new Map<string, MemoryRun>();
  private next = 0;

  async startRun(
    _ctx: RequestContext,
    input: { experiment?: string | undefined; runName?: string | undefined; tags: Record<string, string> },
  ): Promise<{ runId: string; experimentId: string }> {
    const runId = `run${String(this.next++).padStart(4, '0')}`;
    this.runs.set(runId, {
      runId,
      experiment: input.experiment,
      name: input.runName,
      tags: { ...input.tags },
      params: {},
      metrics: [],
      status: 'RUNNING',
      ends: 0,
      artifacts: new Map(),
    });
    return { runId, experimentId: '0' };
  }

  async log(
    _ctx: RequestContext,
    runId: string,
    batch: {
      params?: Record<string, string>;
      metrics?: { key: string; value: number; step: number; timestamp: number }[];
      tags?: Record<string, string>;
    },
  ): Promise<void> {
    const run = this.run(runId);
    for (const [key, value] of Object.entries(batch.params ?? {})) {
      if (key in run.params && run.params[key] !== value)
        throw new CyclopsError('conflict', `param '${key}' of run ${runId} was already logged`);
    }
    Object.assign(run.params, batch.params ?? {});
    Object.assign(run.tags, batch.tags ?? {});
    for (const m of batch.metrics ?? []) run.metrics.push({ key: m.key, value: m.value, step: m.step });
  }

  async uploadArtifact(_ctx: RequestContext, runId: string, path: string, bytes: Uint8Array): Promise<void> {
    this.run(runId).artifacts.set(path, bytes);
  }

  async endRun(_ctx: RequestContext, runId: string, status: 'FINISHED' | 'FAILED'): Promise<void> {
    const run = this.run(runId);
    run.status = status;
    run.ends++;
  }

  async readArtifact(_ctx: RequestContext, runId: string, path: string): Promise<Uint8Array> {
    const bytes = this.run(runId).artifacts.get(path);
    if (!bytes) throw new CyclopsError('not_found', `no artifact ${path}`);
    return bytes;
  }

  /** Runs started with this tag value. */
  tagged(key: string, value: string): MemoryRun[] {
    return [...this.runs.values()].filter((r) => r.tags[key] === value);
  }

  run(runId: string): MemoryRun {
    const run = this.runs.get(runId);
    if (!run) throw new CyclopsError('not_found', `run ${runId}`);
    return run;
  }
}

export type Metrics = Record<string, number | null>;

/**
 * `train` of a fake TrainingService: each call creates a child run in `tracker` (as the real one does),
 * then returns `metrics(params, input)`; `hold(input)` may return a promise the call waits for first.
 */
export class FakeTraining {
  readonly calls: Omit<TrainInput, 'signal' | 'onIteration'>[] = [];
  /** Trials whose training was stopped while it reported losses. */
  readonly stopped: number[] = [];

  constructor(
    private readonly tracker: MemoryTracker,
    private readonly metrics: (params: Record<string, unknown>, input: TrainInput) => Metrics,
    private readonly options: {
      hold?: (input: TrainInput) => Promise<void> | undefined;
      history?: (params: Record<string, unknown>) => { step: number; metrics: Record<string, number> }[];
    } = {},
  ) {}

  train = async (ctx: RequestContext, input: TrainInput): Promise<TrainResult> => {
    // The signal and the per-iteration callback are the objective's wiring, not the trial's inputs.
    const { signal: _signal, onIteration: _onIteration, ...inputs } = input;
    this.calls.push(structuredClone(inputs));
    const { runId } = await this.tracker.startRun(ctx, {
      runName: input.runName,
      tags: input.parentRunId ? { 'mlflow.parentRunId': input.parentRunId } : {},
    });
    await this.options.hold?.(input);
    const params = input.params ?? {};
    // Live per-iteration losses, as the real training reports them while its fit runs; a stopped
    // (pruned, cancelled) training ends there, as the real one does.
    for (const { step, metrics: losses } of this.options.history?.(params) ?? []) {
      input.onIteration?.(step, losses);
      if (input.signal?.aborted) {
        await this.tracker.endRun(ctx, runId, 'FAILED');
        this.stopped.push(trialNumber(input));
        throw input.signal.reason;
      }
    }
    const metrics = this.metrics(params, input);
    await this.tracker.endRun(ctx, runId, 'FINISHED');
    return {
      runId,
      experimentId: '0',
      algorithm: input.algorithm,
      task: input.task ?? 'binary',
      iterations: null,
      evaluatedOn: 'validation',
      metrics,
      rows: { train: 100, validation: 50, test: null, droppedMissingTarget: 0 },
      skippedColumns: [],
      bundlePath: 'model',
      manifest: {} as TrainResult['manifest'],
      report: {
        evaluatedOn: 'validation',
        evaluation: {} as TrainResult['report']['evaluation'],
        featureImportance: { gain: null, permutation: null, permutationScore: null },
        slices: null,
        history: this.options.history?.(params) ?? [],
      },
      durationMs: 1,
    };
  };
}

const trialNumber = (input: TrainInput) => Number(/-trial-(\d+)$/.exec(input.runName ?? '')?.[1]);

/** A promise with its resolve, for holding fake trainings. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Polls `check` until it holds (tests wait on background studies this way). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}
