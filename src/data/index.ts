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
  type ListDatasetsInput,
} from './dataset.service.js';
export { parseRulesDocument, rulesFromValue } from './validation/index.js';
export type { StoredReport } from './validation-runs.js';
export type {
  DeriveInput,
  IngestInput,
  QueryIngestInput,
  SplitOutcome,
} from './version-builder.js';
export { VERSION_CREATED_TOPIC } from './version-registrar.js';
