import { invalid } from '../../../core/index.js';
import { createRandom, type Random } from '../random.js';
import {
  type CategoricalParam,
  isActive,
  isValidValue,
  type NumericParam,
  type ParamSpec,
  type Params,
  type ParamValue,
} from '../space.js';
import type { TrialObservation } from '../trial.entity.js';
import { numericDomain } from './numeric-domain.js';
import {
  drawIndex,
  fitCategorical,
  fitNumericMixture,
  mixtureLogMass,
  mixtureLogPdf,
  sampleMixture,
} from './parzen-estimator.js';
import { drawRandomParams } from './random-sampler.js';
import type { Sampler } from './sampler.js';
import { defaultGamma, defaultWeights, splitTrials } from './tpe-split.js';

export interface TpeSamplerOptions {
  seed?: number;
  /** Trials drawn at random before TPE starts modelling (complete and pruned ones count). Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter; the one with the highest l(x)/g(x) wins. Default 24. */
  nEiCandidates?: number;
  /** How many of n finished trials are "good". Default Optuna's min(ceil(0.1 n), 25). */
  gamma?: (n: number) => number;
  /** Per-observation weights, oldest first. Default Optuna's (older than the newest 25 ramp down). */
  weights?: (n: number) => number[];
  /** Weight of the prior component in each estimator. Default 1. */
  priorWeight?: number;
  /** Count running trials as bad, so concurrent trials spread out. Default true. */
  constantLiar?: boolean;
}

function checkInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw invalid(`TPE ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011) as Optuna's default TPESampler: univariate,
 * each parameter sampled on its own from estimators fitted to the good (l) and bad (g) trials in which
 * it was active (so a conditional parameter learns only from trials of its branch).
 */
export function tpeSampler(options: TpeSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw invalid(`TPE seed must be an integer, got ${seed}`);
  const nStartup = checkInteger('nStartupTrials', options.nStartupTrials ?? 10, 0);
  const nEi = checkInteger('nEiCandidates', options.nEiCandidates ?? 24, 1);
  const gamma = options.gamma ?? defaultGamma;
  const weights = options.weights ?? defaultWeights;
  const priorWeight = options.priorWeight ?? 1;
  if (!(priorWeight > 0) || !Number.isFinite(priorWeight))
    throw invalid(`TPE priorWeight must be > 0, got ${priorWeight}`);
  const constantLiar = options.constantLiar ?? true;

  return {
    name: 'tpe',
    sample: ({ space, history, direction, trialNumber }) => {
      const rng = createRandom(seed, trialNumber);
      const sorted = [...history].sort((a, b) => a.number - b.number);
      const finished = sorted.filter((t) => t.state === 'complete' || t.state === 'pruned');
      if (finished.length < nStartup) return drawRandomParams(space, rng);
      const { below, above } = splitTrials(sorted, direction, gamma(finished.length), constantLiar);
      const params: Params = {};
      for (const spec of space.params) {
        if (!isActive(spec, params)) continue;
        const good = activeValues(spec, below);
        const bad = activeValues(spec, above);
        const fit = { weights, priorWeight, nEi };
        params[spec.name] =
          spec.type === 'categorical'
            ? sampleCategorical(spec, good, bad, rng, fit)
            : sampleNumeric(spec, good, bad, rng, fit);
      }
      return params;
    },
  };
}

interface Fit {
  weights: (n: number) => number[];
  priorWeight: number;
  nEi: number;
}

/** A stored value the current space cannot take (the space was edited) is ignored like an inactive one. */
function activeValues(spec: ParamSpec, trials: readonly TrialObservation[]): ParamValue[] {
  const values: ParamValue[] = [];
  for (const t of trials) {
    const v = t.params[spec.name];
    if (v !== undefined && isValidValue(spec, v)) values.push(v);
  }
  return values;
}

/** The candidate with the highest log l - log g; the first one wins ties. */
function argmaxRatio<T>(candidates: readonly T[], score: (c: T) => number): T {
  let best = candidates[0] as T;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    const s = score(c);
    if (s > bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

function sampleNumeric(
  spec: NumericParam,
  good: ParamValue[],
  bad: ParamValue[],
  rng: Random,
  fit: Fit,
): number {
  const d = numericDomain(spec);
  const fitOne = (values: ParamValue[]) => {
    const xs = values.map((v) => d.toInternal(v as number));
    return fitNumericMixture(xs, fit.weights(xs.length), d.low, d.high, fit.priorWeight);
  };
  const l = fitOne(good);
  const g = fitOne(bad);
  const candidates = Array.from({ length: fit.nEi }, () => d.fromInternal(sampleMixture(rng, l)));
  const logDensity = d.bin
    ? (m: typeof l, v: number) => mixtureLogMass(m, ...d.bin!(v))
    : (m: typeof l, v: number) => mixtureLogPdf(m, d.toInternal(v));
  return argmaxRatio(candidates, (v) => logDensity(l, v) - logDensity(g, v));
}

function sampleCategorical(
  spec: CategoricalParam,
  good: ParamValue[],
  bad: ParamValue[],
  rng: Random,
  fit: Fit,
): ParamValue {
  const fitOne = (values: ParamValue[]) => {
    const indices = values.map((v) => spec.choices.indexOf(v));
    return fitCategorical(indices, fit.weights(indices.length), spec.choices.length, fit.priorWeight);
  };
  const l = fitOne(good);
  const g = fitOne(bad);
  const candidates = Array.from({ length: fit.nEi }, () => drawIndex(rng, l));
  return spec.choices[argmaxRatio(candidates, (c) => Math.log(l[c]!) - Math.log(g[c]!))]!;
}
