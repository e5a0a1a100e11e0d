import type { ColumnType } from '../columnar/index.js';
import type {
  FittedTransformStep,
  TransformColumn,
  TransformConfig,
  TransformScalar,
  TransformSpec,
  TransformStepConfig,
} from '../contracts/index.js';
import { TRANSFORM_SPEC_FORMAT } from '../contracts/index.js';

export type {
  ColumnType,
  FittedTransformStep,
  TransformColumn,
  TransformConfig,
  TransformScalar,
  TransformSpec,
  TransformStepConfig,
};
export { TRANSFORM_SPEC_FORMAT };

export type StepType = TransformStepConfig['type'];
export type StepConfig<T extends StepType> = Extract<TransformStepConfig, { type: T }>;
export type FittedStep<T extends StepType> = Extract<FittedTransformStep, { type: T }>;

/** A raw value of one row, as an HTTP JSON body carries it (dates and timestamps as ISO 8601 text). */
export type RowValue = string | number | boolean | null;
/** An output value: numbers for integer and float columns, dates and timestamps as the row gave them. */
export type OutputValue = string | number | boolean | null;

/** A fitted spec compiled for one row at a time (online serving). */
export interface RowTransform {
  /** The input columns a row must carry: those some output depends on. */
  readonly inputs: readonly TransformColumn[];
  readonly outputs: readonly TransformColumn[];
  /** The outputs applyInto writes, in spec output order: integer, float and boolean columns. */
  readonly numericOutputs: readonly TransformColumn[];
  /** Transforms one row; fails with invalid_argument naming the column on a missing or mistyped value. */
  apply(row: Readonly<Record<string, unknown>>): Record<string, OutputValue>;
  /**
   * Writes the numeric outputs into `out` from `offset` (null as NaN, booleans as 0 and 1): no allocation.
   * Non-numeric outputs are skipped.
   */
  applyInto(row: Readonly<Record<string, unknown>>, out: Float64Array, offset?: number): void;
}

/** A transform fitted on a dataset version and stored: the config it came from and the fitted spec. */
export interface StoredTransform {
  id: number;
  name: string;
  /** The training data: the dataset version the spec was fitted on. */
  dataset: string;
  datasetVersion: number;
  config: TransformConfig;
  spec: TransformSpec;
  createdBy: string;
  createdAt: number;
}

export interface TransformPage {
  items: StoredTransform[];
  nextPageToken?: string | undefined;
}
