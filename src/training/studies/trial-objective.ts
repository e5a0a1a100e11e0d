import type { RequestContext } from '../../core/index.js';
import type { TrainInput, TrainResult } from '../training.entity.js';
import type { TrainingService } from '../training.service.js';
import type { Objective, TrialContext } from '../tuning/index.js';
import type { ResolvedStudyConfig } from './study.entity.js';
import { trialTraining } from './study-algorithms.js';
import type { StudyTrialStorage } from './study-trial-storage.js';

/** Per-iteration losses kept per trial; longer histories are thinned evenly (the last step kept). */
export const MAX_INTERMEDIATE_POINTS = 1000;

export interface ObjectiveDeps {
  ctx: RequestContext;
  config: ResolvedStudyConfig;
  training: Pick<TrainingService, 'train'>;
  storage: StudyTrialStorage;
  parentRunId: string;
}

/** The training input of one trial: the study's data and settings, the trial's algorithm and params. */
export function trialInput(
  config: ResolvedStudyConfig,
  params: TrialContext['params'],
  trialNumber: number,
  parentRunId: string,
): TrainInput {
  const training = trialTraining(config.algorithm, config.fixedParams, params);
  return {
    train: config.train,
    validation: config.validation,
    test: config.test,
    target: config.target,
    task: config.task,
    algorithm: training.algorithm,
    params: training.params,
    features: config.features,
    ...(config.transform !== undefined ? { transform: config.transform } : {}),
    seed: config.seed,
    experiment: config.experiment,
    runName: `${config.name}-trial-${trialNumber}`,
    parentRunId,
    permutationImportance: config.permutationImportance,
  };
}

/**
 * Stops waiting for the training when the study stops; the training gets the signal too, so its fit is
 * interrupted and its run ends FAILED. The trial stays `running` and is trained again on resume.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Records the per-iteration validation loss (train loss without validation data) as the trial's
 * intermediate values, for the iterations the live reports missed (a step reported twice keeps its
 * first value), in the study's direction (negated when maximizing), as the pruner saw them.
 */
function reportHistory(result: TrainResult, trial: TrialContext, sign: number): void {
  const points = result.report.history.flatMap(({ step, metrics }) => {
    const loss = metrics.validation_loss ?? metrics.train_loss;
    return loss === undefined ? [] : [[step, loss] as const];
  });
  const stride = Math.ceil(points.length / MAX_INTERMEDIATE_POINTS);
  points.forEach(([step, loss], i) => {
    if (i % stride === 0 || i === points.length - 1) trial.report(step, sign * loss);
  });
}

function missingMetric(metric: string, result: TrainResult): Error {
  const present = Object.entries(result.metrics)
    .filter(([, v]) => v !== null)
    .map(([k]) => k);
  const why = Object.hasOwn(result.metrics, metric)
    ? `has no value on the ${result.evaluatedOn} data of this ${result.task} model`
    : `is not computed for ${result.task}`;
  return new Error(
    `metric '${metric}' ${why} (run ${result.runId}; metrics with a value: ${present.join(', ')})`,
  );
}

/** Trains one trial as a child run of the study's run and returns the study's metric. */
export function studyObjective(deps: ObjectiveDeps): Objective {
  const { ctx, config, training, storage, parentRunId } = deps;
  return async (params, trial) => {
    storage.setRunId(trial.number, undefined);
    // The trial's training stops when the study stops, or when the pruner prunes the trial: it sees
    // the validation loss of every iteration while the fit runs. Values reported in the study's
    // direction: losses as they are when minimizing, negated when maximizing.
    const stop = new AbortController();
    const onStudyAbort = () => stop.abort(trial.signal.reason);
    trial.signal.addEventListener('abort', onStudyAbort, { once: true });
    const sign = config.direction === 'maximize' ? -1 : 1;
    const input: TrainInput = {
      ...trialInput(config, params, trial.number, parentRunId),
      signal: stop.signal,
      onIteration: (step, losses) => {
        const loss = losses.validation_loss ?? losses.train_loss;
        if (loss === undefined || stop.signal.aborted) return;
        if (trial.report(step, sign * loss))
          stop.abort(new Error(`trial ${trial.number} pruned at iteration ${step}`));
      },
    };
    let result: TrainResult;
    try {
      result = await untilAborted(training.train(ctx, input), stop.signal);
    } finally {
      trial.signal.removeEventListener('abort', onStudyAbort);
    }
    storage.setRunId(trial.number, result.runId);
    reportHistory(result, trial, sign);
    const value = result.metrics[config.metric];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw missingMetric(config.metric, result);
    return value;
  };
}
