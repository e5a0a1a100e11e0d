export { coefficientNames, type LinearEncoding, type LinearFeature } from './feature-encoding.js';
export {
  type LbfgsOptions,
  type LbfgsResult,
  type LbfgsStop,
  minimizeLbfgs,
  type Objective,
} from './lbfgs.js';
export {
  fitLogistic,
  LOGISTIC_ALGORITHM,
  LOGISTIC_PARAMS,
  type LogisticFit,
  LogisticModel,
  type LogisticParams,
  loadLogistic,
} from './logistic.js';
export { fitRidge, loadRidge, RIDGE_ALGORITHM, RIDGE_PARAMS, RidgeModel, type RidgeParams } from './ridge.js';
