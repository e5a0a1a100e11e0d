export {
  type CreateExperimentInput,
  ExperimentService,
  parseExperimentId,
  type SearchExperimentsInput,
} from './experiment.service.js';
export {
  type CreateRunInput,
  type MetricHistoryPage,
  RunService,
  type RunServiceOptions,
  type SearchRunsInput,
  type UpdateRunInput,
} from './run.service.js';
export type {
  BatchInput,
  Experiment,
  KeyValue,
  LifecycleStage,
  MetricInput,
  MetricPoint,
  MetricSeries,
  Page,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
} from './tracking.entity.js';
