import Type, { type Static } from 'typebox';
import { ColumnSchema } from './datasets.js';

/**
 * Data-validation rules and reports. A rules document is written by people (YAML or JSON) and sent as
 * a request body; a report is stored as JSON and returned as is. Field names are snake_case and every
 * rule object is closed (additionalProperties: false), so a misspelt option fails instead of being ignored.
 */

export const MAX_RULES = 1000;
export const MAX_SAMPLES = 20;

const ColumnName = Type.String({ minLength: 1, maxLength: 1000 });
const Fraction = Type.Number({ minimum: 0, maximum: 1 });
const Bound = Type.Union([Type.Number(), Type.String({ minLength: 1, maxLength: 40 })]);

const common = {
  /** Shown in the report; defaults to the rule type and its column, e.g. `not_null(age)`. */
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** A failed `error` rule fails the validation; a failed `warn` rule is only reported. Default error. */
  severity: Type.Optional(Type.Union([Type.Literal('error'), Type.Literal('warn')])),
};
const closed = { additionalProperties: false } as const;

export const NotNullRule = Type.Object(
  { type: Type.Literal('not_null'), column: ColumnName, ...common },
  closed,
);
export const UniqueRule = Type.Object(
  { type: Type.Literal('unique'), column: ColumnName, ...common },
  closed,
);
/** Numbers for numeric columns, ISO 8601 text (`2024-01-31`, `2024-01-31T08:00:00`) for datetime ones. */
export const RangeRule = Type.Object(
  {
    type: Type.Literal('range'),
    column: ColumnName,
    min: Type.Optional(Bound),
    max: Type.Optional(Bound),
    exclusive_min: Type.Optional(Type.Boolean()),
    exclusive_max: Type.Optional(Type.Boolean()),
    ...common,
  },
  closed,
);
export const AllowedValuesRule = Type.Object(
  {
    type: Type.Literal('allowed_values'),
    column: ColumnName,
    values: Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      minItems: 1,
      maxItems: 10_000,
    }),
    ...common,
  },
  closed,
);
/** RE2 syntax (what DuckDB runs); the whole value must match. */
export const RegexRule = Type.Object(
  {
    type: Type.Literal('regex'),
    column: ColumnName,
    pattern: Type.String({ minLength: 1, maxLength: 1000 }),
    ...common,
  },
  closed,
);
export const MaxMissingRule = Type.Object(
  { type: Type.Literal('max_missing'), column: ColumnName, max_fraction: Fraction, ...common },
  closed,
);
export const RowCountRule = Type.Object(
  {
    type: Type.Literal('row_count'),
    min_rows: Type.Optional(Type.Integer({ minimum: 0 })),
    max_rows: Type.Optional(Type.Integer({ minimum: 0 })),
    ...common,
  },
  closed,
);
/** Rows equal to an earlier row on `columns` (every column when omitted). */
export const DuplicatesRule = Type.Object(
  {
    type: Type.Literal('duplicates'),
    columns: Type.Optional(Type.Array(ColumnName, { minItems: 1, maxItems: 1000 })),
    ...common,
  },
  closed,
);
/** `k` (IQR, default 1.5) and `threshold` (z-score, default 3) each belong to one method. */
export const OutliersRule = Type.Object(
  {
    type: Type.Literal('outliers'),
    column: ColumnName,
    method: Type.Union([Type.Literal('iqr'), Type.Literal('zscore')]),
    k: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** The rule fails when more than this fraction of the table's rows are outliers. Default 0. */
    max_fraction: Type.Optional(Fraction),
    ...common,
  },
  closed,
);
/** An expected column; `nullable` defaults to true (missing values allowed); `kind` is not compared. */
export const ExpectedColumn = Type.Object(
  {
    name: ColumnName,
    type: ColumnSchema.properties.type,
    nullable: Type.Optional(Type.Boolean()),
    kind: Type.Optional(ColumnSchema.properties.kind),
  },
  closed,
);
export type ExpectedColumn = Static<typeof ExpectedColumn>;
/** Compares the table with `columns`, or, when they are omitted, with the contract the caller passes. */
export const SchemaRule = Type.Object(
  {
    type: Type.Literal('schema'),
    columns: Type.Optional(Type.Array(ExpectedColumn, { minItems: 1, maxItems: 10_000 })),
    /** Default false: a column the expected schema does not name is an issue. */
    allow_extra_columns: Type.Optional(Type.Boolean()),
    ...common,
  },
  closed,
);
/** A boolean SQL expression (DuckDB) over the row's columns; a row fails when it is false or NULL. */
export const SqlRule = Type.Object(
  { type: Type.Literal('sql'), predicate: Type.String({ minLength: 1, maxLength: 10_000 }), ...common },
  closed,
);

