import Type, { type Static } from 'typebox';
import { DatasetName, DatasetVersion, VersionRef } from './datasets.js';

/**
 * Train/validation/test splits of a dataset version. The spec is a recipe people write (in a request
 * or a pipeline step) and that is stored with each output's lineage, so it is one shape everywhere.
 * The hash scheme behind 'random' and 'stratified' is documented in src/data/split/split-hash.ts:
 * it is reproducible outside CyclOps from the spec alone.
 */

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export const SplitName = Type.Union([
  Type.Literal('train'),
  Type.Literal('validation'),
  Type.Literal('test'),
]);
export type SplitName = Static<typeof SplitName>;

export const DEFAULT_SPLIT_SEED = 42;
/** Fractions must sum to 1 within this tolerance (0.7 + 0.2 + 0.1 is not exactly 1 in binary). */
export const FRACTION_SUM_TOLERANCE = 1e-9;
/** A stratification target with more classes than this is not a label (an id, a measurement). */
export const MAX_STRATIFY_CLASSES = 1000;

const Fraction = Type.Number({ minimum: 0, maximum: 1 });
const ColumnName = Type.String({ minLength: 1, maxLength: 1000 });

/** The outputs are exactly the fractions given: `validation` is produced only when it is present. */
export const SplitFractions = Type.Object(
  { train: Fraction, validation: Type.Optional(Fraction), test: Fraction },
  { additionalProperties: false },
);
export type SplitFractions = Static<typeof SplitFractions>;

const Seed = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: DEFAULT_SPLIT_SEED });

/**
 * Each row goes to the split its seeded hash falls in. With `key`, the key's value is hashed instead
 * of the row's position: rows sharing a key share a split, and a row keeps its split when rows are
 * added or removed elsewhere. Example: `{"method": "random", "fractions": {"train": 0.8, "test": 0.2}, "key": "user_id"}`.
 */
export const RandomSplitSpec = Type.Object(
  {
    method: Type.Literal('random'),
    fractions: SplitFractions,
    key: Type.Optional(ColumnName),
    seed: Type.Optional(Seed),
  },
  { additionalProperties: false },
);
export type RandomSplitSpec = Static<typeof RandomSplitSpec>;

/**
 * Each class of `target` (null is a class) is split on its own, in the order of the seeded hash, so
 * every split keeps the class proportions to within one row. `key`, when given, must be unique and
 * non-null: it makes the order independent of row positions.
 * Example: `{"method": "stratified", "target": "species", "fractions": {"train": 0.7, "validation": 0.15, "test": 0.15}}`.
 */
export const StratifiedSplitSpec = Type.Object(
  {
    method: Type.Literal('stratified'),
    target: ColumnName,
    fractions: SplitFractions,
    key: Type.Optional(ColumnName),
    seed: Type.Optional(Seed),
  },
  { additionalProperties: false },
);
export type StratifiedSplitSpec = Static<typeof StratifiedSplitSpec>;

/** ISO 8601 date or UTC date-time (`2015-01-01`, `2015-01-01T06:30:00Z`) for date/timestamp columns; a number for numeric ones. */
const TimeBoundary = Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Number()]);

/**
 * train: `column < train_before`; test: `column >= test_from`; validation (when `validation` is true):
 * the rows in between, which are otherwise dropped. Rows with no time are dropped. Both are counted.
 * Example: `{"method": "time", "column": "date", "train_before": "2015-01-01", "test_from": "2015-07-01", "validation": true}`.
 */
export const TimeSplitSpec = Type.Object(
  {
    method: Type.Literal('time'),
    column: ColumnName,
    train_before: TimeBoundary,
    test_from: TimeBoundary,
    validation: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type TimeSplitSpec = Static<typeof TimeSplitSpec>;

export const SplitSpec = Type.Union([RandomSplitSpec, StratifiedSplitSpec, TimeSplitSpec]);
export type SplitSpec = Static<typeof SplitSpec>;

/** Rows of the parent in no output (time splits only; random and stratified place every row). */
export const SplitDropped = Type.Object({
  /** Time split: rows whose time is null (or NaN). */
  missing_time: Type.Integer(),
  /** Time split without validation: rows with train_before <= time < test_from. */
  between_boundaries: Type.Integer(),
});
export type SplitDropped = Static<typeof SplitDropped>;

/** Split a version: the parts become versions of the datasets `{into}-train`, `{into}-validation`, `{into}-test`. */
export const SplitRequest = Type.Object(
  {
    spec: SplitSpec,
    /** Prefix of the output datasets' names (default: the dataset's own name). */
    into: Type.Optional(DatasetName),
  },
  { additionalProperties: false },
);
export type SplitRequest = Static<typeof SplitRequest>;

export const SplitResponse = Type.Object({
  /** The version that was split. */
  parent: VersionRef,
  /** The spec as applied, defaults filled in (seed), so the split can be reproduced from it. */
  spec: SplitSpec,
  /** In the order train, validation, test. */
  splits: Type.Array(Type.Object({ name: SplitName, row_count: Type.Integer(), version: DatasetVersion })),
  dropped: SplitDropped,
});
export type SplitResponse = Static<typeof SplitResponse>;
