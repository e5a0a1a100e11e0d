import { describe, expect, it } from 'vitest';
import { type DuckSession, withSession } from '../columnar/index.js';
import { agrees, disagreements, rowOutputs, sqlOutputs } from './engines.fixture.js';
import { fitTransforms, type OutputValue, type RowValue, type TransformConfig } from './index.js';

/**
 * The value rules of README.md, each pinned by an example that both engines must give: the SQL engine on
 * a DuckDB table, the row engine on the same values as a JS object (NaN and ±Infinity included, which
 * JSON cannot carry). Every expression is also evaluated on every other example's row, and the engines
 * must agree there too.
 */
type Row = { x: number | null; y: number | null; n: number | null; s: string | null; b: boolean | null };
const BASE: Row = { x: 1, y: 1, n: 1, s: 'a', b: true };

const CASES: [expression: string, row: Partial<Row>, expected: OutputValue][] = [
  // Arithmetic: a result that is not finite is null.
  ['x / y', { x: 1, y: 0 }, null],
  ['x / y', { x: 0, y: 0 }, null],
  ['x / y', { x: -3, y: 4 }, -0.75],
  ['x % y', { x: 5, y: 0 }, null],
  ['x % y', { x: -5.5, y: 2 }, -1.5],
  ['x % y', { x: 5.5, y: -2 }, 1.5],
  ['x + y', { x: 1e308, y: 1e308 }, null],
  ['x * y', { x: -1e200, y: 1e200 }, null],
  ['x - y', { x: null, y: 1 }, null],
  ['-x', { x: 2 }, -2],
  ['pow(x, y)', { x: -8, y: 1 / 3 }, null],
  ['pow(x, y)', { x: 0, y: -1 }, null],
  ['pow(x, y)', { x: null, y: 0 }, null],
  ['pow(x, y)', { x: 2, y: 10 }, 1024],
  // Functions outside their domain give null.
  ['log(x)', { x: 0 }, null],
  ['log(x)', { x: -1 }, null],
  ['log(x)', { x: Math.E }, 1],
  ['log1p(x)', { x: -1 }, null],
  ['log1p(x)', { x: -0.5 }, Math.log1p(-0.5)],
  ['log1p(x)', { x: 1e-10 }, 9.9999999995e-11],
  ['sqrt(x)', { x: -1 }, null],
  ['sqrt(x)', { x: 2.25 }, 1.5],
  ['exp(x)', { x: 1000 }, null],
  ['exp(x)', { x: -1000 }, 0],
  ['abs(x)', { x: -3 }, 3],
  ['floor(x)', { x: -1.5 }, -2],
  ['ceil(x)', { x: -1.5 }, -1],
  // Rounding is half away from zero; round(x, d) is DuckDB's: scale by 10^d, round, scale back.
  ['round(x)', { x: 2.5 }, 3],
  ['round(x)', { x: -2.5 }, -3],
  ['round(x)', { x: 0.49999999999999994 }, 0],
  ['round(x, 2)', { x: 2.675 }, 2.68],
  ['round(x, 2)', { x: 1.005 }, 1],
  ['round(x, -1)', { x: -25 }, -30],
  ['min(x, y)', { x: 1, y: null }, null],
  ['max(x, y, n)', { x: 1, y: 5, n: 3 }, 5],
  ['coalesce(x, y, 7)', { x: null, y: null }, 7],
  ['coalesce(x, y, 7)', { x: null, y: 2 }, 2],
  // NaN and ±Infinity in the input are missing values.
  ['x', { x: Number.NaN }, null],
  ['x', { x: Number.POSITIVE_INFINITY }, null],
  ['is_null(x)', { x: Number.NEGATIVE_INFINITY }, true],
  ['is_null(x)', { x: 0 }, false],
  ['is_null(s)', { s: null }, true],
  // Comparisons with null are null; logic is SQL's three-valued logic.
  ['x < y', { x: null, y: 1 }, null],
  ['x >= y', { x: 2, y: 2 }, true],
  ['x = y', { x: 0.1 + 0.2, y: 0.3 }, false],
  ["s = 'a'", { s: null }, null],
  ["s != 'a'", { s: 'é' }, true],
  ["s = '😀'", { s: '😀' }, true],
  ['b and x > 0', { b: null, x: -1 }, false],
  ['b and x > 0', { b: null, x: 1 }, null],
  ['b or x > 0', { b: null, x: 1 }, true],
  ['b or x > 0', { b: null, x: -1 }, null],
  ['not b', { b: null }, null],
  ['not b', { b: false }, true],
  ['b = (x > 0)', { b: false, x: -1 }, true],
  // A null condition takes the else branch, as SQL's CASE does.
  ['if(b, x, y)', { b: null, x: 1, y: 2 }, 2],
  ["if(x > y, s, 'other')", { x: null, y: 1 }, 'other'],
  ["coalesce(s, 'none')", { s: null }, 'none'],
  ['n / 3', { n: 1 }, 1 / 3],
  ['n % 2 = 0', { n: -4 }, true],
];

