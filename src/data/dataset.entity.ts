import {
  type ColumnProfile,
  type ColumnSchema,
  type NumericProfile,
  TABLE_FORMATS,
  type TableFormat,
  type TableProfile,
} from '../columnar/index.js';
import { DATASET_NAME_PATTERN } from '../contracts/index.js';

/** Domain shapes of datasets (camelCase); the api layer converts them to the wire schema. */
export type { ColumnProfile, ColumnSchema, NumericProfile, TableFormat, TableProfile };
// The formats are what the columnar reader reads; one list, not a copy per layer.
export { TABLE_FORMATS };

/** The wire's name rule, checked here too for callers that are not HTTP. */
export const DATASET_NAME_RE = new RegExp(DATASET_NAME_PATTERN);

export interface VersionSource {
  kind: 'upload' | 'derived';
  format?: TableFormat | undefined;
  fileName?: string | undefined;
}

export interface DatasetVersion {
  dataset: string;
  version: number;
  /** SHA-256 of the schema and the rows in order, independent of the source format. */
  contentHash: string;
  rowCount: number;
  /** Size of the Parquet snapshot. */
  bytes: number;
  schema: ColumnSchema[];
  source: VersionSource;
  parentVersion?: number | undefined;
  artifactPath: string;
  createdBy: string;
  createdAt: number;
}

export interface Dataset {
  name: string;
  description: string;
  createdBy: string;
  createdAt: number;
  versionCount: number;
  latestVersion?: DatasetVersion | undefined;
}

export interface IngestOutcome {
  /** False when identical content was ingested before: the existing version is returned. */
  created: boolean;
  version: DatasetVersion;
}

export interface DatasetPage {
  items: Dataset[];
  nextPageToken?: string | undefined;
}
