// data/validation/: declarative data-validation rules run in DuckDB (the engine; HTTP and CLI wire it).
export { type CheckRulesOptions, checkRules, type ExpectedColumnLike } from './check-rules.js';
export { DEFAULT_IQR_K, DEFAULT_Z_THRESHOLD } from './outlier-bounds.js';
export { re2SyntaxError } from './re2-pattern.js';
export { parseRulesDocument, rulesFromValue } from './rules-document.js';
export { type ValidateTableOptions, validateTable } from './validate-table.js';
