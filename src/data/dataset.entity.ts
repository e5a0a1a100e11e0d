import type { ColumnProfile, ColumnSchema, NumericProfile, TableProfile } from '../columnar/index.js';

/** Domain shapes of datasets (camelCase); the api layer converts them to the wire schema. */
export type { ColumnProfile, ColumnSchema, NumericProfile, TableProfile };
export type TableFormat = 'csv' | 'tsv' | 'parquet' | 'json' | 'jsonl';
export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'tsv', 'parquet', 'json', 'jsonl'];

/** Path- and URL-safe: names appear in routes, CLI arguments and artifact paths. */
export const DATASET_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

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
