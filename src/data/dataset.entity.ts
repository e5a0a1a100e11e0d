import {
  type ColumnProfile,
  type ColumnSchema,
  type NumericProfile,
  TABLE_FORMATS,
  type TableFormat,
  type TableProfile,
} from '../columnar/index.js';
import { DATASET_NAME_PATTERN, type ValidationRule } from '../contracts/index.js';

/** Domain shapes of datasets (camelCase); the api layer converts them to the wire schema. */
export type { ColumnProfile, ColumnSchema, NumericProfile, TableFormat, TableProfile };
// The formats are what the columnar reader reads; one list, not a copy per layer.
export { TABLE_FORMATS };

/** The wire's name rule, checked here too for callers that are not HTTP. */
export const DATASET_NAME_RE = new RegExp(DATASET_NAME_PATTERN);

/** Where a version's rows came from. */
export interface VersionSource {
  kind: 'upload' | 'query' | 'split' | 'transform';
  /** upload: the file's format and name as the client gave it. */
  format?: TableFormat | undefined;
  fileName?: string | undefined;
  /** query: host:port/database (never the user or password) and the SQL text. */
  server?: string | undefined;
  query?: string | undefined;
  /** split: which part of the parent (train, validation, test) and how it was drawn. */
  split?: string | undefined;
  /** split/transform: the parameters, as given. */
  params?: Record<string, unknown> | undefined;
}

/** The version a derived version was made from; it may belong to another dataset. */
export interface VersionRef {
  dataset: string;
  version: number;
}

/**
 * The schema every new version of a dataset is checked against: columns with their types and whether
 * they may be missing, and the column models learn to predict.
 */
export interface SchemaContract {
  columns: Pick<ColumnSchema, 'name' | 'type' | 'nullable'>[];
  target?: string | undefined;
  /** reject: a version that breaks the contract is not registered; warn: it is, with the violations. */
  onViolation: 'reject' | 'warn';
  /** The version the contract was taken from, if it was. */
  fromVersion?: number | undefined;
}

/** A version's schema checked against its dataset's contract when it was registered. */
export interface ContractCheck {
  passed: boolean;
  /** What breaks the contract: a missing column, a changed type, missing values where none may be. */
  violations: string[];
  /** What changed without breaking it: new columns, integers where floats are expected. */
  notes: string[];
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
  parent?: VersionRef | undefined;
  /** Present when the dataset had a contract when this version was registered. */
  contractCheck?: ContractCheck | undefined;
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
  contract?: SchemaContract | undefined;
  /** Validation rules run on every new version. */
  validationRules?: ValidationRule[] | undefined;
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
