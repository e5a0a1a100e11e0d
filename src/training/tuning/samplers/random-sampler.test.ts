import { describe, expect, it } from 'vitest';
import { parseSearchSpace } from '../space-parse.js';
import { randomSampler } from './random-sampler.js';

const space = parseSearchSpace({
  lr: { type: 'log_uniform', low: 1e-4, high: 1 },
  x: { type: 'uniform', low: -2, high: 3 },
  leaves: { type: 'int', low: 8, high: 64, step: 8 },
  trees: { type: 'int', low: 1, high: 1000, log: true },
  algo: { type: 'categorical', choices: ['gbdt', 'rf'] },
  depth: { type: 'int', low: 2, high: 8, when: { param: 'algo', in: ['gbdt'] } },
});

const sampleRun = (seed: number, n: number) => {
  const sampler = randomSampler({ seed });
  return Array.from({ length: n }, (_, trialNumber) =>
    sampler.sample({ space, history: [], direction: 'minimize', trialNumber }),
  );
};

describe('randomSampler', () => {
  it('gives the same parameters for the same seed and trial number, whatever came before', () => {
    expect(sampleRun(1, 20)).toEqual(sampleRun(1, 20));
    expect(sampleRun(1, 20)).not.toEqual(sampleRun(2, 20));
    const alone = randomSampler({ seed: 1 }).sample({
      space,
      history: [],
      direction: 'minimize',
      trialNumber: 13,
    });
    expect(alone).toEqual(sampleRun(1, 20)[13]);
  });

  it('stays in the space, log parameters spread over the decades, conditional ones only where active', () => {
    const points = sampleRun(5, 2000);
    for (const p of points) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1);
      expect((p.leaves as number) % 8).toBe(0);
      expect(Number.isInteger(p.trees)).toBe(true);
      expect('depth' in p).toBe(p.algo === 'gbdt');
    }
    const share = (f: (p: (typeof points)[number]) => boolean) => points.filter(f).length / points.length;
    // Log-uniform: each of the four decades gets about a quarter.
    expect(share((p) => (p.lr as number) < 1e-3)).toBeCloseTo(0.25, 1);
    expect(share((p) => (p.lr as number) >= 1e-1)).toBeCloseTo(0.25, 1);
    expect(share((p) => p.leaves === 8)).toBeCloseTo(1 / 8, 1);
    expect(share((p) => p.leaves === 64)).toBeCloseTo(1 / 8, 1);
    // Integers on a log scale: each integer's bin is [v - 0.5, v + 0.5] in log space.
    const below31 = (Math.log(31.5) - Math.log(0.5)) / (Math.log(1000.5) - Math.log(0.5));
    expect(Math.abs(share((p) => (p.trees as number) <= 31) - below31)).toBeLessThan(0.03);
    expect(share((p) => p.algo === 'gbdt')).toBeCloseTo(0.5, 1);
  });
});
