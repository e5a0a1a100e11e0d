import { describe, expect, it } from 'vitest';
import { buildContract, checkContract } from './contract.js';
import type { ColumnSchema } from './dataset.entity.js';

const col = (name: string, type: ColumnSchema['type'], nullable = false): ColumnSchema => ({
  name,
  type,
  nullable,
  kind: type === 'string' ? 'categorical' : 'numeric',
});

describe('checkContract', () => {
  const contract = buildContract({
    columns: [col('id', 'integer'), col('price', 'float'), col('label', 'string', true)],
    target: 'label',
  });

  it('passes the same schema, and notes integers read where floats are expected and new columns', () => {
    expect(
      checkContract(contract, [col('id', 'integer'), col('price', 'float'), col('label', 'string')]),
    ).toEqual({
      passed: true,
      violations: [],
      notes: [],
    });
    const widened = checkContract(contract, [
      col('id', 'integer'),
      col('price', 'integer'),
      col('label', 'string', true),
      col('extra', 'boolean'),
    ]);
    expect(widened.passed).toBe(true);
    expect(widened.notes).toEqual([
      "column 'price' read as integer; the contract's float accepts it",
      "column 'extra' is new (not in the contract)",
    ]);
  });

  it('fails a missing column, a changed type and missing values where none may be', () => {
    const check = checkContract(contract, [col('id', 'string', true), col('label', 'string')]);
    expect(check).toEqual({
      passed: false,
      violations: [
        "column 'id' is string; the contract says integer",
        "column 'id' has missing values; the contract says it has none",
        "column 'price' is missing",
      ],
      notes: [],
    });
  });
});

describe('buildContract', () => {
  it('defaults to rejecting violations and keeps only name, type and nullability', () => {
    expect(buildContract({ columns: [col('a', 'float')], fromVersion: 2 })).toEqual({
      columns: [{ name: 'a', type: 'float', nullable: false }],
      onViolation: 'reject',
      fromVersion: 2,
    });
  });

  it('refuses a target that is not a column, duplicate names and no columns', () => {
    expect(() => buildContract({ columns: [col('a', 'float')], target: 'b' })).toThrow(
      /target: 'b' is not a column of the contract \(a\)/,
    );
    expect(() => buildContract({ columns: [col('a', 'float'), col('a', 'integer')] })).toThrow(
      /columns\[1\]\.name: 'a' appears twice/,
    );
    expect(() => buildContract({ columns: [] })).toThrow(/at least one column/);
  });
});
