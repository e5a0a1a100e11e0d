// features/: transforms fitted once on a training table (DuckDB) and applied identically to batches
// (one SQL statement) and to single rows (compiled TypeScript closures). Semantics: README.md.

export { compileRowTransform } from './apply-row.js';
export { applyTransformsSql, transformSql } from './apply-sql.js';
export { checkTransformConfig } from './check.js';
export { parseTransformConfig, parseTransformSpec } from './config.js';
export { fitTransforms } from './fit.js';
export { requiredInputs } from './lower-spec.js';
export { STEP_TYPES } from './steps/registry.js';
export {
  type FittedTransformStep,
  type OutputValue,
  type RowTransform,
  type RowValue,
  type StoredTransform,
  TRANSFORM_SPEC_FORMAT,
  type TransformColumn,
  type TransformConfig,
  type TransformPage,
  type TransformSpec,
  type TransformStepConfig,
} from './transform.entity.js';
export {
  type ApplyInput,
  type FitInput,
  MAX_ROWS_PER_REQUEST,
  TransformService,
} from './transform.service.js';
