import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import {
  fitCategorical,
  fitNumericMixture,
  mixtureLogMass,
  mixtureLogPdf,
  sampleMixture,
} from './parzen-estimator.js';
import { erfc, logStandardNormalMass } from './truncated-normal.js';

describe('truncated normal helpers', () => {
  it('keeps tail probabilities precise (references from scipy.stats.norm.sf)', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    expect(logStandardNormalMass(-2, 1)).toBeCloseTo(-0.20016629432446262, 6);
    expect(logStandardNormalMass(8, 8.5)).toBeCloseTo(-35.028792508579755, 5);
    expect(logStandardNormalMass(-31, -30)).toBeCloseTo(-454.32124395634327, 4);
    expect(logStandardNormalMass(1, 1)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('numeric Parzen estimator', () => {
  // Observations 2 and 6 on [0, 10]. With the prior's mean 5 the sorted points are 2, 5, 6 and the
  // neighbour gaps (interval ends included) give sigmas max(2, 3) = 3, max(3, 1) = 3, max(1, 4) = 4; the
  // end points take their inner gap instead: 2 -> 5 - 2 = 3, 6 -> 6 - 5 = 1. The clip floor is
  // width / min(100, 1 + 3 kernels) = 2.5, so 6 gets 2.5. The prior is N(5, 10). Weights 1, 1, 1 -> 1/3.
  const m = fitNumericMixture([2, 6], [1, 1], 0, 10);

  it('sets means, bandwidths and weights as Optuna does', () => {
    expect(m.mus).toEqual([2, 6, 5]);
    expect(m.sigmas).toEqual([3, 2.5, 10]);
    expect(m.weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('clips bandwidths between width / min(100, 1 + kernels) and the width', () => {
    // Sorted 0.1, 0.2, 0.3, 5 (prior), 9.9: gaps give 0.1 (inner gap), 0.1, 4.7, -, 4.9 (inner gap);
    // the floor is 10 / 6.
    const crowded = fitNumericMixture([0.1, 0.2, 0.3, 9.9], [1, 1, 1, 1], 0, 10);
    expect(crowded.sigmas.map((s) => +s.toFixed(6))).toEqual([1.666667, 1.666667, 4.7, 4.9, 10]);
    // A single observation: both points take their gap to each other.
    expect(fitNumericMixture([1], [1], 0, 10).sigmas).toEqual([4, 10]);
    // None: just the prior.
    expect(fitNumericMixture([], [], 0, 10)).toMatchObject({ mus: [5], sigmas: [10], weights: [1] });
  });

  it('evaluates the truncated mixture density and bin mass (references from scipy.stats.truncnorm)', () => {
    expect(mixtureLogPdf(m, 4)).toBeCloseTo(-2.091474819177876, 6);
    expect(mixtureLogPdf(m, 9)).toBeCloseTo(-2.7550220926046767, 6);
    expect(mixtureLogMass(m, 3.5, 4.5)).toBeCloseTo(-2.0933875724779925, 6);
    expect(mixtureLogMass(m, 4, 4.001)).toBeCloseTo(-8.999218241984684, 5);
  });

  it('samples only inside the interval, following the mixture', () => {
    const rng = createRandom(3);
    const draws = Array.from({ length: 20_000 }, () => sampleMixture(rng, m));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(10);
    const share = draws.filter((x) => x >= 3.5 && x <= 4.5).length / draws.length;
    expect(share).toBeCloseTo(Math.exp(-2.0933875724779925), 2);
  });
});

describe('categorical Parzen estimator', () => {
  it('mixes smoothed one-hot kernels with a uniform prior', () => {
    // Observations a, a, b over [a, b, c]: 4 kernels, each observation's puts 1/4 everywhere plus 1 on its
    // choice (total 1.75), the prior's is uniform; equal weights 1/4.
    const p = fitCategorical([0, 0, 1], [1, 1, 1], 3);
    expect(p[0]).toBeCloseTo((2 * (1.25 / 1.75) + 0.25 / 1.75 + 1 / 3) / 4, 12);
    expect(p[1]).toBeCloseTo((2 * (0.25 / 1.75) + 1.25 / 1.75 + 1 / 3) / 4, 12);
    expect(p[2]).toBeCloseTo((3 * (0.25 / 1.75) + 1 / 3) / 4, 12);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 12);
    expect(fitCategorical([], [], 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
