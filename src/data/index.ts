export type {
  ColumnProfile,
  ColumnSchema,
  ContractCheck,
  Dataset,
  DatasetPage,
  DatasetVersion,
  IngestOutcome,
  NumericProfile,
  SchemaContract,
  TableFormat,
  TableProfile,
  VersionRef,
  VersionSource,
} from './dataset.entity.js';
export {
  type ContractInput,
  DatasetService,
  type DatasetServiceOptions,
  type IngestInput,
  type ListDatasetsInput,
  type QueryIngestInput,
  type SplitOutcome,
} from './dataset.service.js';
export { parseRulesDocument, rulesFromValue } from './validation/index.js';
export type { StoredReport } from './validation-runs.js';
export { VERSION_CREATED_TOPIC } from './version-registrar.js';