/** One schema per rule type: a document is checked rule by rule against its type's schema. */
export const RULE_SCHEMAS = {
  not_null: NotNullRule,
  unique: UniqueRule,
  range: RangeRule,
  allowed_values: AllowedValuesRule,
  regex: RegexRule,
  max_missing: MaxMissingRule,
  row_count: RowCountRule,
  duplicates: DuplicatesRule,
  outliers: OutliersRule,
  schema: SchemaRule,
  sql: SqlRule,
} as const;
export type RuleType = keyof typeof RULE_SCHEMAS;
export const RULE_TYPES = Object.keys(RULE_SCHEMAS) as RuleType[];
const RuleTypeSchema = Type.Union([
  Type.Literal('not_null'),
  Type.Literal('unique'),
  Type.Literal('range'),
  Type.Literal('allowed_values'),
  Type.Literal('regex'),
  Type.Literal('max_missing'),
  Type.Literal('row_count'),
  Type.Literal('duplicates'),
  Type.Literal('outliers'),
  Type.Literal('schema'),
  Type.Literal('sql'),
]);

export const ValidationRule = Type.Union([
  NotNullRule,
  UniqueRule,
  RangeRule,
  AllowedValuesRule,
  RegexRule,
  MaxMissingRule,
  RowCountRule,
  DuplicatesRule,
  OutliersRule,
  SchemaRule,
  SqlRule,
]);
export type ValidationRule = Static<typeof ValidationRule>;

export const ValidationRules = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    rules: Type.Array(ValidationRule, { minItems: 1, maxItems: MAX_RULES }),
  },
  closed,
);
export type ValidationRules = Static<typeof ValidationRules>;

/** A sample value: JSON-safe. NaN and ±Infinity are the strings "NaN", "Infinity", "-Infinity"; dates ISO 8601. */
export const SampleValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
export type SampleValue = Static<typeof SampleValue>;

export const RowSample = Type.Object({
  /** 0-based position of the row in the table (the first data row is 0). */
  row: Type.Integer({ minimum: 0 }),
  values: Type.Record(Type.String(), SampleValue),
});
export type RowSample = Static<typeof RowSample>;

export const SchemaIssue = Type.Object({
  column: Type.String(),
  issue: Type.Union([
    Type.Literal('missing_column'),
    Type.Literal('unexpected_column'),
    Type.Literal('type_changed'),
    Type.Literal('unexpected_nulls'),
  ]),
  expected: Type.Optional(Type.String()),
  actual: Type.Optional(Type.String()),
  null_count: Type.Optional(Type.Integer()),
});
export type SchemaIssue = Static<typeof SchemaIssue>;

export const RuleResult = Type.Object({
  /** Position of the rule in the rules list. */
  index: Type.Integer({ minimum: 0 }),
  name: Type.String(),
  type: RuleTypeSchema,
  severity: Type.Union([Type.Literal('error'), Type.Literal('warn')]),
  passed: Type.Boolean(),
  /** Rows that break the rule's row condition; null for table-level rules (row_count, schema). */
  failing_count: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** failing_count / the table's row count (0 for an empty table); null when failing_count is. */
  failing_fraction: Type.Union([Type.Number(), Type.Null()]),
  message: Type.String(),
  /** Up to MAX_SAMPLES offending rows in table order; empty when the rule passed. */
  samples: Type.Array(RowSample, { maxItems: MAX_SAMPLES }),
  /** Numbers the rule computed: outlier bounds, the missing fraction, the row count. */
  stats: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]))),
  schema_issues: Type.Optional(Type.Array(SchemaIssue)),
});
export type RuleResult = Static<typeof RuleResult>;

export const ValidationReport = Type.Object({
  /** True when no rule of severity `error` failed. */
  passed: Type.Boolean(),
  row_count: Type.Integer({ minimum: 0 }),
  /** Failed rules of severity error and warn. */
  error_count: Type.Integer({ minimum: 0 }),
  warning_count: Type.Integer({ minimum: 0 }),
  results: Type.Array(RuleResult),
});
export type ValidationReport = Static<typeof ValidationReport>;

/** A report as stored with a version: the rules that ran, who ran them and when. */
export const StoredValidationReport = Type.Object({
  id: Type.Integer(),
  dataset: Type.String(),
  version: Type.Integer(),
  passed: Type.Boolean(),
  rules: Type.Array(ValidationRule),
  report: ValidationReport,
  created_by: Type.String(),
  created_at: Type.Integer(),
});
export type StoredValidationReport = Static<typeof StoredValidationReport>;

/**
 * Rules as a request carries them: parsed (`rules`), or the text of a rules file (`document`, YAML or
 * JSON, as a user wrote it) that the server parses, so its errors can name the file's line.
 */
const RulesInput = {
  rules: Type.Optional(Type.Array(ValidationRule, { minItems: 1, maxItems: MAX_RULES })),
  document: Type.Optional(Type.String({ minLength: 1, maxLength: 1_000_000 })),
  file_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
};

/** Save rules on a dataset: `rules` or `document` (one of the two). */
export const SaveRulesRequest = Type.Object(RulesInput, closed);
export type SaveRulesRequest = Static<typeof SaveRulesRequest>;

/** Validate a version: with `rules` or `document`, or (with neither) the dataset's saved rules. */
export const ValidateRequest = Type.Object(RulesInput, closed);
export type ValidateRequest = Static<typeof ValidateRequest>;
export const ValidateResponse = Type.Object({ validation: StoredValidationReport });
export type ValidateResponse = Static<typeof ValidateResponse>;
export const ValidationListResponse = Type.Object({ validations: Type.Array(StoredValidationReport) });
export type ValidationListResponse = Static<typeof ValidationListResponse>;
