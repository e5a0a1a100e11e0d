import Type, { type Static } from 'typebox';
import { ColumnSchema, DatasetName } from './datasets.js';

/**
 * Feature transforms: a user-written TransformConfig (JSON or YAML) is fitted on a training table into a
 * TransformSpec, which training, batch scoring and online serving apply identically. The spec is stored,
 * sent over the wire and embedded in model bundles, so its format is versioned.
 */
export const TRANSFORM_SPEC_FORMAT = 'cyclops.transform.v1';

const strict = { additionalProperties: false } as const;
const ColumnName = Type.String({ minLength: 1, maxLength: 1000 });
const Columns = Type.Array(ColumnName, { minItems: 1, maxItems: 10_000 });
/** A value of a string, integer, float or boolean column. */
export const TransformScalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
export type TransformScalar = Static<typeof TransformScalar>;
const Categories = Type.Array(TransformScalar, { maxItems: 100_000 });
const ORDINAL_POLICY = Type.Union([Type.Literal('error'), Type.Literal('null'), Type.Integer()]);
const ONE_HOT_UNKNOWN = Type.Enum(['ignore', 'error', 'null']);
const ONE_HOT_MISSING = Type.Enum(['ignore', 'category', 'error', 'null']);
const LOG_FUNCTION = Type.Enum(['log1p', 'log']);

export const IMPUTE_STRATEGIES = ['mean', 'median', 'most_frequent', 'constant'] as const;
export const SCALE_METHODS = ['standard', 'min_max', 'robust'] as const;
export const DATE_PARTS = ['year', 'month', 'day', 'weekday', 'hour'] as const;

const imputeFields = {
  type: Type.Literal('impute'),
  columns: Columns,
  strategy: Type.Enum(IMPUTE_STRATEGIES),
  /** strategy 'constant': the fill value, of the column's type. */
  value: Type.Optional(TransformScalar),
};
const scaleFields = { type: Type.Literal('scale'), columns: Columns, method: Type.Enum(SCALE_METHODS) };
const oneHotFields = {
  type: Type.Literal('one_hot'),
  columns: Columns,
  /** A value not among the categories: 'ignore' (all zeros, default), 'error', or 'null' (all null). */
  unknown: Type.Optional(ONE_HOT_UNKNOWN),
  /** A null: 'ignore' (all zeros, default), 'category' (its own `<column>_null` output), 'error' or 'null'. */
  missing: Type.Optional(ONE_HOT_MISSING),
  /** Categories per column, instead of fitting them; a column not listed is fitted. */
  categories: Type.Optional(Type.Record(Type.String(), Categories)),
  /** Fitting fails when a column has more distinct values than this (default 100). */
  max_categories: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
};
const ordinalFields = {
  type: Type.Literal('ordinal'),
  columns: Columns,
  /** A value not among the categories: 'error' (default), 'null', or this integer. */
  unknown: Type.Optional(ORDINAL_POLICY),
  /** A null: 'null' (default), 'error', or this integer. */
  missing: Type.Optional(ORDINAL_POLICY),
  categories: Type.Optional(Type.Record(Type.String(), Categories)),
  max_categories: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
};
const logFields = {
  type: Type.Literal('log'),
  columns: Columns,
  /** 'log1p' (ln(1 + x), default; null for x <= -1) or 'log' (ln x; null for x <= 0). */
  function: Type.Optional(LOG_FUNCTION),
};
const clipFields = {
  type: Type.Literal('clip'),
  columns: Columns,
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
};
const bucketizeFields = {
  type: Type.Literal('bucketize'),
  columns: Columns,
  /** Ascending edges shared by every column: bucket i holds boundaries[i-1] <= x < boundaries[i]. */
  boundaries: Type.Optional(Type.Array(Type.Number(), { minItems: 1, maxItems: 10_000 })),
  /** Fit this many equal-frequency buckets per column instead (KBinsDiscretizer strategy 'quantile'). */
  quantiles: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
};
const datePartsFields = {
  type: Type.Literal('date_parts'),
  columns: Columns,
  parts: Type.Array(Type.Enum(DATE_PARTS), { minItems: 1, maxItems: DATE_PARTS.length }),
  /** Keep the date column itself (default false: it is replaced by its parts). */
  keep: Type.Optional(Type.Boolean()),
};
const expressionFields = {
  type: Type.Literal('expression'),
  /** The column written: a new one (appended) or an existing one (replaced in place). */
  name: ColumnName,
  expression: Type.String({ minLength: 1, maxLength: 10_000 }),
};
const dropFields = { type: Type.Literal('drop'), columns: Columns };

export const ImputeStep = Type.Object(imputeFields, strict);
export const ScaleStep = Type.Object(scaleFields, strict);
export const OneHotStep = Type.Object(oneHotFields, strict);
export const OrdinalStep = Type.Object(ordinalFields, strict);
export const LogStep = Type.Object(logFields, strict);
export const ClipStep = Type.Object(clipFields, strict);
export const BucketizeStep = Type.Object(bucketizeFields, strict);
export const DatePartsStep = Type.Object(datePartsFields, strict);
export const ExpressionStep = Type.Object(expressionFields, strict);
export const DropStep = Type.Object(dropFields, strict);

