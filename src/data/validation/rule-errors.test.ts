import { describe, expect, it } from 'vitest';
import type { ColumnSchema } from '../../columnar/index.js';
import type { ValidationRule } from '../../contracts/index.js';
import { CyclopsError } from '../../core/index.js';
import { checkRules, parseRulesDocument, rulesFromValue } from './index.js';

function errorOf(fn: () => unknown): CyclopsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CyclopsError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

const SCHEMA: ColumnSchema[] = [
  { name: 'age', type: 'integer', nullable: true, kind: 'numeric' },
  { name: 'score', type: 'float', nullable: false, kind: 'numeric' },
  { name: 'city', type: 'string', nullable: true, kind: 'categorical' },
  { name: 'born', type: 'date', nullable: false, kind: 'datetime' },
  { name: 'active', type: 'boolean', nullable: false, kind: 'boolean' },
];

describe('parseRulesDocument', () => {
  it('reads YAML and JSON', () => {
    const yaml = 'version: 1\nrules:\n  - type: not_null\n    column: age\n    severity: warn\n';
    const json = '{"rules": [{"type": "not_null", "column": "age", "severity": "warn"}]}';
    const expected = { rules: [{ type: 'not_null', column: 'age', severity: 'warn' }] };
    expect(parseRulesDocument(yaml, 'rules.yaml')).toEqual({ version: 1, ...expected });
    expect(parseRulesDocument(json, 'rules.json')).toEqual(expected);
  });

  it.each([
    [
      'rules:\n  - type: not_null\n    column: age\n  - type: nope\n',
      'rules[1].type',
      4,
      /unknown rule type "nope"/,
    ],
    [
      'rules:\n  - type: not_null\n    colum: age\n',
      'rules[0].colum',
      3,
      /unknown field \(expected one of type, column/,
    ],
    ['rules:\n  - type: regex\n    column: city\n', 'rules[0].pattern', 2, /is required/],
    [
      'rules:\n  - type: range\n    column: age\n    min: [1]\n',
      'rules[0].min',
      4,
      /must be number or must be string/,
    ],
    [
      'rules:\n  - type: outliers\n    column: age\n    method: iqr\n    k: 0\n',
      'rules[0].k',
      5,
      /must be > 0/,
    ],
    [
      'rules:\n  - type: max_missing\n    column: age\n    max_fraction: 2\n',
      'rules[0].max_fraction',
      4,
      /<= 1/,
    ],
    [
      'rules:\n  - {type: not_null, column: age, severity: fatal}\n',
      'rules[0].severity',
      2,
      /"error" or .*"warn"/,
    ],
    ['version: 2\nrules:\n  - {type: not_null, column: age}\n', 'version', 1, /must be 1/],
    ['rules: []\n', 'rules', 1, /fewer than 1/],
  ])('names the field and line of a schema error (%#)', (text, field, line, message) => {
    const err = errorOf(() => parseRulesDocument(text, 'rules.yaml'));
    expect(err.code).toBe('invalid_argument');
    expect(err.details).toMatchObject({ file: 'rules.yaml', field, line });
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`rules.yaml:${line}: ${field}: `)).toBe(true);
  });

  it('gives the line of a YAML syntax error', () => {
    const err = errorOf(() =>
      parseRulesDocument('rules:\n  - type: not_null\n    column: age\n   - type: unique\n', 'rules.yaml'),
    );
    expect(err.details).toMatchObject({ file: 'rules.yaml', line: 4 });
    expect(err.message).toMatch(/^rules\.yaml:4:\d+: /);
  });

  it('gives the line of a JSON syntax error, and refuses repeated keys', () => {
    const json = errorOf(() =>
      parseRulesDocument('{"rules": [\n{"type": "not_null" "column": "a"}]}', 'r.json'),
    );
    expect(json.details).toMatchObject({ file: 'r.json', line: 2 });
    const repeated = errorOf(() =>
      parseRulesDocument('rules:\n  - type: unique\n    type: not_null\n', 'r.yaml'),
    );
    expect(repeated.message).toMatch(/^r\.yaml:3:\d+: Map keys must be unique/);
  });

  it('refuses an empty document and a non-mapping', () => {
    expect(errorOf(() => parseRulesDocument('', 'r.yaml')).message).toBe('r.yaml: the document is empty');
    expect(errorOf(() => parseRulesDocument('- 1\n', 'r.yaml')).message).toMatch(/must be a mapping/);
  });

  it('checks a parsed body the same way', () => {
    expect(errorOf(() => rulesFromValue({ rules: [{ type: 'unique' }] })).details).toEqual({
      field: 'rules[0].column',
    });
  });
});

