import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { CyclopsError, type RequestContext } from '../../core/index.js';
import { type Db, listAudit } from '../../store/index.js';
import type { TrainInput } from '../training.entity.js';
import { deferred, FakeTraining, MemoryTracker, type Metrics, until } from './studies.fixture.js';
import { StudiesRepository } from './studies.repository.js';
import { StudyService } from './studies.service.js';
import { StudyTrialStorage } from './study-trial-storage.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };

const SPACE = {
  learning_rate: { type: 'log_uniform', low: 0.01, high: 1 },
  max_depth: { type: 'int', low: 2, high: 8 },
};
const config = (extra: Record<string, unknown> = {}) => ({
  name: 'iris-gbdt',
  train: 'iris-train',
  validation: { dataset: 'iris-valid', version: 1 },
  target: 'species',
  algorithm: 'gbdt',
  fixed_params: { max_iter: 30 },
  space: SPACE,
  metric: 'accuracy',
  sampler: 'random',
  n_trials: 6,
  seed: 3,
  ...extra,
});

/** Best at max_depth 5 and learning_rate 0.1. */
const score = (p: Record<string, unknown>) =>
  1 - Math.abs(Number(p.max_depth) - 5) / 10 - Math.abs(Math.log10(Number(p.learning_rate)) + 1) / 10;
const metricsOf = (p: Record<string, unknown>): Metrics => ({ accuracy: score(p), log_loss: 1 - score(p) });
const trialOf = (input: TrainInput) => Number(/-trial-(\d+)$/.exec(input.runName ?? '')?.[1]);

async function auditActions(db: Db, id: number): Promise<string[]> {
  const rows = await listAudit(db, 'default', {
    entityType: 'tuning_study',
    entityId: String(id),
    limit: 100,
  });
  return rows.map((r) => r.action).reverse();
}

async function rejection(promise: Promise<unknown>): Promise<CyclopsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  return err as CyclopsError;
}

