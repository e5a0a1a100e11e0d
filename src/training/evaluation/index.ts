export { calibrationTable, DEFAULT_CALIBRATION_BINS } from './calibration.js';
export { classificationMetrics } from './classification-metrics.js';
export { confusionMatrix, predictedClasses } from './confusion-matrix.js';
export type {
  CalibrationBin,
  ClassificationMetrics,
  ClassificationReport,
  ClassificationTask,
  EvaluationReport,
  MetricOptions,
  PrCurve,
  RegressionMetrics,
  RegressionReport,
  RocCurve,
} from './evaluation.entity.js';
export {
  type FeatureImportance,
  type PermutationImportance,
  type PermutationImportanceOptions,
  permutationImportance,
  type ScoreFunction,
} from './permutation-importance.js';
export { type CurveOptions, precisionRecallCurve, rocCurve } from './ranking-metrics.js';
export { regressionMetrics } from './regression-metrics.js';
export { type EvaluateOptions, evaluate } from './report.js';
export {
  DEFAULT_MIN_SLICE_ROWS,
  metricsBySlice,
  type SliceKeys,
  type SliceMetrics,
  type SliceOptions,
} from './slices.js';
