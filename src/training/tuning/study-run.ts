import { type Clock, invalid, systemClock } from '../../core/index.js';
import { ConcurrencyLimiter } from '../../exec/index.js';
import { bestTrial } from './best-trial.js';
import { LiveTrial } from './live-trial.js';
import type { StudyOptions } from './study-options.js';
import { type TrialContext, TrialPrunedError } from './trial-context.js';

type Outcome = { state: 'complete' | 'pruned' | 'failed'; value?: number; error?: string } | 'interrupted';

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** One call of `runStudy`: the trials in memory, the launch loop and the trial lifecycle. */
export class StudyRun {
  readonly stop = new AbortController();
  readonly all: LiveTrial[] = [];
  fatal: unknown;
  private readonly clock: Clock;
  private readonly initial: LiveTrial[] = [];
  private initialTarget = 0;
  private total = 0;

  constructor(
    private readonly options: StudyOptions,
    private readonly concurrency: number,
    private readonly maxInitialFailures: number,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async load(): Promise<void> {
    const seen = new Set<number>();
    for (const record of await this.options.storage.load()) {
      const trial = LiveTrial.fromRecord(record);
      if (seen.has(trial.id)) throw invalid(`storage holds trial ${trial.id} twice`);
      seen.add(trial.id);
      this.all.push(trial);
    }
    this.all.sort((a, b) => a.id - b.id);
  }

  async run(nTrials: number): Promise<void> {
    const { sampler, space } = this.options;
    const stale = this.all.filter((t) => !t.finished);
    const finished = this.all.length - stale.length;
    let next = this.all.length === 0 ? 0 : this.all[this.all.length - 1]!.id + 1;
    const capacity = sampler.capacity?.(space) ?? Number.POSITIVE_INFINITY;
    const target = Math.min(nTrials, capacity);
    // Trial n of a grid is point n, so a grid bounds the trial numbers, not just their count.
    const fresh = Math.max(0, Math.min(target - finished - stale.length, capacity - next));
    const toRun = stale.length + fresh;
    this.total = Math.max(target, finished + toRun);
    this.initialTarget = Math.min(this.maxInitialFailures, toRun);

    const limiter = new ConcurrencyLimiter(this.concurrency);
    const runs: Promise<void>[] = [];
    for (let i = 0; i < toRun; i++) {
      let release: () => void;
      try {
        release = await limiter.acquire(this.stop.signal, 'The study');
      } catch {
        break;
      }
      // The stop may have come between the grant and this continuation.
      if (this.stop.signal.aborted) {
        release();
        break;
      }
      let trial: LiveTrial;
      try {
        trial = i < stale.length ? this.restart(stale[i]!) : this.create(next++);
      } catch (err) {
        release();
        this.fail(err);
        break;
      }
      runs.push(
        this.runTrial(trial, i)
          .catch((err: unknown) => this.fail(err))
          .finally(release),
      );
    }
    await Promise.all(runs);
  }

  private fail(err: unknown): void {
    if (this.fatal !== undefined) return;
    this.fatal = err;
    this.stop.abort(err);
  }

  private restart(trial: LiveTrial): LiveTrial {
    trial.restart(this.clock.now());
    return trial;
  }

  private create(number: number): LiveTrial {
    const { sampler, space, direction } = this.options;
    const history = this.all.map((t) => t.observation());
    const params = sampler.sample({ space, history, direction, trialNumber: number });
    const trial = new LiveTrial(number, params, this.clock.now());
    this.all.push(trial);
    return trial;
  }

  private async runTrial(trial: LiveTrial, launchIndex: number): Promise<void> {
    const { storage, objective } = this.options;
    await storage.save(trial.toRecord());
    if (this.stop.signal.aborted) return;
    const control = { pruned: false, done: false };
    const context = this.context(trial, control);
    let outcome: Outcome;
    try {
      const value = await (async () => objective({ ...trial.params }, context))();
      if (control.pruned) outcome = prunedOutcome(trial);
      else if (typeof value === 'number' && Number.isFinite(value)) outcome = { state: 'complete', value };
      else
        outcome = { state: 'failed', error: `the objective returned ${String(value)}, not a finite number` };
    } catch (err) {
      if (control.pruned || err instanceof TrialPrunedError) outcome = prunedOutcome(trial);
      // Most likely the objective gave up because the study was stopped: leave it `running` to be re-run.
      else if (this.stop.signal.aborted) outcome = 'interrupted';
      else outcome = { state: 'failed', error: describe(err) };
    }
    control.done = true;
    if (outcome === 'interrupted') return;
    trial.finish(outcome.state, this.clock.now(), outcome);
    await storage.save(trial.toRecord());
    if (launchIndex < this.initialTarget) this.checkInitialFailures(trial);
    this.options.onProgress?.({
      completed: this.all.filter((t) => t.finished).length,
      total: this.total,
      best: bestTrial(this.all, this.options.direction),
    });
  }

  private context(trial: LiveTrial, control: { pruned: boolean; done: boolean }): TrialContext {
    const { pruner, direction } = this.options;
    return {
      number: trial.id,
      params: { ...trial.params },
      signal: this.stop.signal,
      report: (step, value) => {
        if (!Number.isSafeInteger(step) || step < 0)
          throw invalid(`report: step must be an integer >= 0, got ${step}`);
        if (typeof value !== 'number') throw invalid(`report: value must be a number, got ${typeof value}`);
        // A report after the objective returned (a stray callback) changes nothing and says stop.
        if (control.done) return true;
        if (control.pruned || trial.intermediate.has(step)) return control.pruned;
        trial.intermediate.set(step, value);
        if (pruner?.shouldPrune(trial, step, this.all, direction)) control.pruned = true;
        return control.pruned;
      },
      shouldPrune: () => control.pruned,
    };
  }

  private checkInitialFailures(trial: LiveTrial): void {
    this.initial.push(trial);
    if (this.initial.length < this.initialTarget || this.initial.some((t) => t.state !== 'failed')) return;
    const errors = [...new Set(this.initial.map((t) => t.error ?? ''))].slice(0, 5);
    this.fail(
      invalid(
        `the first ${this.initialTarget} trial(s) all failed, so the study stopped; the first error: ${errors[0]}`,
        { reason: 'trials_failed', failed: this.initialTarget, errors },
      ),
    );
  }
}

function prunedOutcome(trial: LiveTrial): Outcome {
  const last = trial.lastReport();
  return last && !Number.isNaN(last[1]) ? { state: 'pruned', value: last[1] } : { state: 'pruned' };
}
