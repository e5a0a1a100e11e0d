// training/: built-in algorithms (GBDT, random forest, logistic and ridge regression), evaluation,
// hyperparameter tuning, model bundles, and the service that trains on dataset versions and records
// runs. Imports features/ and data/ (DESIGN.md "Layers"); tracking comes in through TrainingTracker.

export type { ParamSpec } from './algorithms/params.js';
export { ALGORITHMS, type Algorithm, algorithmNamed, loadBuiltinModel } from './algorithms/registry.js';
export { type BundleReader, LoadedBundle, type RowPrediction } from './bundle/loaded-bundle.js';
export { parseManifest } from './bundle/manifest.js';
export type { BundleEvaluation } from './evaluate-bundle.js';
export type { EvaluationReport } from './evaluation/index.js';
export type { FeatureMatrix, FitOptions, Model, Predictor, Task, TrainingData } from './model.entity.js';
export {
  MAX_CONCURRENCY,
  MAX_TRIALS,
  parseStudyConfig,
  STUDY_METRICS,
  StudyService,
  type StudyServiceDeps,
  type StudyTracker,
  type TuningStudy,
  type TuningStudyDetail,
  type TuningStudyPage,
  type TuningTrial,
} from './studies/index.js';
export type {
  JobStatus,
  TrainInput,
  TrainingJob,
  TrainingReport,
  TrainingTracker,
  TrainResult,
  VersionRef,
} from './training.entity.js';
export { BUNDLE_DIR, TrainingService, type TrainingServiceDeps } from './training.service.js';
