// Train/validation/test splits of a dataset version's table (the engine; HTTP and CLI wire it elsewhere).
export { type CutPoints, canonicalKeySql, cutPoints, splitUniform } from './split-hash.js';
export { resolveSplitSpec } from './split-spec-check.js';
export {
  type SplitOutput,
  type SplitResult,
  type SplitTableOptions,
  splitTable,
} from './split-table.js';
