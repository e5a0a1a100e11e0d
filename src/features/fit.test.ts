import { describe, expect, it } from 'vitest';
import { type DuckSession, withSession } from '../columnar/index.js';
import { fitTransforms, type TransformConfig } from './index.js';

/** The aggregate queries fitting ran (each learns the parameters of a wave of steps). */
async function fitCounting(session: DuckSession, config: TransformConfig) {
  const queries: string[] = [];
  const rows = session.rows.bind(session);
  session.rows = async (sql: string) => {
    if (/ AS a0\b/.test(sql)) queries.push(sql);
    return rows(sql);
  };
  const spec = await fitTransforms(session, 't', config);
  return { spec, queries };
}

async function table(session: DuckSession): Promise<void> {
  await session.run(`CREATE TABLE t AS SELECT
      CASE WHEN i % 10 = 0 THEN NULL ELSE i * 1.5 END AS x,
      CAST(i % 7 AS BIGINT) AS y,
      ['a', 'b', 'c'][1 + i % 3] AS c
    FROM range(100) r(i)`);
}

describe('fitTransforms', () => {
  it('learns steps on disjoint columns in one aggregate query', async () => {
    await withSession(async (session) => {
      await table(session);
      const { queries } = await fitCounting(session, {
        steps: [
          { type: 'impute', columns: ['x'], strategy: 'median' },
          { type: 'scale', columns: ['y'], method: 'robust' },
          { type: 'one_hot', columns: ['c'] },
          { type: 'bucketize', columns: ['y'], quantiles: 3 },
        ],
      });
      // bucketize reads y after scale rewrote it: a second wave.
      expect(queries).toHaveLength(2);
    });
  });

  it('fits each step on the values the earlier steps left', async () => {
    await withSession(async (session) => {
      await table(session);
      const { spec, queries } = await fitCounting(session, {
        steps: [
          { type: 'impute', columns: ['x'], strategy: 'constant', value: 0 },
          { type: 'expression', name: 'z', expression: 'x / 3 + y' },
          { type: 'scale', columns: ['z', 'x'], method: 'standard' },
          { type: 'one_hot', columns: ['c'] },
          { type: 'expression', name: 'w', expression: 'c_b * 2 + c_c' },
          { type: 'scale', columns: ['w'], method: 'min_max' },
        ],
      });
      const [expected] = await session.rows(`SELECT
          avg(coalesce(x, 0) / 3 + y) AS zm, stddev_pop(coalesce(x, 0) / 3 + y) AS zs,
          avg(coalesce(x, 0)) AS xm, stddev_pop(coalesce(x, 0)) AS xs FROM t`);
      const scale = spec.steps[2] as { fitted: Record<string, { center: number; scale: number }> };
      expect(scale.fitted.z?.center).toBeCloseTo(Number(expected?.zm), 10);
      expect(scale.fitted.z?.scale).toBeCloseTo(Number(expected?.zs), 10);
      expect(scale.fitted.x?.center).toBeCloseTo(Number(expected?.xm), 10);
      expect(scale.fitted.x?.scale).toBeCloseTo(Number(expected?.xs), 10);
      const minMax = spec.steps[5] as { fitted: Record<string, { center: number; scale: number }> };
      expect(minMax.fitted.w).toEqual({ center: 0, scale: 2 });
      // constant impute learns nothing; scale and one_hot share a wave; w's scale needs one_hot's columns.
      expect(queries).toHaveLength(2);
      expect(spec.outputs.map((o) => `${o.name}:${o.type}`)).toEqual([
        'x:float',
        'y:integer',
        'c_a:integer',
        'c_b:integer',
        'c_c:integer',
        'z:float',
        'w:float',
      ]);
    });
  });

  it('fits nothing for steps that learn nothing', async () => {
    await withSession(async (session) => {
      await table(session);
      const { spec, queries } = await fitCounting(session, {
        steps: [
          { type: 'log', columns: ['x'] },
          { type: 'bucketize', columns: ['y'], boundaries: [2, 4] },
          { type: 'drop', columns: ['c'] },
        ],
      });
      expect(queries).toHaveLength(0);
      expect(spec.outputs).toEqual([
        { name: 'x', type: 'float' },
        { name: 'y', type: 'integer' },
      ]);
    });
  });
});