/** One step of a TransformConfig, as a user writes it. */
export const TransformStepConfig = Type.Union([
  ImputeStep,
  ScaleStep,
  OneHotStep,
  OrdinalStep,
  LogStep,
  ClipStep,
  BucketizeStep,
  DatePartsStep,
  ExpressionStep,
  DropStep,
]);
export type TransformStepConfig = Static<typeof TransformStepConfig>;

/** Steps apply in order; each sees the columns the previous ones left. */
export const TransformConfig = Type.Object(
  { steps: Type.Array(TransformStepConfig, { maxItems: 1000 }) },
  strict,
);
export type TransformConfig = Static<typeof TransformConfig>;

/** What a step learned from the training table, per column it fitted. */
const fitted = <T extends Type.TSchema>(params: T) => Type.Record(Type.String(), params);

/** A fitted step: the config step with its defaults filled in and, where it learns from data, `fitted`. */
export const FittedTransformStep = Type.Union([
  Type.Object({ ...imputeFields, fitted: fitted(Type.Object({ value: TransformScalar }, strict)) }, strict),
  Type.Object(
    { ...scaleFields, fitted: fitted(Type.Object({ center: Type.Number(), scale: Type.Number() }, strict)) },
    strict,
  ),
  Type.Object(
    {
      ...oneHotFields,
      unknown: ONE_HOT_UNKNOWN,
      missing: ONE_HOT_MISSING,
      fitted: fitted(Type.Object({ categories: Categories }, strict)),
    },
    strict,
  ),
  Type.Object(
    {
      ...ordinalFields,
      unknown: ORDINAL_POLICY,
      missing: ORDINAL_POLICY,
      fitted: fitted(Type.Object({ categories: Categories }, strict)),
    },
    strict,
  ),
  Type.Object({ ...logFields, function: LOG_FUNCTION }, strict),
  ClipStep,
  Type.Object(
    { ...bucketizeFields, fitted: fitted(Type.Object({ boundaries: Type.Array(Type.Number()) }, strict)) },
    strict,
  ),
  DatePartsStep,
  ExpressionStep,
  DropStep,
]);
export type FittedTransformStep = Static<typeof FittedTransformStep>;

/** A column as a transform sees it: one of the normalized column types (columnar/normalize.ts). */
export const TransformColumn = Type.Object(
  { name: Type.String(), type: ColumnSchema.properties.type },
  strict,
);
export type TransformColumn = Static<typeof TransformColumn>;

export const TransformSpec = Type.Object(
  {
    format: Type.Literal(TRANSFORM_SPEC_FORMAT),
    /** The columns a row or table must carry, with the types the spec was fitted on. */
    inputs: Type.Array(TransformColumn),
    steps: Type.Array(FittedTransformStep),
    /** The columns the transform produces, in order. */
    outputs: Type.Array(TransformColumn),
  },
  strict,
);
export type TransformSpec = Static<typeof TransformSpec>;

/** Fit a config on a dataset version (default: the latest) and store the spec. */
export const FitTransformRequest = Type.Object(
  {
    dataset: DatasetName,
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    /** A TransformConfig, checked step by step by the server (errors name `steps[i].field`). */
    config: Type.Unknown(),
    name: Type.Optional(DatasetName),
  },
  strict,
);
export type FitTransformRequest = Static<typeof FitTransformRequest>;

export const Transform = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** The training data the spec was fitted on. */
  dataset: Type.String(),
  dataset_version: Type.Integer(),
  config: TransformConfig,
  spec: TransformSpec,
  created_by: Type.String(),
  created_at: Type.Integer(),
});
export type Transform = Static<typeof Transform>;
export const TransformResponse = Type.Object({ transform: Transform });
export const TransformListResponse = Type.Object({
  transforms: Type.Array(Transform),
  next_page_token: Type.Optional(Type.String()),
});
export type TransformListResponse = Static<typeof TransformListResponse>;
export const TransformIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const ListTransformsQuery = Type.Object({
  dataset: Type.Optional(DatasetName),
  max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  page_token: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ListTransformsQuery = Static<typeof ListTransformsQuery>;

const RowValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
/** Rows to transform with the TypeScript engine (what online serving runs); dates as ISO 8601 text. */
export const ApplyRowsRequest = Type.Object(
  { rows: Type.Array(Type.Record(Type.String(), RowValue), { minItems: 1, maxItems: 10_000 }) },
  strict,
);
export type ApplyRowsRequest = Static<typeof ApplyRowsRequest>;
export const ApplyRowsResponse = Type.Object({ rows: Type.Array(Type.Record(Type.String(), RowValue)) });
export type ApplyRowsResponse = Static<typeof ApplyRowsResponse>;

/** Transform a dataset version in DuckDB: the result becomes a version of `into`, with lineage. */
export const ApplyTransformRequest = Type.Object(
  {
    dataset: DatasetName,
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    into: Type.Optional(DatasetName),
  },
  strict,
);
export type ApplyTransformRequest = Static<typeof ApplyTransformRequest>;
