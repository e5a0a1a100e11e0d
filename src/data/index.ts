export type {
  ColumnProfile,
  ColumnSchema,
  Dataset,
  DatasetPage,
  DatasetVersion,
  IngestOutcome,
  NumericProfile,
  TableFormat,
  TableProfile,
  VersionSource,
} from './dataset.entity.js';
export {
  DatasetService,
  type DatasetServiceOptions,
  type IngestInput,
  type ListDatasetsInput,
  VERSION_CREATED_TOPIC,
} from './dataset.service.js';
