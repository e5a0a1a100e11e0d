import type { Random } from '../random.js';
import { logStandardNormalMass, logStandardNormalPdf, sampleTruncatedNormal } from './truncated-normal.js';

/**
 * The Parzen estimators of TPE, following Optuna's univariate `_ParzenEstimator` (consider_prior,
 * prior_weight 1, consider_magic_clip, not consider_endpoints): one truncated Gaussian per observation
 * plus a wide prior component for numbers, and per-observation smoothed one-hot kernels plus a uniform
 * prior for categories.
 */
export interface NumericMixture {
  /** The observations' components, then the prior's (last). */
  readonly mus: readonly number[];
  readonly sigmas: readonly number[];
  /** Normalized to sum 1. */
  readonly weights: readonly number[];
  readonly low: number;
  readonly high: number;
  /** Per component, log(weight) - log(mass inside [low, high]): computed once, used by every density. */
  readonly logScales: readonly number[];
}

function normalize(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/**
 * Bandwidths as Optuna's univariate rule: each kernel's sigma is the larger gap to its neighbours among
 * the sorted observations plus the prior's mean (the interval ends count as neighbours, except that the
 * lowest and highest points take their inner gap), clipped to [width / min(100, 1 + kernels), width].
 * The prior component sits at the middle with sigma = width.
 */
export function fitNumericMixture(
  observations: readonly number[],
  observationWeights: readonly number[],
  low: number,
  high: number,
  priorWeight = 1,
): NumericMixture {
  const n = observations.length;
  const width = high - low;
  const priorMu = 0.5 * (low + high);
  const points = [...observations, priorMu];
  const order = points.map((_, i) => i).sort((i, j) => points[i]! - points[j]!);
  const ends = [low, ...order.map((i) => points[i]!), high];
  const m = points.length;
  const sorted = Array.from({ length: m }, (_, j) =>
    Math.max(ends[j + 1]! - ends[j]!, ends[j + 2]! - ends[j + 1]!),
  );
  if (m >= 2) {
    sorted[0] = ends[2]! - ends[1]!;
    sorted[m - 1] = ends[m]! - ends[m - 1]!;
  }
  const sigmas = new Array<number>(m);
  order.forEach((original, j) => {
    sigmas[original] = sorted[j]!;
  });
  const minSigma = width / Math.min(100, 1 + m);
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(width, Math.max(minSigma, sigmas[i]!));
  sigmas[n] = width;
  const weights = normalize([...observationWeights, priorWeight]);
  const logScales = points.map(
    (mu, k) =>
      Math.log(weights[k]!) - logStandardNormalMass((low - mu) / sigmas[k]!, (high - mu) / sigmas[k]!),
  );
  return { mus: points, sigmas, weights, low, high, logScales };
}

function logSumExp(terms: readonly number[]): number {
  const max = Math.max(...terms);
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}

function componentLogs(m: NumericMixture, logInside: (mu: number, sigma: number) => number): number[] {
  return m.mus.map((mu, k) => m.logScales[k]! + logInside(mu, m.sigmas[k]!));
}

export function mixtureLogPdf(m: NumericMixture, x: number): number {
  return logSumExp(componentLogs(m, (mu, sigma) => logStandardNormalPdf((x - mu) / sigma) - Math.log(sigma)));
}

/** log of the mixture's probability of [a, b]: the density of an integer parameter's value is its bin's. */
export function mixtureLogMass(m: NumericMixture, a: number, b: number): number {
  return logSumExp(
    componentLogs(m, (mu, sigma) => logStandardNormalMass((a - mu) / sigma, (b - mu) / sigma)),
  );
}

/** An index drawn with the given (normalized) probabilities. */
export function drawIndex(rng: Random, probabilities: readonly number[]): number {
  const u = rng.next();
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i]!;
    if (u < cumulative) return i;
  }
  return probabilities.length - 1;
}

export function sampleMixture(rng: Random, m: NumericMixture): number {
  const k = drawIndex(rng, m.weights);
  return sampleTruncatedNormal(rng, m.mus[k]!, m.sigmas[k]!, m.low, m.high);
}

/**
 * The probabilities of a categorical estimator: observation kernel k puts priorWeight / kernels on every
 * choice plus 1 on its own, normalized; the prior kernel is uniform; kernels mix by weight.
 */
export function fitCategorical(
  observations: readonly number[],
  observationWeights: readonly number[],
  nChoices: number,
  priorWeight = 1,
): number[] {
  const uniform = new Array<number>(nChoices).fill(1 / nChoices);
  if (observations.length === 0) return uniform;
  const weights = normalize([...observationWeights, priorWeight]);
  const base = priorWeight / (observations.length + 1);
  const kernelTotal = nChoices * base + 1;
  const probabilities = uniform.map((p) => p * weights[observations.length]!);
  observations.forEach((choice, k) => {
    for (let c = 0; c < nChoices; c++) {
      probabilities[c]! += (weights[k]! * (base + (c === choice ? 1 : 0))) / kernelTotal;
    }
  });
  return probabilities;
}
