import { invalid } from '../core/index.js';
import type { ColumnSchema, ContractCheck, SchemaContract } from './dataset.entity.js';

/**
 * A version's schema against its dataset's contract. Breaking: a contract column that is missing, has
 * another type, or has missing values where the contract says it has none. Not breaking, but noted: new
 * columns, and integers where the contract says float (a batch whose values all happen to be whole reads
 * as integer; every integer is a float). Kinds are not compared: they are inferred from cardinality and
 * may move with the sample (a categorical column of a small batch, text in a big one).
 */
export function checkContract(contract: SchemaContract, schema: ColumnSchema[]): ContractCheck {
  const violations: string[] = [];
  const notes: string[] = [];
  const actual = new Map(schema.map((c) => [c.name, c]));
  for (const expected of contract.columns) {
    const got = actual.get(expected.name);
    if (!got) {
      violations.push(`column '${expected.name}' is missing`);
      continue;
    }
    if (got.type !== expected.type) {
      if (expected.type === 'float' && got.type === 'integer') {
        notes.push(`column '${expected.name}' read as integer; the contract's float accepts it`);
      } else {
        violations.push(`column '${expected.name}' is ${got.type}; the contract says ${expected.type}`);
      }
    }
    if (got.nullable && !expected.nullable) {
      violations.push(`column '${expected.name}' has missing values; the contract says it has none`);
    }
  }
  const known = new Set(contract.columns.map((c) => c.name));
  for (const c of schema) {
    if (!known.has(c.name)) notes.push(`column '${c.name}' is new (not in the contract)`);
  }
  return { passed: violations.length === 0, violations, notes };
}

/**
 * A contract as a user declares it: explicit columns, or those of a version. The target must be one of
 * the columns; names must be unique.
 */
export function buildContract(input: {
  columns: SchemaContract['columns'];
  target?: string | undefined;
  onViolation?: SchemaContract['onViolation'] | undefined;
  fromVersion?: number | undefined;
}): SchemaContract {
  if (input.columns.length === 0)
    throw invalid('columns: a contract needs at least one column', { field: 'columns' });
  const seen = new Set<string>();
  for (const [i, c] of input.columns.entries()) {
    if (seen.has(c.name))
      throw invalid(`columns[${i}].name: '${c.name}' appears twice`, { field: `columns[${i}].name` });
    seen.add(c.name);
  }
  if (input.target !== undefined && !seen.has(input.target)) {
    throw invalid(`target: '${input.target}' is not a column of the contract (${[...seen].join(', ')})`, {
      field: 'target',
    });
  }
  const contract: SchemaContract = {
    columns: input.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    onViolation: input.onViolation ?? 'reject',
  };
  if (input.target !== undefined) contract.target = input.target;
  if (input.fromVersion !== undefined) contract.fromVersion = input.fromVersion;
  return contract;
}