describe('checkRules', () => {
  it.each<[ValidationRule, string, RegExp]>([
    [
      { type: 'not_null', column: 'agee' },
      'rules[0].column',
      /no column 'agee' in the table \(columns: age, score/,
    ],
    [{ type: 'unique', column: 'City' }, 'rules[0].column', /did you mean 'city'/],
    [{ type: 'duplicates', columns: ['age', 'nope'] }, 'rules[0].columns[1]', /no column 'nope'/],
    [{ type: 'duplicates', columns: ['age', 'age'] }, 'rules[0].columns[1]', /listed twice/],
    [{ type: 'range', column: 'age', min: 10, max: 1 }, 'rules[0].max', /max is below min/],
    [
      { type: 'range', column: 'age', min: 1, max: 1, exclusive_max: true },
      'rules[0].max',
      /leaves no value/,
    ],
    [{ type: 'range', column: 'age' }, 'rules[0]', /give min, max or both/],
    [
      { type: 'range', column: 'city', min: 1 },
      'rules[0].column',
      /numeric and datetime columns; 'city' is string/,
    ],
    [{ type: 'range', column: 'age', min: '1' }, 'rules[0].min', /must be a number for integer column 'age'/],
    [{ type: 'range', column: 'born', min: '2020-02-30' }, 'rules[0].min', /ISO 8601 date/],
    [{ type: 'range', column: 'born', min: '2021-01-01', max: '2020-12-31' }, 'rules[0].max', /below min/],
    [
      { type: 'allowed_values', column: 'city', values: ['Oslo', 1] },
      'rules[0].values[1]',
      /quote it in YAML/,
    ],
    [{ type: 'allowed_values', column: 'age', values: [1.5] }, 'rules[0].values[0]', /can never equal/],
    [{ type: 'allowed_values', column: 'active', values: ['yes'] }, 'rules[0].values[0]', /true or false/],
    [
      { type: 'regex', column: 'age', pattern: '\\d+' },
      'rules[0].column',
      /string columns; 'age' is integer/,
    ],
    [
      { type: 'regex', column: 'city', pattern: '(?=a)b' },
      'rules[0].pattern',
      /lookahead .* not supported by RE2/,
    ],
    [{ type: 'regex', column: 'city', pattern: '(a' }, 'rules[0].pattern', /missing \)/],
    [{ type: 'max_missing', column: 'age', max_fraction: 1.5 }, 'rules[0].max_fraction', /between 0 and 1/],
    [{ type: 'row_count', min_rows: 5, max_rows: 4 }, 'rules[0].max_rows', /below min_rows/],
    [{ type: 'row_count' }, 'rules[0]', /min_rows, max_rows or both/],
    [{ type: 'outliers', column: 'city', method: 'iqr' }, 'rules[0].column', /numeric columns/],
    [{ type: 'outliers', column: 'age', method: 'zscore', k: 2 }, 'rules[0].k', /k is for iqr/],
    [{ type: 'outliers', column: 'age', method: 'iqr', threshold: 2 }, 'rules[0].threshold', /for zscore/],
    [{ type: 'schema' }, 'rules[0].columns', /no expected schema/],
    [{ type: 'sql', predicate: '  ' }, 'rules[0].predicate', /empty/],
  ])('refuses %j', (rule, field, message) => {
    const err = errorOf(() => checkRules([rule], SCHEMA));
    expect(err.code).toBe('invalid_argument');
    expect(err.details.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${field}: `)).toBe(true);
  });

  it('names the position of the rule at fault, and refuses repeated names', () => {
    const ok: ValidationRule = { type: 'not_null', column: 'age', name: 'a' };
    expect(errorOf(() => checkRules([ok, ok, { type: 'unique', column: 'x' }], SCHEMA)).details.field).toBe(
      'rules[1].name',
    );
    expect(errorOf(() => checkRules([ok, { type: 'unique', column: 'x' }], SCHEMA)).details.field).toBe(
      'rules[1].column',
    );
  });

  it('accepts a valid rule of every type', () => {
    expect(() =>
      checkRules(
        [
          { type: 'not_null', column: 'age' },
          { type: 'unique', column: 'city' },
          { type: 'range', column: 'score', min: 0, max: 1, exclusive_max: true },
          { type: 'range', column: 'born', min: '1900-01-01' },
          { type: 'allowed_values', column: 'active', values: [true] },
          { type: 'regex', column: 'city', pattern: '(?i)[a-z]+(?P<suffix>-\\pL+)?' },
          { type: 'max_missing', column: 'city', max_fraction: 0.1 },
          { type: 'row_count', min_rows: 1 },
          { type: 'duplicates' },
          { type: 'outliers', column: 'score', method: 'zscore', threshold: 2.5 },
          { type: 'schema', columns: [{ name: 'age', type: 'integer' }] },
          { type: 'sql', predicate: 'age > 0' },
        ],
        SCHEMA,
      ),
    ).not.toThrow();
    expect(() => checkRules([{ type: 'schema' }], SCHEMA, { contract: SCHEMA })).not.toThrow();
  });
});