describe.each(BACKENDS)('StudyService on %s', (backend) => {
  let t: TestStore;
  let db: Db;
  beforeAll(async () => {
    t = await openTestStore(backend);
    db = t.store.db;
  });
  afterAll(async () => t?.dispose());

  function setup(
    metrics: ConstructorParameters<typeof FakeTraining>[1] = metricsOf,
    options: ConstructorParameters<typeof FakeTraining>[2] = {},
  ) {
    const tracker = new MemoryTracker();
    const training = new FakeTraining(tracker, metrics, options);
    const service = new StudyService({ db, training, tracker });
    return { tracker, training, service };
  }

  it('runs a study in the background, stores every trial with its run, and logs the best on the parent run', async () => {
    const { service, tracker, training } = setup();
    const started = await service.start(ctx, config());
    expect(started).toMatchObject({
      status: 'running',
      metric: 'accuracy',
      direction: 'maximize',
      nTrials: 6,
    });
    expect(started.progress.total).toBe(6);
    const ended = await service.wait(ctx, started.id);
    expect(ended.status).toBe('finished');

    const study = await service.get(ctx, started.id);
    expect(study.trials.map((x) => x.number)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const trial of study.trials) {
      expect(trial.state).toBe('complete');
      expect(trial.value).toBeCloseTo(score(trial.params), 12);
      expect(trial.endedAt).not.toBeNull();
      const run = tracker.run(trial.runId as string);
      expect(run.name).toBe(`iris-gbdt-trial-${trial.number}`);
      expect(run.tags['mlflow.parentRunId']).toBe(study.parentRunId);
    }
    const best = study.trials.reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
    expect(study.bestTrial).toBe(best.number);
    expect(study.progress).toEqual({
      completed: 6,
      total: 6,
      best: { number: best.number, value: best.value, params: best.params },
    });

    // Each trial trained the study's data with the fixed params and its sampled ones, as a child run.
    expect(training.calls).toHaveLength(6);
    for (const call of training.calls) {
      const trial = study.trials[trialOf(call)]!;
      expect(call).toMatchObject({
        train: { dataset: 'iris-train' },
        validation: { dataset: 'iris-valid', version: 1 },
        target: 'species',
        algorithm: 'gbdt',
        params: { max_iter: 30, ...trial.params },
        seed: 3,
        parentRunId: study.parentRunId,
        permutationImportance: false,
      });
    }

    const parent = tracker.run(study.parentRunId as string);
    expect(parent.name).toBe('iris-gbdt');
    expect(parent.status).toBe('FINISHED');
    expect(parent.tags).toMatchObject({
      'cyclops.tuning.study': String(study.id),
      'cyclops.tuning.status': 'finished',
      'cyclops.tuning.best_trial': String(best.number),
      'cyclops.tuning.best_run': best.runId,
    });
    expect(parent.params).toMatchObject({
      metric: 'accuracy',
      direction: 'maximize',
      sampler: 'random',
      n_trials: '6',
      seed: '3',
      algorithm: 'gbdt',
      train_dataset: 'iris-train@latest',
      validation_dataset: 'iris-valid@1',
      max_iter: '30',
      'best.max_depth': String(best.params.max_depth),
      'best.learning_rate': String(best.params.learning_rate),
    });
    const bestSeries = parent.metrics.filter((m) => m.key === 'best_accuracy');
    expect(bestSeries.at(-1)).toMatchObject({ value: best.value, step: 6 });
    expect(await auditActions(db, study.id)).toEqual(['tuning_study.start', 'tuning_study.finish']);
  });

  it('picks the lowest value when minimizing (a loss by default, or any metric when told)', async () => {
    for (const extra of [{ metric: 'log_loss' }, { metric: 'accuracy', direction: 'minimize' }]) {
      const { service } = setup();
      const { id } = await service.start(ctx, config({ ...extra, n_trials: 5 }));
      await service.wait(ctx, id);
      const study = await service.get(ctx, id);
      expect(study.direction).toBe('minimize');
      const lowest = study.trials.reduce((a, b) => ((b.value as number) < (a.value as number) ? b : a));
      expect(study.bestTrial).toBe(lowest.number);
      expect(study.progress.best?.value).toBe(lowest.value);
    }
  });

  it('compares algorithms: each trial gets its algorithm and only the params that algorithm takes', async () => {
    const metrics = (p: Record<string, unknown>): Metrics => ({
      accuracy: 'learning_rate' in p ? 0.9 : 0.8,
      log_loss: 0.3,
    });
    const { service, training, tracker } = setup(metrics);
    const { id } = await service.start(
      ctx,
      config({
        algorithm: undefined,
        fixed_params: { max_iter: 20, max_bins: 64 },
        space: {
          algorithm: { type: 'categorical', choices: ['gbdt', 'random_forest'] },
          learning_rate: {
            type: 'log_uniform',
            low: 0.01,
            high: 1,
            when: { param: 'algorithm', in: ['gbdt'] },
          },
          n_estimators: {
            type: 'int',
            low: 5,
            high: 20,
            when: { param: 'algorithm', in: ['random_forest'] },
          },
        },
        n_trials: 8,
      }),
    );
    await service.wait(ctx, id);
    const study = await service.get(ctx, id);
    expect(new Set(training.calls.map((c) => c.algorithm))).toEqual(new Set(['gbdt', 'random_forest']));
    for (const call of training.calls) {
      const keys = Object.keys(call.params ?? {}).sort();
      expect(keys).toEqual(
        call.algorithm === 'gbdt' ? ['learning_rate', 'max_bins', 'max_iter'] : ['max_bins', 'n_estimators'],
      );
    }
    const best = study.trials.find((x) => x.number === study.bestTrial);
    expect(best?.params.algorithm).toBe('gbdt');
    expect(tracker.run(study.parentRunId as string).params['best.algorithm']).toBe('gbdt');
  });

  it('records a failing trial and a trial without the metric as failed, and still finishes', async () => {
    const metrics = (p: Record<string, unknown>, input: TrainInput): Metrics => {
      if (trialOf(input) === 1) throw new Error('the fit diverged');
      return trialOf(input) === 2 ? { accuracy: null, log_loss: 0.5 } : metricsOf(p);
    };
    const { service } = setup(metrics);
    const { id } = await service.start(ctx, config({ n_trials: 4 }));
    expect((await service.wait(ctx, id)).status).toBe('finished');
    const { trials, bestTrial } = await service.get(ctx, id);
    expect(trials.map((x) => x.state)).toEqual(['complete', 'failed', 'failed', 'complete']);
    expect(trials[1]).toMatchObject({ error: 'the fit diverged', value: null, runId: null });
    expect(trials[2]!.error).toMatch(
      /^metric 'accuracy' has no value on the validation data of this binary model/,
    );
    expect(trials[2]!.runId).not.toBeNull();
    expect([0, 3]).toContain(bestTrial);
  });

  it('fails the study when its first trials all fail, and ends the parent run FAILED', async () => {
    const { service, tracker } = setup(() => {
      throw new Error('dataset iris-train does not exist');
    });
    const { id } = await service.start(ctx, config({ n_trials: 3 }));
    const ended = await service.wait(ctx, id);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/the first 3 trial\(s\) all failed.*dataset iris-train does not exist/);
    expect(ended.bestTrial).toBeNull();
    const parent = tracker.run(ended.parentRunId as string);
    expect(parent.status).toBe('FAILED');
    expect(parent.tags['cyclops.tuning.status']).toBe('failed');
    expect(parent.tags['cyclops.error']).toMatch(/all failed/);
    expect(Object.keys(parent.params).filter((k) => k.startsWith('best.'))).toEqual([]);
    expect(await auditActions(db, id)).toEqual(['tuning_study.start', 'tuning_study.fail']);
  });

  it('runs trials concurrently without repeating a number', async () => {
    const { service } = setup(metricsOf, { hold: () => new Promise((r) => setTimeout(r, 5)) });
    const { id } = await service.start(ctx, config({ n_trials: 7, concurrency: 3, sampler: 'tpe' }));
    await service.wait(ctx, id);
    const { trials, status } = await service.get(ctx, id);
    expect(status).toBe('finished');
    expect(trials.map((x) => x.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(trials.map((x) => x.runId)).size).toBe(7);
  });

  it('cancels midway and resumes in a new service on the same store: same params, same parent run', async () => {
    const straight = setup();
    const reference = await straight.service.start(ctx, config());
    await straight.service.wait(ctx, reference.id);
    const expected = new Map(
      (await straight.service.get(ctx, reference.id)).trials.map((x) => [x.number, x.params]),
    );

    const gate = deferred();
    const first = setup(metricsOf, { hold: (input) => (trialOf(input) === 3 ? gate.promise : undefined) });
    const { id, parentRunId } = await first.service.start(ctx, config());
    await until(async () => (await first.service.get(ctx, id)).trials.length === 4);
    const running = await first.service.get(ctx, id);
    expect(running.trials.map((x) => x.state)).toEqual(['complete', 'complete', 'complete', 'running']);
    expect(running.progress).toMatchObject({ completed: 3, total: 6 });

    const cancelled = await first.service.cancel(ctx, id);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'cancelled by tester' });
    expect(first.tracker.run(parentRunId as string)).toMatchObject({ status: 'FAILED' });
    expect(first.tracker.run(parentRunId as string).tags['cyclops.tuning.status']).toBe('cancelled');
    // The abandoned training ends later; nothing of it reaches the study.
    gate.resolve();
    await new Promise((r) => setTimeout(r, 20));
    expect((await first.service.get(ctx, id)).trials.map((x) => x.state)).toEqual([
      'complete',
      'complete',
      'complete',
      'running',
    ]);
    expect(await first.service.cancel(ctx, id)).toMatchObject({ status: 'cancelled' });

    // A new process: a new service (and training) on the same store and the same tracking.
    const training = new FakeTraining(first.tracker, metricsOf);
    const second = new StudyService({ db, training, tracker: first.tracker });
    const before = await second.get(ctx, id);
    expect(before.progress).toMatchObject({ completed: 3, total: 6 });
    expect((await second.resume(ctx, id)).status).toBe('running');
    const ended = await second.wait(ctx, id);
    expect(ended).toMatchObject({ status: 'finished', parentRunId, error: null });

    const study = await second.get(ctx, id);
    expect(study.trials.map((x) => x.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(study.trials.every((x) => x.state === 'complete')).toBe(true);
    for (const trial of study.trials) expect(trial.params).toEqual(expected.get(trial.number));
    // Trial 3 trained again (and only trials 3 to 5 did), in the same parent run.
    expect(training.calls.map(trialOf)).toEqual([3, 4, 5]);
    expect(first.tracker.tagged('cyclops.tuning.study', String(id))).toHaveLength(1);
    const parent = first.tracker.run(parentRunId as string);
    expect(parent).toMatchObject({ status: 'FINISHED', ends: 2 });
    expect(parent.tags['cyclops.tuning.status']).toBe('finished');
    expect(parent.params['best.max_depth']).toBe(String(study.progress.best?.params.max_depth));
    expect(await auditActions(db, id)).toEqual([
      'tuning_study.start',
      'tuning_study.cancel',
      'tuning_study.resume',
      'tuning_study.finish',
    ]);
  });

  it('resumes (or cancels) a study a dead process left running', async () => {
    const hang = new Promise<void>(() => undefined);
    const dead = setup(metricsOf, { hold: (input) => (trialOf(input) === 1 ? hang : undefined) });
    const { id } = await dead.service.start(ctx, config({ n_trials: 4 }));
    await until(async () => (await dead.service.get(ctx, id)).trials.length === 2);

    const tracker = dead.tracker;
    const training = new FakeTraining(tracker, metricsOf);
    const next = new StudyService({ db, training, tracker });
    const left = await next.get(ctx, id);
    expect(left.status).toBe('running');
    expect(left.progress).toMatchObject({ completed: 1, total: 4 });
    // `wait` does not wait for a study no process here runs.
    expect((await next.wait(ctx, id)).status).toBe('running');

    const cancelled = await next.cancel(ctx, id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error).toMatch(/no process was running it/);
    await next.resume(ctx, id);
    const ended = await next.wait(ctx, id);
    expect(ended.status).toBe('finished');
    const { trials } = await next.get(ctx, id);
    expect(trials.map((x) => [x.number, x.state])).toEqual([
      [0, 'complete'],
      [1, 'complete'],
      [2, 'complete'],
      [3, 'complete'],
    ]);
    expect(training.calls.map(trialOf)).toEqual([1, 2, 3]);
  });

  it('prunes trials while they train, from the losses they report, with the median rule', async () => {
    // Validation loss falls over 10 iterations to a floor that grows with the learning rate: trials
    // with a larger rate are worse all along, and the median pruner stops them once 5 trials ended.
    const history = (p: Record<string, unknown>) =>
      Array.from({ length: 10 }, (_, step) => ({
        step,
        metrics: { validation_loss: Number(p.learning_rate) * 10 + 1 / (step + 1) },
      }));
    const { service, training } = setup((p) => ({ accuracy: 1 - Number(p.learning_rate), log_loss: 0 }), {
      history,
    });
    const { id } = await service.start(ctx, config({ n_trials: 12, pruner: 'median' }));
    const done = await service.wait(ctx, id);
    expect(done.status).toBe('finished');
    const { trials } = await service.get(ctx, id);
    const pruned = trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    // Their training was stopped part-way: fewer losses than a complete trial's 10.
    for (const t of pruned) {
      expect(training.stopped).toContain(t.number);
      expect(t.intermediate.length).toBeLessThan(10);
    }
    expect(trials.filter((t) => t.state === 'complete').every((t) => t.intermediate.length === 10)).toBe(
      true,
    );
    // A pruned trial's rate is worse than the median of those that ran to the end before it.
    const completeRates = trials
      .filter((t) => t.state === 'complete')
      .map((t) => Number(t.params.learning_rate));
    const best = Math.min(...completeRates);
    for (const t of pruned) expect(Number(t.params.learning_rate)).toBeGreaterThan(best);
  });

  it('keeps NaN and infinite losses of the per-iteration history, and NaN values', async () => {
    const history = (): { step: number; metrics: Record<string, number> }[] => [
      { step: 0, metrics: { train_loss: 0.9, validation_loss: 0.5 } },
      { step: 1, metrics: { train_loss: 0.8, validation_loss: Number.NaN } },
      { step: 2, metrics: { train_loss: Number.POSITIVE_INFINITY } },
    ];
    const { service } = setup(metricsOf, { history });
    const { id } = await service.start(ctx, config({ n_trials: 1 }));
    await service.wait(ctx, id);
    const [trial] = (await service.get(ctx, id)).trials;
    // Intermediate values are in the study's direction (it maximizes here): the losses negated.
    expect(trial!.intermediate).toEqual([
      [0, -0.5],
      [1, Number.NaN],
      [2, Number.NEGATIVE_INFINITY],
    ]);

    const storage = new StudyTrialStorage(db, new StudiesRepository(), 'default', id);
    const record = {
      number: 7,
      params: { max_depth: 3, learning_rate: 0.1 },
      state: 'pruned' as const,
      value: Number.NaN,
      intermediate: [[0, Number.NEGATIVE_INFINITY] as [number, number]],
      startedAt: 1,
      endedAt: 2,
    };
    await storage.save(record);
    expect((await storage.load()).find((r) => r.number === 7)).toEqual(record);
  });

  it('lists studies newest first, in pages, with the progress get reports', async () => {
    const { service } = setup();
    for (const n of [1, 2]) await service.wait(ctx, (await service.start(ctx, config({ n_trials: n }))).id);
    const seen: number[] = [];
    let pageToken: string | undefined;
    do {
      const page = await service.list(ctx, { maxResults: 2, pageToken });
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) {
        seen.push(item.id);
        expect(item.progress).toEqual((await service.get(ctx, item.id)).progress);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const finished = await service.list(ctx, { status: 'failed' });
    expect(finished.items.every((s) => s.status === 'failed')).toBe(true);
  });

  it('refuses what cannot be done, clearly', async () => {
    const { service, tracker } = setup();
    expect((await rejection(service.get(ctx, 987654))).code).toBe('not_found');
    const invalid = await rejection(service.start(ctx, config({ metric: 'rocauc' })));
    expect(invalid.code).toBe('invalid_argument');
    expect(tracker.runs.size).toBe(0);

    const gate = deferred();
    const held = setup(metricsOf, { hold: () => gate.promise });
    const { id } = await held.service.start(ctx, config({ n_trials: 1 }));
    expect((await rejection(held.service.resume(ctx, id))).code).toBe('conflict');
    const other: RequestContext = { ...ctx, projectId: 'other' };
    expect((await rejection(held.service.get(other, id))).code).toBe('not_found');
    expect((await rejection(held.service.cancel(other, id))).code).toBe('not_found');
    gate.resolve();
    await held.service.wait(ctx, id);
    expect((await rejection(held.service.resume(ctx, id))).message).toMatch(
      /has finished: nothing to resume/,
    );
    expect((await rejection(held.service.cancel(ctx, id))).code).toBe('conflict');
  });

  it('close() stops the studies of this process as cancelled, resumable', async () => {
    const gate = deferred();
    const { service } = setup(metricsOf, { hold: () => gate.promise });
    const { id } = await service.start(ctx, config({ n_trials: 2 }));
    await until(async () => (await service.get(ctx, id)).trials.length === 1);
    await service.close();
    const study = await service.get(ctx, id);
    expect(study).toMatchObject({ status: 'cancelled', error: 'the process stopped' });
    gate.resolve();
  });
});
