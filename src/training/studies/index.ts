// training/studies: hyperparameter tuning studies as a persistent, resumable service over the tuning
// engine (../tuning) and TrainingService. Decisions: README.md.

export {
  BEST_RUN_TAG,
  BEST_TRIAL_TAG,
  STATUS_TAG,
  STUDY_TAG,
  type StudyTracker,
} from './parent-run.js';
export { StudyService, type StudyServiceDeps } from './studies.service.js';
export type {
  ResolvedStudyConfig,
  StudyConfig,
  StudyProgress,
  StudySamplerName,
  StudyStatus,
  TuningStudy,
  TuningStudyDetail,
  TuningStudyPage,
  TuningTrial,
} from './study.entity.js';
export { MAX_CONCURRENCY, MAX_TRIALS, parseStudyConfig } from './study-config.js';
export { STUDY_METRICS, type StudyMetric } from './study-metrics.js';
