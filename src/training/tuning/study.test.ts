import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../../core/index.js';
import { medianPruner } from './pruners/median-pruner.js';
import { gridSampler } from './samplers/grid-sampler.js';
import { randomSampler } from './samplers/random-sampler.js';
import type { Sampler } from './samplers/sampler.js';
import type { Params } from './space.js';
import { parseSearchSpace } from './space-parse.js';
import { runStudy } from './study.js';
import type { StudyOptions, StudyProgress } from './study-options.js';
import type { TrialRecord } from './trial.entity.js';
import { TrialPrunedError } from './trial-context.js';
import { InMemoryTrialStorage } from './trial-storage.js';

const space = parseSearchSpace({
  x: { type: 'uniform', low: -5, high: 5 },
  n: { type: 'int', low: 1, high: 10 },
});
const f = (p: Params) => ((p.x as number) - 1) ** 2 + (p.n as number);
const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

function options(overrides: Partial<StudyOptions>): StudyOptions {
  return {
    space,
    sampler: randomSampler({ seed: 1 }),
    direction: 'minimize',
    nTrials: 10,
    objective: async (p) => f(p),
    storage: new InMemoryTrialStorage(),
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<CyclopsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  return err as CyclopsError;
}

const numbers = (trials: TrialRecord[]) => trials.map((t) => t.number);

describe('runStudy', () => {
  it('runs nTrials trials, reports progress after each, and returns the best complete one', async () => {
    const progress: StudyProgress[] = [];
    const storage = new InMemoryTrialStorage();
    const result = await runStudy(options({ nTrials: 12, storage, onProgress: (p) => progress.push(p) }));
    expect(numbers(result.trials)).toEqual([...Array(12).keys()]);
    expect(result.trials.every((t) => t.state === 'complete' && t.value === f(t.params))).toBe(true);
    expect(result.trials.every((t) => t.endedAt! >= t.startedAt)).toBe(true);
    const bestValue = Math.min(...result.trials.map((t) => t.value!));
    expect(result.best?.value).toBe(bestValue);
    expect(result.best?.params).toEqual(result.trials.find((t) => t.value === bestValue)?.params);
    expect(progress.map((p) => p.completed)).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(progress.every((p) => p.total === 12)).toBe(true);
    expect(progress.at(-1)?.best).toEqual(result.best);
    expect(await storage.load()).toEqual(result.trials);
  });

  it('never runs more than `concurrency` objectives at once, and samplers see the running trials', async () => {
    let active = 0;
    let peak = 0;
    const sawRunning: number[] = [];
    const inner = randomSampler({ seed: 3 });
    const sampler: Sampler = {
      name: 'spy',
      sample: (request) => {
        sawRunning.push(request.history.filter((t) => t.state === 'running').length);
        return inner.sample(request);
      },
    };
    const result = await runStudy(
      options({
        nTrials: 20,
        concurrency: 3,
        sampler,
        objective: async (p, trial) => {
          active++;
          peak = Math.max(peak, active);
          await tick(1 + (trial.number % 4));
          active--;
          return f(p);
        },
      }),
    );
    expect(peak).toBe(3);
    expect(new Set(numbers(result.trials)).size).toBe(20);
    expect(result.trials).toHaveLength(20);
    expect(Math.max(...sawRunning)).toBe(2);
  });

  it('records a failing objective as failed with its message and carries on', async () => {
    const result = await runStudy(
      options({
        nTrials: 8,
        objective: async (p, trial) => {
          if (trial.number === 6) return Number.NaN;
          if (trial.number % 2 === 1) throw new Error(`trial ${trial.number} broke`);
          return f(p);
        },
      }),
    );
    const states = result.trials.map((t) => t.state);
    expect(states).toEqual([
      'complete',
      'failed',
      'complete',
      'failed',
      'complete',
      'failed',
      'failed',
      'failed',
    ]);
    expect(result.trials[3]).toMatchObject({ state: 'failed', error: 'trial 3 broke' });
    expect(result.trials[3]).not.toHaveProperty('value');
    expect(result.trials[6]?.error).toBe('the objective returned NaN, not a finite number');
    expect([0, 2, 4]).toContain(result.best?.number);
  });

  it('stops with a clear error when the first trials all fail', async () => {
    const storage = new InMemoryTrialStorage();
    const err = await rejection(
      runStudy(
        options({
          nTrials: 50,
          storage,
          objective: async () => {
            throw new Error('cannot open train.csv');
          },
        }),
      ),
    );
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe(
      'the first 5 trial(s) all failed, so the study stopped; the first error: cannot open train.csv',
    );
    expect(err.details).toMatchObject({
      reason: 'trials_failed',
      failed: 5,
      errors: ['cannot open train.csv'],
    });
    expect((await storage.load()).map((t) => t.state)).toEqual(new Array(5).fill('failed'));
    // Turned off, the study runs to the end.
    const all = await runStudy(
      options({
        nTrials: 7,
        maxInitialFailures: 0,
        objective: async () => {
          throw new Error('no');
        },
      }),
    );
    expect(all.best).toBeNull();
    expect(all.trials).toHaveLength(7);
  });

  it('records pruned trials with their last intermediate value', async () => {
    const result = await runStudy(
      options({
        nTrials: 12,
        pruner: medianPruner({ nStartupTrials: 3 }),
        objective: async (p, trial) => {
          // A learning curve that ends at f(p): bad trials are bad from the first step.
          for (let step = 0; step < 5; step++) {
            if (trial.report(step, f(p) + 5 - step)) return -1000; // returning after pruning changes nothing
          }
          if (trial.number === 11) throw new TrialPrunedError();
          return f(p);
        },
      }),
    );
    const pruned = result.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) {
      expect(t.value).toBe(t.intermediate.at(-1)?.[1]);
      expect(t.intermediate.length).toBeLessThanOrEqual(5);
    }
    expect(result.trials[11]?.state).toBe('pruned');
    expect(result.best?.value).toBeGreaterThan(-1000);
    for (const t of result.trials.filter((x) => x.state === 'complete'))
      expect(t.intermediate).toHaveLength(5);
  });

  it('runs a grid at most once per point', async () => {
    const grid = parseSearchSpace({ a: { type: 'categorical', choices: ['x', 'y', 'z'] } });
    const objective = async (p: Params) => 'xyz'.indexOf(p.a as string);
    const result = await runStudy(options({ space: grid, sampler: gridSampler(), nTrials: 10, objective }));
    expect(result.trials.map((t) => t.params.a)).toEqual(['x', 'y', 'z']);
  });

  it('rejects bad options and storage failures', async () => {
    expect((await rejection(runStudy(options({ nTrials: -1 })))).message).toBe(
      'nTrials must be an integer >= 0, got -1',
    );
    expect((await rejection(runStudy(options({ concurrency: 0 })))).message).toMatch(/concurrency must be/);
    const broken = new InMemoryTrialStorage();
    broken.save = async () => {
      throw new CyclopsError('unavailable', 'disk full');
    };
    expect((await rejection(runStudy(options({ storage: broken })))).message).toBe('disk full');
  });
});
