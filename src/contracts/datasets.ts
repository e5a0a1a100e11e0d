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

export const DatasetVersion = Type.Object({
  dataset: Type.String(),
  /** 1, 2, 3... per dataset, in order of first ingest. */
  version: Type.Integer(),
  /** SHA-256 of the schema and the rows in order, independent of the source format. */
  content_hash: Type.String(),
  row_count: Type.Integer(),
  bytes: Type.Integer(),
  schema: Type.Array(ColumnSchema),
  source: Type.Object({
    kind: Type.Union([Type.Literal('upload'), Type.Literal('derived')]),
    format: Type.Optional(TableFormat),
    file_name: Type.Optional(Type.String()),
  }),
  parent_version: Type.Optional(Type.Integer()),
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
});
export type Dataset = Static<typeof Dataset>;

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
