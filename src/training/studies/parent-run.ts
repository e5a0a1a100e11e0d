import type { Clock, RequestContext } from '../../core/index.js';
import type { TrainingTracker } from '../training.entity.js';
import type { BestTrial } from '../tuning/index.js';
import type { ResolvedStudyConfig, StudyProgress, StudyStatus } from './study.entity.js';

export type StudyTracker = Pick<TrainingTracker, 'startRun' | 'log' | 'endRun'>;

export const STUDY_TAG = 'cyclops.tuning.study';
export const STATUS_TAG = 'cyclops.tuning.status';
export const BEST_RUN_TAG = 'cyclops.tuning.best_run';
export const BEST_TRIAL_TAG = 'cyclops.tuning.best_trial';
export const ERROR_TAG = 'cyclops.error';

const ref = (r: { dataset: string; version?: number | undefined }) => `${r.dataset}@${r.version ?? 'latest'}`;

/** The study's fixed settings, as the parent run's params (text, write-once: logged once, at start). */
export function settingsParams(config: ResolvedStudyConfig): Record<string, string> {
  const out: Record<string, string> = {
    metric: config.metric,
    direction: config.direction,
    sampler: config.sampler,
    n_trials: String(config.nTrials),
    concurrency: String(config.concurrency),
    seed: String(config.seed),
    target: config.target,
    train_dataset: ref(config.train),
    search_space: JSON.stringify(config.space.params),
  };
  if (config.algorithm !== undefined) out.algorithm = config.algorithm;
  if (config.task !== undefined) out.task = config.task;
  if (config.validation) out.validation_dataset = ref(config.validation);
  if (config.test) out.test_dataset = ref(config.test);
  for (const [key, value] of Object.entries(config.fixedParams)) out[key] = String(value);
  return out;
}

/**
 * The study's tracking run, whose children the trials are. Progress (the best value so far, one point
 * per finished trial) is logged best-effort in the background, in order; the trial rows are the record.
 */
export class ParentRun {
  private queue: Promise<void> = Promise.resolve();
  private lastPoint = '';

  constructor(
    private readonly tracker: StudyTracker,
    private readonly ctx: RequestContext,
    readonly runId: string,
    private readonly metric: string,
    private readonly clock: Clock,
  ) {}

  /** Creates the run, tagged with the study, and logs the study's settings. */
  static async start(
    deps: { tracker: StudyTracker; clock: Clock },
    ctx: RequestContext,
    config: ResolvedStudyConfig,
    studyId: number,
  ): Promise<ParentRun> {
    const { runId } = await deps.tracker.startRun(ctx, {
      experiment: config.experiment,
      runName: config.name,
      tags: { [STUDY_TAG]: String(studyId), [STATUS_TAG]: 'running' },
    });
    const run = new ParentRun(deps.tracker, ctx, runId, config.metric, deps.clock);
    try {
      await deps.tracker.log(ctx, runId, { params: settingsParams(config) });
    } catch (err) {
      await deps.tracker.endRun(ctx, runId, 'FAILED').catch(() => undefined);
      throw err;
    }
    return run;
  }

  /** Marks a reused run as running again (the tracker cannot reopen an ended run: only the tag says so). */
  async resumed(): Promise<void> {
    await this.tracker.log(this.ctx, this.runId, { tags: { [STATUS_TAG]: 'running' } });
  }

  progress(p: StudyProgress): void {
    if (!p.best) return;
    const point = this.bestPoint(p.completed, p.best.value);
    if (!point) return;
    this.queue = this.queue.then(() =>
      this.tracker.log(this.ctx, this.runId, { metrics: [point] }).catch(() => undefined),
    );
  }

  /**
   * Logs the outcome and ends the run: FINISHED when the study finished, FAILED otherwise (the tracker
   * has no KILLED; the status tag says `cancelled`). The best trial's params become `best.<name>` params
   * only when the study finished: params are write-once and a stopped study may be resumed.
   */
  async end(
    status: Exclude<StudyStatus, 'running'>,
    outcome: { best: BestTrial | null; bestRunId: string | null; completed: number; error: string | null },
  ): Promise<void> {
    await this.queue;
    const { best, bestRunId, completed, error } = outcome;
    const tags: Record<string, string> = { [STATUS_TAG]: status };
    if (best) tags[BEST_TRIAL_TAG] = String(best.number);
    if (bestRunId) tags[BEST_RUN_TAG] = bestRunId;
    if (error) tags[ERROR_TAG] = error.slice(0, 5000);
    const params: Record<string, string> = {};
    if (best && status === 'finished') {
      for (const [key, value] of Object.entries(best.params)) params[`best.${key}`] = String(value);
    }
    const point = best ? this.bestPoint(completed, best.value) : undefined;
    await this.tracker.log(this.ctx, this.runId, { params, tags, ...(point ? { metrics: [point] } : {}) });
    await this.tracker.endRun(this.ctx, this.runId, status === 'finished' ? 'FINISHED' : 'FAILED');
  }

  /** `best_<metric>` at step = trials finished; undefined when that exact point was logged already. */
  private bestPoint(step: number, value: number) {
    const key = `${step}:${value}`;
    if (key === this.lastPoint) return undefined;
    this.lastPoint = key;
    return { key: `best_${this.metric}`, value, step, timestamp: this.clock.now() };
  }
}
