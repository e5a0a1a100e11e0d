import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../../core/index.js';
import { randomSampler } from './samplers/random-sampler.js';
import type { Sampler } from './samplers/sampler.js';
import { tpeSampler } from './samplers/tpe-sampler.js';
import type { Params } from './space.js';
import { parseSearchSpace } from './space-parse.js';
import { runStudy } from './study.js';
import type { TrialRecord } from './trial.entity.js';
import type { TrialContext } from './trial-context.js';
import { InMemoryTrialStorage } from './trial-storage.js';

const space = parseSearchSpace({
  lr: { type: 'log_uniform', low: 1e-4, high: 1 },
  depth: { type: 'int', low: 1, high: 12 },
  algo: { type: 'categorical', choices: ['gbdt', 'rf'] },
  leaves: { type: 'int', low: 4, high: 64, when: { param: 'algo', in: ['gbdt'] } },
});
const f = (p: Params) =>
  (Math.log10(p.lr as number) + 2) ** 2 + ((p.depth as number) - 6) ** 2 / 10 + (p.algo === 'gbdt' ? 0 : 1);
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

type Objective = (p: Params, trial: TrialContext) => Promise<number>;

function study(sampler: Sampler, storage: InMemoryTrialStorage, objective: Objective, extra = {}) {
  return runStudy({ space, sampler, direction: 'minimize', nTrials: 20, objective, storage, ...extra });
}

const paramsByNumber = (trials: TrialRecord[]) => new Map(trials.map((t) => [t.number, t.params]));

/** An objective that aborts the study when trial `at` starts, then gives up as a real one would. */
function interrupting(controller: AbortController, at: number): Objective {
  return async (p, trial) => {
    if (trial.number === at) {
      controller.abort();
      throw trial.signal.reason;
    }
    await tick();
    return f(p);
  };
}

async function cancelled(promise: Promise<unknown>): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  expect((err as CyclopsError).details).toMatchObject({ reason: 'cancelled' });
}

describe('runStudy resumption', () => {
  it('with TPE and concurrency 1, an interrupted and resumed study repeats the uninterrupted one', async () => {
    const straight = await study(
      tpeSampler({ seed: 5, nStartupTrials: 5 }),
      new InMemoryTrialStorage(),
      async (p) => f(p),
    );

    const storage = new InMemoryTrialStorage();
    const controller = new AbortController();
    await cancelled(
      study(tpeSampler({ seed: 5, nStartupTrials: 5 }), storage, interrupting(controller, 12), {
        signal: controller.signal,
      }),
    );
    const stored = await storage.load();
    // Trials 0-11 finished; trial 12 was running when the study stopped and stays so, to be run again.
    expect(stored.map((t) => t.state)).toEqual([...new Array(12).fill('complete'), 'running']);

    // A new process: a new sampler object, the same storage.
    const resumed = await study(tpeSampler({ seed: 5, nStartupTrials: 5 }), storage, async (p) => f(p));
    expect(resumed.trials.map((t) => t.number)).toEqual([...Array(20).keys()]);
    expect(resumed.trials.every((t) => t.state === 'complete')).toBe(true);
    expect(paramsByNumber(resumed.trials)).toEqual(paramsByNumber(straight.trials));
    expect(resumed.best).toEqual(straight.best);
    expect(await storage.load()).toEqual(resumed.trials);
  });

  it('with concurrency, totals nTrials without repeating a number, random trials keeping their parameters', async () => {
    const storage = new InMemoryTrialStorage();
    const controller = new AbortController();
    await cancelled(
      study(randomSampler({ seed: 8 }), storage, interrupting(controller, 9), {
        signal: controller.signal,
        concurrency: 4,
      }),
    );
    const interrupted = await storage.load();
    expect(interrupted.length).toBeGreaterThan(9);
    expect(interrupted.length).toBeLessThan(20);
    expect(interrupted.some((t) => t.state === 'running')).toBe(true);

    let calls = 0;
    const resumed = await study(
      randomSampler({ seed: 8 }),
      storage,
      async (p) => {
        calls++;
        await tick();
        return f(p);
      },
      { concurrency: 4 },
    );
    const finishedBefore = interrupted.filter((t) => t.state !== 'running').length;
    expect(calls).toBe(20 - finishedBefore);
    expect(resumed.trials.map((t) => t.number)).toEqual([...Array(20).keys()]);
    expect(resumed.trials.every((t) => t.state === 'complete')).toBe(true);
    const uninterrupted = await study(
      randomSampler({ seed: 8 }),
      new InMemoryTrialStorage(),
      async (p) => f(p),
      {
        concurrency: 4,
      },
    );
    expect(paramsByNumber(resumed.trials)).toEqual(paramsByNumber(uninterrupted.trials));
  });

  it('runs a trial left running again first, with its number and parameters and a clean slate', async () => {
    const leftOver: TrialRecord = {
      number: 3,
      params: { lr: 0.01, depth: 6, algo: 'gbdt', leaves: 10 },
      state: 'running',
      intermediate: [[0, 5]],
      startedAt: 1,
    };
    const finished: TrialRecord[] = [0, 1, 2].map((number) => ({
      number,
      params: { lr: 0.1, depth: 2, algo: 'rf' },
      state: 'failed',
      error: 'old bug',
      intermediate: [],
      startedAt: 1,
      endedAt: 2,
    }));
    const storage = new InMemoryTrialStorage([...finished, leftOver]);
    const seen: [number, Params][] = [];
    const result = await study(
      randomSampler(),
      storage,
      async (p, trial) => {
        seen.push([trial.number, p]);
        trial.report(1, 7);
        return f(p);
      },
      { nTrials: 6 },
    );
    expect(seen[0]).toEqual([3, leftOver.params]);
    expect(seen.map(([n]) => n)).toEqual([3, 4, 5]);
    expect(result.trials[3]).toMatchObject({
      state: 'complete',
      intermediate: [[1, 7]],
      value: f(leftOver.params),
    });
    expect(result.trials[3]!.startedAt).toBeGreaterThan(1);
    // The earlier failures count towards nTrials but not towards the initial-failures rule of this run.
    expect(result.trials.map((t) => t.state)).toEqual([
      'failed',
      'failed',
      'failed',
      'complete',
      'complete',
      'complete',
    ]);
  });

  it('does nothing when the study is already complete or the signal is already aborted', async () => {
    const storage = new InMemoryTrialStorage();
    await study(randomSampler(), storage, async (p) => f(p), { nTrials: 4 });
    let calls = 0;
    const again = await study(randomSampler(), storage, async () => ++calls, { nTrials: 4 });
    expect(calls).toBe(0);
    expect(again.trials).toHaveLength(4);
    await cancelled(study(randomSampler(), storage, async () => ++calls, { signal: AbortSignal.abort() }));
    expect(calls).toBe(0);
  });
});
