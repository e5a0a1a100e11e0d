export { bestTrial } from './best-trial.js';
export { medianPruner, type PercentilePrunerOptions, percentilePruner } from './pruners/median-pruner.js';
export type { Pruner, PrunerTrial, PrunerTrialView } from './pruners/pruner.js';
export {
  type SuccessiveHalvingOptions,
  successiveHalvingPruner,
} from './pruners/successive-halving-pruner.js';
export { createRandom, type Random } from './random.js';
export { gridPoints, gridSampler, MAX_GRID_POINTS } from './samplers/grid-sampler.js';
export { drawRandomParams, type RandomSamplerOptions, randomSampler } from './samplers/random-sampler.js';
export type { SampleRequest, Sampler } from './samplers/sampler.js';
export { type TpeSamplerOptions, tpeSampler } from './samplers/tpe-sampler.js';
export { defaultGamma, defaultWeights } from './samplers/tpe-split.js';
export type {
  CategoricalParam,
  Condition,
  IntParam,
  LogUniformParam,
  NumericParam,
  ParamSpec,
  Params,
  ParamType,
  ParamValue,
  SearchSpace,
  UniformParam,
} from './space.js';
export { isActive, isValidValue } from './space.js';
export { parseSearchSpace } from './space-parse.js';
export { runStudy } from './study.js';
export type { Objective, StudyOptions, StudyProgress, StudyResult } from './study-options.js';
export type { BestTrial, Direction, TrialObservation, TrialRecord, TrialState } from './trial.entity.js';
export { type TrialContext, TrialPrunedError } from './trial-context.js';
export { InMemoryTrialStorage, type TrialStorage } from './trial-storage.js';
