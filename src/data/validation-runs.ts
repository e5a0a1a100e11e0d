import type { DuckSession } from '../columnar/index.js';
import type { ValidationReport, ValidationRule } from '../contracts/index.js';
import { CyclopsError } from '../core/index.js';
import type { ColumnSchema, SchemaContract } from './dataset.entity.js';
import { validateTable } from './validation/index.js';

/** A validation report as stored with a version: which rules ran, who ran them, when. */
export interface StoredReport {
  id: number;
  dataset: string;
  version: number;
  passed: boolean;
  rules: ValidationRule[];
  report: ValidationReport;
  createdBy: string;
  createdAt: number;
}

/**
 * Runs rules on a version's table. A `schema` rule without columns compares with the dataset's contract.
 * Rules that no longer fit the data (a column they name is gone) are reported as not applicable,
 * naming the rule, rather than as an internal failure.
 */
export async function runRules(
  session: DuckSession,
  table: string,
  rules: ValidationRule[],
  schema: ColumnSchema[],
  contract: SchemaContract | undefined,
  what: string,
): Promise<ValidationReport> {
  try {
    return await validateTable(session, table, rules, {
      schema,
      ...(contract ? { contract: contract.columns } : {}),
    });
  } catch (err) {
    if (err instanceof CyclopsError && err.code === 'invalid_argument') {
      throw new CyclopsError(
        'invalid_argument',
        `the validation rules do not apply to ${what}: ${err.message}`,
        {
          ...err.details,
        },
      );
    }
    throw err;
  }
}
