import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import type { Params } from '../space.js';
import { parseSearchSpace } from '../space-parse.js';
import type { TrialObservation } from '../trial.entity.js';
import { fitNumericMixture, mixtureLogPdf, sampleMixture } from './parzen-estimator.js';
import { randomSampler } from './random-sampler.js';
import { tpeSampler } from './tpe-sampler.js';

const complete = (number: number, params: Params, value: number): TrialObservation => ({
  number,
  params,
  state: 'complete',
  value,
});

describe('tpeSampler', () => {
  const space = parseSearchSpace({ x: { type: 'uniform', low: 0, high: 10 } });
  // x = 0..9, value |x - 2|: gamma(10) = 1, so l(x) is fitted to x = 2 alone and g(x) to the other nine.
  const history = Array.from({ length: 10 }, (_, i) => complete(i, { x: i }, Math.abs(i - 2)));

  it('draws 24 candidates from l(x) and keeps the one with the highest l(x)/g(x)', () => {
    const chosen = tpeSampler({ seed: 11 }).sample({
      space,
      history,
      direction: 'minimize',
      trialNumber: 10,
    });
    // The same computation by hand, with the trial's random stream.
    const rng = createRandom(11, 10);
    const l = fitNumericMixture([2], [1], 0, 10);
    const g = fitNumericMixture([0, 1, 3, 4, 5, 6, 7, 8, 9], new Array(9).fill(1), 0, 10);
    const candidates = Array.from({ length: 24 }, () => sampleMixture(rng, l));
    const ratio = (x: number) => mixtureLogPdf(l, x) - mixtureLogPdf(g, x);
    const expected = candidates.reduce((best, x) => (ratio(x) > ratio(best) ? x : best));
    expect(chosen.x).toBe(expected);
    expect(Math.abs((chosen.x as number) - 2)).toBeLessThan(1.5);
  });

  it('follows the direction', () => {
    const chosen = tpeSampler({ seed: 11 }).sample({
      space,
      history,
      direction: 'maximize',
      trialNumber: 10,
    });
    // Maximizing |x - 2|, the best trial is x = 9.
    expect(chosen.x).toBeGreaterThan(7);
  });

  it('samples randomly (as the random sampler) until n_startup_trials trials finished', () => {
    const request = { space, history: history.slice(0, 9), direction: 'minimize' as const, trialNumber: 9 };
    const tpe = tpeSampler({ seed: 4 }).sample(request);
    expect(tpe).toEqual(randomSampler({ seed: 4 }).sample(request));
  });

  it('is deterministic given the seed, trial number and history', () => {
    const a = tpeSampler({ seed: 1 });
    const b = tpeSampler({ seed: 1 });
    const request = { space, history, direction: 'minimize' as const, trialNumber: 10 };
    expect(a.sample(request)).toEqual(b.sample(request));
    expect(a.sample(request)).not.toEqual(a.sample({ ...request, trialNumber: 11 }));
  });

  it('learns categorical and conditional parameters only from trials where they were active', () => {
    const cond = parseSearchSpace({
      algo: { type: 'categorical', choices: ['gbdt', 'rf', 'linear'] },
      depth: { type: 'int', low: 1, high: 10, when: { param: 'algo', in: ['gbdt'] } },
    });
    // gbdt with depth near 8 is good, everything else bad.
    const past: TrialObservation[] = [];
    for (let i = 0; i < 30; i++) {
      const algo = ['gbdt', 'rf', 'linear'][i % 3]!;
      const params: Params = algo === 'gbdt' ? { algo, depth: 1 + (i % 10) } : { algo };
      const value = algo === 'gbdt' ? Math.abs((params.depth as number) - 8) : 20;
      past.push(complete(i, params, value));
    }
    const sampler = tpeSampler({ seed: 2 });
    const next = Array.from({ length: 20 }, (_, k) =>
      sampler.sample({ space: cond, history: past, direction: 'minimize', trialNumber: 30 + k }),
    );
    expect(next.filter((p) => p.algo === 'gbdt').length).toBeGreaterThanOrEqual(18);
    for (const p of next) expect('depth' in p).toBe(p.algo === 'gbdt');
    const depths = next.filter((p) => p.algo === 'gbdt').map((p) => p.depth as number);
    expect(depths.filter((d) => Math.abs(d - 8) <= 2).length).toBeGreaterThanOrEqual(depths.length * 0.7);
  });

  it('with the constant liar, steers away from points of running trials', () => {
    const one = parseSearchSpace({ c: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] } });
    // Ten finished trials, all equally bad, so only the running trials make a difference.
    const done = Array.from({ length: 10 }, (_, i) => complete(i, { c: 'abcd'[i % 4]! }, 1));
    const running: TrialObservation[] = Array.from({ length: 6 }, (_, i) => ({
      number: 10 + i,
      params: { c: 'a' },
      state: 'running',
    }));
    const count = (constantLiar: boolean) => {
      const sampler = tpeSampler({ seed: 9, constantLiar });
      let a = 0;
      for (let k = 0; k < 40; k++) {
        const p = sampler.sample({
          space: one,
          history: [...done, ...running],
          direction: 'minimize',
          trialNumber: 16 + k,
        });
        if (p.c === 'a') a++;
      }
      return a;
    };
    expect(count(true)).toBeLessThan(count(false));
    expect(count(true)).toBe(0);
  });

  it('ignores stored values the current space no longer allows', () => {
    const edited = parseSearchSpace({ x: { type: 'uniform', low: 0, high: 1 } });
    const old = Array.from({ length: 12 }, (_, i) => complete(i, { x: i }, i));
    const p = tpeSampler().sample({ space: edited, history: old, direction: 'minimize', trialNumber: 12 });
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.x).toBeLessThanOrEqual(1);
  });
});
