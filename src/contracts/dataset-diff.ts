import Type, { type Static } from 'typebox';
import { ColumnSchema } from './datasets.js';

/**
 * What changed from one dataset version ("from") to another ("to"), computed from the versions'
 * stored schema and profile alone (no data is read). Every number is finite; an undefined one is null.
 */

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** delta = to - from; null when either side is null. */
export const NumberChange = Type.Object({ from: NullableNumber, to: NullableNumber, delta: NullableNumber });
export type NumberChange = Static<typeof NumberChange>;

const StringChange = Type.Object({ from: NullableString, to: NullableString });

/** A column with its 0-based position in the version's schema. */
const PositionedColumn = Type.Object({ ...ColumnSchema.properties, position: Type.Integer() });

export const SchemaDiff = Type.Object({
  added: Type.Array(PositionedColumn),
  removed: Type.Array(PositionedColumn),
  type_changed: Type.Array(
    Type.Object({
      name: Type.String(),
      from: ColumnSchema.properties.type,
      to: ColumnSchema.properties.type,
    }),
  ),
  kind_changed: Type.Array(
    Type.Object({
      name: Type.String(),
      from: ColumnSchema.properties.kind,
      to: ColumnSchema.properties.kind,
    }),
  ),
  nullability_changed: Type.Array(
    Type.Object({ name: Type.String(), from: Type.Boolean(), to: Type.Boolean() }),
  ),
  /** Columns in both versions whose position differs (an added column shifts the ones after it). */
  moved: Type.Array(Type.Object({ name: Type.String(), from: Type.Integer(), to: Type.Integer() })),
  /** True when the columns in both versions are not in the same relative order. */
  order_changed: Type.Boolean(),
  /** True when nothing above changed. */
  unchanged: Type.Boolean(),
});
export type SchemaDiff = Static<typeof SchemaDiff>;

/**
 * Population stability index, sum over bins of (q - p) * ln(q / p), p the "from" and q the "to"
 * proportions, each floored at 1e-4 so an empty bin stays finite.
 * - exact: both histograms have the same edges;
 * - rebinned: the edges differ (each version's 20 bins span its own min..max), so "to"'s histogram is
 *   spread into "from"'s bins, plus one bin below and one above "from"'s range, assuming values are
 *   uniform within each bin: an approximation;
 * - categories: over the categories' counts, when the profiles list every category of both versions.
 */
export const Psi = Type.Object({
  value: NullableNumber,
  method: Type.Union([
    Type.Literal('exact'),
    Type.Literal('rebinned'),
    Type.Literal('categories'),
    Type.Null(),
  ]),
  approximate: Type.Boolean(),
  /** Why there is no value, or how it was approximated. */
  reason: NullableString,
});
export type Psi = Static<typeof Psi>;

export const ColumnStatsDiff = Type.Object({
  name: Type.String(),
  /** Missing values over rows. */
  missing_fraction: Type.Union([NumberChange, Type.Null()]),
  distinct: Type.Union([NumberChange, Type.Null()]),
  /** Columns numeric in both versions (statistics over finite values). */
  numeric: Type.Union([
    Type.Object({
      mean: NumberChange,
      std: NumberChange,
      min: NumberChange,
      max: NumberChange,
      median: NumberChange,
    }),
    Type.Null(),
  ]),
  /**
   * Categorical, boolean and text columns in both versions, from the stored top 10 values. A share is
   * the value's count over the present values; null when the value is not listed and the list is
   * incomplete (its count is unknown), 0 when the list holds every value.
   */
  categories: Type.Union([
    Type.Object({
      mode: StringChange,
      /** In "to"'s top values, not in "from"'s. */
      entered: Type.Array(Type.String()),
      /** In "from"'s top values, not in "to"'s. */
      left: Type.Array(Type.String()),
      shares: Type.Array(Type.Object({ value: Type.String(), ...NumberChange.properties })),
    }),
    Type.Null(),
  ]),
  /** Datetime columns in both versions: earliest and latest value, ISO 8601. */
  range: Type.Union([Type.Object({ min: StringChange, max: StringChange }), Type.Null()]),
  psi: Psi,
});
export type ColumnStatsDiff = Static<typeof ColumnStatsDiff>;

export const DatasetDiff = Type.Object({
  from_version: Type.Integer(),
  to_version: Type.Integer(),
  row_count: Type.Object({ from: Type.Integer(), to: Type.Integer(), delta: Type.Integer() }),
  schema: SchemaDiff,
  /** Whether each version has a stored profile: without both, column statistics are null. */
  profiles: Type.Object({ from: Type.Boolean(), to: Type.Boolean() }),
  /** The columns in both versions, in "to"'s order. */
  columns: Type.Array(ColumnStatsDiff),
});
export type DatasetDiff = Static<typeof DatasetDiff>;

export const DatasetDiffQuery = Type.Object(
  { from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type DatasetDiffQuery = Static<typeof DatasetDiffQuery>;
export const DatasetDiffResponse = Type.Object({ dataset: Type.String(), diff: DatasetDiff });
export type DatasetDiffResponse = Static<typeof DatasetDiffResponse>;
