import Type, { type Static } from 'typebox';
import { MAX_NAME_LENGTH } from './common.js';

/** Dataset names are path- and URL-safe: they appear in routes, CLI arguments and artifact paths. */
export const DATASET_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$';
export const DatasetName = Type.String({ pattern: DATASET_NAME_PATTERN, maxLength: 128 });

export const TABLE_FORMATS = ['csv', 'tsv', 'parquet', 'json', 'jsonl'] as const;
export const TableFormat = Type.Union([
  Type.Literal('csv'),
  Type.Literal('tsv'),
  Type.Literal('parquet'),
  Type.Literal('json'),
  Type.Literal('jsonl'),
]);
export type TableFormat = Static<typeof TableFormat>;

export const ColumnSchema = Type.Object({
  name: Type.String(),
  type: Type.Union([
    Type.Literal('integer'),
    Type.Literal('float'),
    Type.Literal('boolean'),
    Type.Literal('string'),
    Type.Literal('date'),
    Type.Literal('timestamp'),
  ]),
  nullable: Type.Boolean(),
  kind: Type.Union([
    Type.Literal('numeric'),
    Type.Literal('categorical'),
    Type.Literal('text'),
    Type.Literal('datetime'),
    Type.Literal('boolean'),
  ]),
});
export type ColumnSchema = Static<typeof ColumnSchema>;

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** Summary statistics of one column. Every number is finite; an undefined statistic is null. */
export const ColumnProfile = Type.Object({
  name: Type.String(),
  type: ColumnSchema.properties.type,
  kind: ColumnSchema.properties.kind,
  /** Values present: not null and, for floats, not NaN (NaN counts as missing, as in pandas). */
  count: Type.Integer(),
  missing: Type.Integer(),
  /**
   * Distinct present values: exact, except for a numeric column with over 100,000 distinct values, where
   * it is a HyperLogLog estimate (relative standard error 0.41%) and `distinctApproximate` is true.
   */
  distinct: Type.Integer(),
  distinctApproximate: Type.Optional(Type.Literal(true)),
  /** Numeric columns. */
  numeric: Type.Optional(
    Type.Object({
      /** ±Infinity values: counted in `count`, left out of every statistic here. */
      infinite: Type.Integer(),
      min: NullableNumber,
      max: NullableNumber,
      mean: NullableNumber,
      /** Sample standard deviation (ddof = 1). */
      std: NullableNumber,
      /** Linear interpolation (pandas/numpy default) at p = 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99. */
      quantiles: Type.Array(Type.Object({ p: Type.Number(), value: Type.Number() })),
      /** 20 equal-width bins from min to max, numpy.histogram semantics (the last bin is closed). */
      histogram: Type.Union([
        Type.Object({ edges: Type.Array(Type.Number()), counts: Type.Array(Type.Integer()) }),
        Type.Null(),
      ]),
    }),
  ),
  /** Categorical, boolean and text columns: the 10 most frequent values, ties broken by value. */
  top: Type.Optional(Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }))),
  /** Datetime columns: earliest and latest value, ISO 8601. */
  range: Type.Optional(
    Type.Object({
      min: Type.Union([Type.String(), Type.Null()]),
      max: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type ColumnProfile = Static<typeof ColumnProfile>;

export const TableProfile = Type.Object({
  columns: Type.Array(ColumnProfile),
  /** Pearson correlations of the numeric columns (pairwise complete rows); null where undefined. */
  correlations: Type.Object({
    columns: Type.Array(Type.String()),
    values: Type.Array(Type.Array(NullableNumber)),
  }),
});
export type TableProfile = Static<typeof TableProfile>;
export const DatasetProfileResponse = Type.Object({ profile: TableProfile });
export type DatasetProfileResponse = Static<typeof DatasetProfileResponse>;

export const VersionSource = Type.Object({
  kind: Type.Union([
    Type.Literal('upload'),
    Type.Literal('query'),
    Type.Literal('split'),
    Type.Literal('transform'),
  ]),
  /** upload: the file's format and name as the client sent them. */
  format: Type.Optional(TableFormat),
  file_name: Type.Optional(Type.String()),
  /** query: host:port/database of the Postgres server (never its user or password) and the SQL. */
  server: Type.Optional(Type.String()),
  query: Type.Optional(Type.String()),
  /** split: the part of the parent this version is (train, validation, test). */
  split: Type.Optional(Type.String()),
  /** split/transform: their parameters as given. */
  params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const VersionRef = Type.Object({ dataset: Type.String(), version: Type.Integer() });

export const ContractColumn = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    type: ColumnSchema.properties.type,
    nullable: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const SchemaContract = Type.Object({
  columns: Type.Array(ContractColumn),
  /** The column models learn to predict. */
  target: Type.Optional(Type.String()),
  /** reject: a version that breaks the contract is refused; warn: it is registered, with the violations. */
  on_violation: Type.Union([Type.Literal('reject'), Type.Literal('warn')]),
  from_version: Type.Optional(Type.Integer()),
});
export type SchemaContract = Static<typeof SchemaContract>;

export const ContractCheck = Type.Object({
  passed: Type.Boolean(),
  violations: Type.Array(Type.String()),
  notes: Type.Array(Type.String()),
});

export const DatasetVersion = Type.Object({
  dataset: Type.String(),
  /** 1, 2, 3... per dataset, in order of first ingest. */
  version: Type.Integer(),
  /** SHA-256 of the schema and the rows in order, independent of the source format. */
  content_hash: Type.String(),
  row_count: Type.Integer(),
  bytes: Type.Integer(),
  schema: Type.Array(ColumnSchema),
  source: VersionSource,
  /** The version this one was derived from (a split's parent), possibly of another dataset. */
  parent: Type.Optional(VersionRef),
  /** The schema checked against the dataset's contract at registration, when it had one. */
  contract_check: Type.Optional(ContractCheck),
  artifact_path: Type.String(),
  created_by: Type.String(),
  created_at: Type.Integer(),
});
export type DatasetVersion = Static<typeof DatasetVersion>;

export const Dataset = Type.Object({
  name: Type.String(),
  description: Type.String(),
  created_by: Type.String(),
  created_at: Type.Integer(),
  version_count: Type.Integer(),
  latest_version: Type.Optional(DatasetVersion),
  contract: Type.Optional(SchemaContract),
  /** Validation rules (ValidationRule, see validation.ts, which imports this file) run on every new version. */
  validation_rules: Type.Optional(Type.Array(Type.Unknown())),
});
export type Dataset = Static<typeof Dataset>;

/** Ingest the result of a SQL query against a Postgres server. */
export const QueryIngestBody = Type.Object(
  {
    /** postgres://user:password@host:port/database; the server keeps only host, port and database. */
    connection: Type.String({ minLength: 1, maxLength: 2048, pattern: '^postgres(ql)?://' }),
    /** One SELECT statement; it runs in a read-only transaction. */
    query: Type.String({ minLength: 1, maxLength: 100_000 }),
    description: Type.Optional(Type.String({ maxLength: MAX_NAME_LENGTH })),
  },
  { additionalProperties: false },
);
export type QueryIngestBody = Static<typeof QueryIngestBody>;

/** Declare a contract: the columns of a version (default the latest), or explicit columns. */
export const SetContractBody = Type.Object(
  {
    from_version: Type.Optional(Type.Integer({ minimum: 1 })),
    columns: Type.Optional(Type.Array(ContractColumn, { minItems: 1, maxItems: 10_000 })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    on_violation: Type.Optional(Type.Union([Type.Literal('reject'), Type.Literal('warn')])),
  },
  { additionalProperties: false },
);
export type SetContractBody = Static<typeof SetContractBody>;
export const ContractResponse = Type.Object({ contract: SchemaContract });

/** Query string of an upload: the body is the raw file, streamed. */
export const IngestQuery = Type.Object(
  {
    format: TableFormat,
    file_name: Type.Optional(Type.String({ maxLength: 255 })),
    header: Type.Optional(Type.Boolean()),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
    quote: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
    encoding: Type.Optional(Type.String({ maxLength: 40 })),
    description: Type.Optional(Type.String({ maxLength: MAX_NAME_LENGTH })),
  },
  { additionalProperties: false },
);
export type IngestQuery = Static<typeof IngestQuery>;

export const IngestResponse = Type.Object({
  /** False when identical content was ingested before: the existing version is returned, not a copy. */
  created: Type.Boolean(),
  version: DatasetVersion,
});
export type IngestResponse = Static<typeof IngestResponse>;

export const DatasetResponse = Type.Object({ dataset: Dataset });
export const DatasetListResponse = Type.Object({
  datasets: Type.Array(Dataset),
  next_page_token: Type.Optional(Type.String()),
});
export type DatasetListResponse = Static<typeof DatasetListResponse>;
export const DatasetVersionResponse = Type.Object({ version: DatasetVersion });
export const DatasetVersionListResponse = Type.Object({ versions: Type.Array(DatasetVersion) });
export type DatasetVersionListResponse = Static<typeof DatasetVersionListResponse>;
export const DatasetNameParams = Type.Object({ name: DatasetName });
export const DatasetVersionParams = Type.Object({ name: DatasetName, version: Type.Integer({ minimum: 1 }) });
export const SearchDatasetsQuery = Type.Object({
  name_like: Type.Optional(Type.String({ maxLength: 128 })),
  max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  page_token: Type.Optional(Type.String({ maxLength: 200 })),
});
export type SearchDatasetsQuery = Static<typeof SearchDatasetsQuery>;
