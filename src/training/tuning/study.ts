import { CyclopsError, invalid } from '../../core/index.js';
import { bestTrial } from './best-trial.js';
import type { StudyOptions, StudyResult } from './study-options.js';
import { StudyRun } from './study-run.js';

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw invalid(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/**
 * Runs a study until it holds `nTrials` finished trials (fewer if the sampler's capacity, a grid, is
 * smaller), `concurrency` objectives at a time. Each trial's parameters are sampled when it starts, from
 * every trial known then, running ones included.
 *
 * Resumption: stored trials are loaded first. Finished ones (complete, pruned, failed) count towards
 * `nTrials` and feed the sampler; ones left `running` (the process died, or the study was cancelled while
 * they ran) are run again first, with the same number and parameters, their intermediate values cleared.
 * New trials are numbered after the highest stored number, so numbers never repeat. Samplers seed each
 * trial from (seed, trial number): random and grid trials get the same parameters whatever the
 * interruptions or concurrency; TPE trials too when concurrency is 1 and the objective is deterministic
 * (with concurrency > 1 what a trial sees of the others depends on timing).
 *
 * Cancellation (`signal`): no trial starts after it; the objectives see `context.signal` abort and are
 * awaited. One that then throws stays `running` in storage (re-run on resume); one that returns a value is
 * recorded. Then `runStudy` rejects with a CyclopsError `unavailable` (`details.reason: 'cancelled'`).
 * Any other failure of the engine (storage, sampler, the initial-failures rule) stops the study the same
 * way and rejects with that error.
 */
export async function runStudy(options: StudyOptions): Promise<StudyResult> {
  const nTrials = checkCount('nTrials', options.nTrials, 0);
  const concurrency = checkCount('concurrency', options.concurrency ?? 1, 1);
  const maxInitialFailures = checkCount('maxInitialFailures', options.maxInitialFailures ?? 5, 0);
  const { signal } = options;
  if (signal?.aborted) throw cancelled(signal);
  const study = new StudyRun(options, concurrency, maxInitialFailures);
  const onAbort = () => study.stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await study.load();
    await study.run(nTrials);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (study.fatal !== undefined) throw study.fatal;
  if (signal?.aborted) throw cancelled(signal);
  return { best: bestTrial(study.all, options.direction), trials: study.all.map((t) => t.toRecord()) };
}

function cancelled(signal: AbortSignal): CyclopsError {
  if (signal.reason instanceof CyclopsError) return signal.reason;
  return new CyclopsError(
    'unavailable',
    'The study was cancelled',
    { reason: 'cancelled' },
    { cause: signal.reason },
  );
}
