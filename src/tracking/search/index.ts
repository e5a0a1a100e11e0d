export {
  type LifecycleView,
  MAX_SEARCH_RESULTS,
  type SearchRunsOptions,
  type SearchRunsPage,
  searchRunIds,
} from './compile.js';
export type {
  FilterComparison,
  FilterEntity,
  FilterExpr,
  FilterOp,
  NumericOp,
  OrderClause,
} from './filter-ast.js';
export { parseFilter } from './filter-parser.js';
export { ATTRIBUTES, type AttributeSpec } from './identifiers.js';
export { parseOrderBy } from './order-by.js';