const TRANSFORMS: TransformConfig['steps'] = [
  { type: 'clip', columns: ['x'], min: -1, max: 1 },
  { type: 'bucketize', columns: ['y'], boundaries: [0, 1] },
  { type: 'log', columns: ['n'], function: 'log' },
  { type: 'ordinal', columns: ['s'], unknown: -1, missing: -2, categories: { s: ['a', 'é'] } },
  { type: 'one_hot', columns: ['b'], unknown: 'null', missing: 'null', categories: { b: [false, true] } },
];

function literal(v: RowValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (typeof v === 'boolean') return String(v);
  if (Number.isNaN(v)) return "'nan'";
  if (!Number.isFinite(v)) return v > 0 ? "'inf'" : "'-inf'";
  return `'${String(v)}'`;
}

async function table(session: DuckSession, rows: Row[]): Promise<void> {
  await session.run('CREATE TABLE t (x DOUBLE, y DOUBLE, n BIGINT, s VARCHAR, b BOOLEAN)');
  const values = rows.map((r) => `(${[r.x, r.y, r.n, r.s, r.b].map(literal).join(', ')})`);
  await session.run(`INSERT INTO t VALUES ${values.join(', ')}`);
}

describe('value semantics, identical in both engines', () => {
  it('each rule gives its example, in both engines, and they agree on every row', async () => {
    const rows = CASES.map(([, row]) => ({ ...BASE, ...row }));
    const config: TransformConfig = {
      steps: [
        ...CASES.map(([expression], i) => ({ type: 'expression' as const, name: `e${i}`, expression })),
        ...TRANSFORMS,
      ],
    };
    await withSession(async (session) => {
      await table(session, rows);
      const spec = await fitTransforms(session, 't', config);
      const sql = await sqlOutputs(session, spec, 't');
      const row = rowOutputs(spec, rows);
      expect(disagreements(spec, sql, row)).toEqual([]);
      const wrong = CASES.flatMap(([expression, input, expected], i) => {
        const got = [sql[i]?.[`e${i}`], row[i]?.[`e${i}`]];
        return got.every((g) => agrees(g, expected))
          ? []
          : [`${expression} on ${JSON.stringify(input)}: expected ${expected}, SQL ${got[0]}, row ${got[1]}`];
      });
      expect(wrong).toEqual([]);
    });
  });

  it('transforms pass nulls through and apply their policies', async () => {
    const rows: Row[] = [
      { ...BASE, x: Number.NaN, y: 1, n: 0, s: 'zz', b: null },
      { ...BASE, x: -7, y: -0.5, n: null, s: null, b: false },
    ];
    await withSession(async (session) => {
      await table(session, rows);
      const spec = await fitTransforms(session, 't', { steps: TRANSFORMS });
      const sql = await sqlOutputs(session, spec, 't');
      expect(disagreements(spec, sql, rowOutputs(spec, rows))).toEqual([]);
      expect(sql).toEqual([
        { x: null, y: 2, n: null, s: -1, b_false: null, b_true: null },
        { x: -1, y: 0, n: null, s: -2, b_false: 1, b_true: 0 },
      ]);
    });
  });
});
