import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type DuckSession,
  inferSchema,
  readTable,
  type TableFormat,
  withSession,
} from '../../columnar/index.js';
import type { ValidationReport, ValidationRule } from '../../contracts/index.js';
import { parseRulesDocument, validateTable } from './index.js';

const ROOT = join(import.meta.dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures');
const DATASETS: Record<string, { path: string; format: TableFormat }> = {
  penguins: { path: join(ROOT, 'node_modules/vega-datasets/data/penguins.json'), format: 'json' },
  cars: { path: join(ROOT, 'node_modules/vega-datasets/data/cars.json'), format: 'json' },
  'seattle-weather': {
    path: join(ROOT, 'node_modules/vega-datasets/data/seattle-weather.csv'),
    format: 'csv',
  },
  iris: {
    path: fileURLToPath(new URL('../../../test/fixtures/data/iris.csv', import.meta.url)),
    format: 'csv',
  },
};

interface Reference {
  rows: number;
  results: {
    passed: boolean;
    failing_count: number | null;
    sample_rows?: number[];
    stats?: Record<string, number>;
    schema_issues?: { column: string; issue: string }[];
  }[];
}

async function validateFile(
  session: DuckSession,
  dataset: string,
  rules: ValidationRule[],
): Promise<ValidationReport> {
  const { table } = await readTable(session, DATASETS[dataset] as { path: string; format: TableFormat });
  const { columns } = await inferSchema(session, table);
  return validateTable(session, table, rules, { schema: columns });
}

function close(actual: number | null | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf('number');
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

describe('validateTable agrees with pandas', async () => {
  const reference = JSON.parse(await readFile(join(FIXTURES, 'validation-reference.json'), 'utf8')) as Record<
    string,
    Reference
  >;
  for (const dataset of Object.keys(DATASETS)) {
    it(dataset, async () => {
      const file = `validation-${dataset}.yaml`;
      const { rules } = parseRulesDocument(await readFile(join(FIXTURES, file), 'utf8'), file);
      const ref = reference[dataset] as Reference;
      const report = await withSession((s) => validateFile(s, dataset, rules));
      expect(report.row_count).toBe(ref.rows);
      expect(report.results).toHaveLength(ref.results.length);
      for (const [i, r] of report.results.entries()) {
        const want = ref.results[i] as Reference['results'][number];
        const what = `${dataset} rules[${i}] ${r.name}`;
        expect({ passed: r.passed, failing_count: r.failing_count }, what).toEqual({
          passed: want.passed,
          failing_count: want.failing_count,
        });
        expect(
          r.samples.map((s) => s.row),
          what,
        ).toEqual(want.sample_rows ?? []);
        for (const [key, value] of Object.entries(want.stats ?? {}))
          close(r.stats?.[key], value, `${what} ${key}`);
        if (want.schema_issues) {
          expect(
            r.schema_issues?.map((x) => ({ column: x.column, issue: x.issue })),
            what,
          ).toEqual(want.schema_issues);
        }
      }
      expect(report.passed).toBe(report.results.every((r) => r.passed || r.severity === 'warn'));
    });
  }
});

describe('reports', () => {
  it('caps samples at 20, in table order, with every column of the row', async () => {
    const report = await withSession((s) =>
      validateFile(s, 'penguins', [{ type: 'unique', column: 'Body Mass (g)' }]),
    );
    const [result] = report.results;
    expect(result?.failing_count).toBe(318);
    expect(result?.samples).toHaveLength(20);
    const rows = result?.samples.map((s) => s.row) ?? [];
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(result?.samples[0]).toEqual({
      row: 0,
      values: {
        Species: 'Adelie',
        Island: 'Torgersen',
        'Beak Length (mm)': 39.1,
        'Beak Depth (mm)': 18.7,
        'Flipper Length (mm)': 181,
        'Body Mass (g)': 3750,
        Sex: 'MALE',
      },
    });
    expect(result?.failing_fraction).toBeCloseTo(318 / 344, 12);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('gives sample values as JSON: big integers as text, NaN and Infinity as strings, ISO dates', async () => {
    const report = await withSession(async (s) => {
      await s.run(`CREATE TABLE t AS SELECT * FROM (VALUES
        (9007199254740993::BIGINT, 'NaN'::DOUBLE, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:45:00.5', true, 'a'),
        (-5::BIGINT, '-inf'::DOUBLE, NULL, TIMESTAMP '2024-03-01 00:00:00', NULL, NULL)
      ) v(id, x, d, ts, b, s)`);
      const { columns } = await inferSchema(s, 't');
      return validateTable(s, 't', [{ type: 'allowed_values', column: 'id', values: [0] }], {
        schema: columns,
      });
    });
    expect(report.results[0]?.samples).toEqual([
      {
        row: 0,
        values: {
          id: '9007199254740993',
          x: 'NaN',
          d: '2024-02-29',
          ts: '2024-02-29T13:45:00.5',
          b: true,
          s: 'a',
        },
      },
      { row: 1, values: { id: -5, x: '-Infinity', d: null, ts: '2024-03-01T00:00:00', b: null, s: null } },
    ]);
  });

  it('fails the validation only for error rules; warn rules are counted apart', async () => {
    const warn: ValidationRule = { type: 'not_null', column: 'Sex', severity: 'warn' };
    const error: ValidationRule = { type: 'row_count', max_rows: 100 };
    const pass: ValidationRule = { type: 'not_null', column: 'Species' };
    await withSession(async (s) => {
      const { table } = await readTable(s, DATASETS.penguins as { path: string; format: TableFormat });
      const { columns } = await inferSchema(s, table);
      const warned = await validateTable(s, table, [warn, pass], { schema: columns });
      expect(warned).toMatchObject({ passed: true, error_count: 0, warning_count: 1, row_count: 344 });
      const failed = await validateTable(s, table, [warn, pass, error], { schema: columns });
      expect(failed).toMatchObject({ passed: false, error_count: 1, warning_count: 1 });
      expect(failed.results[2]).toMatchObject({
        name: 'row_count',
        severity: 'error',
        passed: false,
        failing_count: null,
        failing_fraction: null,
        message: '344 rows; expected at most 100',
        samples: [],
      });
    });
  });
});
