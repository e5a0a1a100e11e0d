export { encodeArtifactPath } from './artifact-path.js';
export { AuditApi } from './audit-api.js';
export { CyclopsClient, type Health } from './client.js';
export { type DatasetBody, DatasetsApi, type IngestOptions } from './datasets-api.js';
export { CyclopsApiError, codeForStatus, isCyclopsApiError, isTransientError } from './errors.js';
export { type CreateExperimentOptions, ExperimentsApi } from './experiments-api.js';
export { type FeatureRow, FeaturesApi } from './features-api.js';
export { type ClientOptions, DEFAULT_TIMEOUT_MS } from './http.js';
export { flushOnExit, MetricLogger, type MetricLoggerOptions, type SendMetrics } from './metric-logger.js';
export {
  type ArtifactBody,
  type LogBatchInput,
  type MetricHistoryPage,
  type MetricHistoryPoint,
  type MetricToLog,
  RunsApi,
  type UploadedArtifact,
} from './runs-api.js';
export { TrainingApi, type WaitOptions } from './training-api.js';
export { TuningApi } from './tuning-api.js';
