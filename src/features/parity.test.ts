import { describe, expect, it } from 'vitest';
import { withSession } from '../columnar/index.js';
import { disagreements, jsonRows, loadDataset, rowOutputs, sqlOutputs } from './engines.fixture.js';
import { FUNCTION_NAMES } from './expression/functions.js';
import { fitTransforms, parseTransformSpec, STEP_TYPES, type TransformConfig } from './index.js';

/**
 * The batch engine (one DuckDB statement) and the row engine (compiled closures) on real data: every
 * output value of every row agrees to 1e-9 and every null is a null in both. Between them the configs
 * use every transform, every policy kind and every expression function.
 */
const CASES: { file: string; config: TransformConfig }[] = [
  {
    file: 'penguins.json',
    config: {
      steps: [
        { type: 'expression', name: 'beak_ratio', expression: '`Beak Length (mm)` / `Beak Depth (mm)`' },
        { type: 'expression', name: 'heavy', expression: "`Body Mass (g)` > 4500 and not (Sex = 'FEMALE')" },
        { type: 'expression', name: 'mass_kg', expression: 'round(`Body Mass (g)` / 1000, 1)' },
        { type: 'impute', columns: ['Beak Length (mm)'], strategy: 'mean' },
        { type: 'impute', columns: ['Beak Depth (mm)'], strategy: 'median' },
        { type: 'impute', columns: ['Flipper Length (mm)'], strategy: 'constant', value: 200 },
        { type: 'scale', columns: ['Beak Length (mm)'], method: 'standard' },
        { type: 'scale', columns: ['Beak Depth (mm)'], method: 'robust' },
        { type: 'bucketize', columns: ['Flipper Length (mm)'], quantiles: 4 },
        { type: 'log', columns: ['Body Mass (g)'] },
        { type: 'clip', columns: ['beak_ratio'], min: 2, max: 3 },
        { type: 'one_hot', columns: ['Species'] },
        { type: 'one_hot', columns: ['Sex'], missing: 'category', unknown: 'null' },
        { type: 'one_hot', columns: ['heavy'], missing: 'null' },
        { type: 'ordinal', columns: ['Island'] },
        { type: 'expression', name: 'adelie_biscoe', expression: 'if(Island = 0, Species_Adelie, -1)' },
      ],
    },
  },
  {
    file: 'cars.json',
    config: {
      steps: [
        { type: 'drop', columns: ['Name'] },
        { type: 'date_parts', columns: ['Year'], parts: ['year', 'month', 'day', 'weekday'], keep: true },
        { type: 'expression', name: 'power_to_weight', expression: 'Horsepower / Weight_in_lbs * 1000' },
        {
          type: 'expression',
          name: 'mpg_or_guess',
          expression: 'coalesce(Miles_per_Gallon, 235 / (Displacement / Cylinders))',
        },
        { type: 'expression', name: 'mpg_missing', expression: 'is_null(Miles_per_Gallon)' },
        {
          type: 'expression',
          name: 'accel_class',
          expression: "if(Acceleration >= 16, 'slow', if(Acceleration >= 13, 'mid', 'fast'))",
        },
        { type: 'impute', columns: ['Miles_per_Gallon', 'Horsepower'], strategy: 'median' },
        { type: 'scale', columns: ['Miles_per_Gallon', 'Weight_in_lbs', 'Displacement'], method: 'min_max' },
        { type: 'ordinal', columns: ['Cylinders'], unknown: -1 },
        { type: 'one_hot', columns: ['Origin', 'accel_class'], unknown: 'null' },
        { type: 'bucketize', columns: ['Acceleration'], boundaries: [10, 12.5, 15, 17.5, 20] },
        {
          type: 'expression',
          name: 'mixed',
          expression: 'Horsepower % 7 + pow(Cylinders, 0.5) - sqrt(Displacement - 0.2) * log1p(Year_day - 2)',
        },
      ],
    },
  },
  {
    file: 'seattle-weather.csv',
    config: {
      steps: [
        { type: 'date_parts', columns: ['date'], parts: ['year', 'month', 'day', 'weekday'] },
        { type: 'expression', name: 'temp_range', expression: 'temp_max - temp_min' },
        { type: 'expression', name: 'wet', expression: "precipitation > 0 or weather = 'rain'" },
        { type: 'expression', name: 'cold_calm', expression: 'temp_min < 0 and wind < 2' },
        {
          type: 'expression',
          name: 'mixed',
          expression:
            'exp(temp_max / 10) + log(wind) - abs(temp_min) + floor(wind) * ceil(temp_max) / max(temp_max, temp_min, 1) - min(wind, 3)',
        },
        { type: 'expression', name: 'log_precip', expression: 'log(precipitation)' },
        {
          type: 'expression',
          name: 'exp_overflow',
          expression: 'coalesce(exp(temp_max * 30), -exp(-temp_min))',
        },
        { type: 'expression', name: 'per_wind', expression: '-(precipitation / (wind - 2.1)) % 4' },
        { type: 'bucketize', columns: ['precipitation'], quantiles: 5 },
        { type: 'log', columns: ['wind'], function: 'log' },
        { type: 'impute', columns: ['log_precip'], strategy: 'constant', value: -1 },
        { type: 'scale', columns: ['temp_max', 'temp_min'], method: 'standard' },
        { type: 'one_hot', columns: ['weather'] },
        { type: 'ordinal', columns: ['wet'] },
        { type: 'impute', columns: ['cold_calm'], strategy: 'most_frequent' },
      ],
    },
  },
  {
    file: 'seattle-weather-hourly-normals.csv',
    config: {
      steps: [
        {
          type: 'date_parts',
          columns: ['date'],
          parts: ['year', 'month', 'day', 'weekday', 'hour'],
          keep: true,
        },
        { type: 'expression', name: 'night', expression: 'date_hour < 6 or date_hour >= 22' },
        { type: 'expression', name: 'p', expression: 'round(pressure - 1000, 2) % 3 != 0' },
        { type: 'scale', columns: ['temperature'], method: 'robust' },
        { type: 'bucketize', columns: ['wind'], quantiles: 10 },
      ],
    },
  },
];

describe('the SQL and row engines agree on real data', () => {
  it('the cases use every transform and every expression function', () => {
    const steps = CASES.flatMap((c) => c.config.steps);
    expect(new Set(steps.map((s) => s.type))).toEqual(new Set(STEP_TYPES));
    const text = steps.flatMap((s) => (s.type === 'expression' ? [s.expression] : [])).join(' ');
    for (const fn of FUNCTION_NAMES) expect(text, fn).toMatch(new RegExp(`\\b${fn}\\(`));
  });

  for (const { file, config } of CASES) {
    it(file, async () => {
      await withSession(async (session) => {
        await loadDataset(session, file, 'data');
        // The spec travels as JSON (stored, sent, embedded in bundles): apply what comes back.
        const spec = parseTransformSpec(
          JSON.parse(JSON.stringify(await fitTransforms(session, 'data', config))),
        );
        const rows = await jsonRows(session, 'data');
        const sql = await sqlOutputs(session, spec, 'data');
        const row = rowOutputs(spec, rows);
        expect(disagreements(spec, sql, row).slice(0, 10)).toEqual([]);
        // Not vacuous: real values and real nulls were compared.
        const values = sql.flatMap((r) => Object.values(r));
        expect(values.filter((v) => typeof v === 'number').length).toBeGreaterThan(rows.length);
        expect(sql.length).toBe(rows.length);
      });
    });
  }
});
