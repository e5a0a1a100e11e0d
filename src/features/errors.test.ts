import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type DuckSession, withSession } from '../columnar/index.js';
import { CyclopsError } from '../core/index.js';
import { loadDataset } from './engines.fixture.js';
import {
  applyTransformsSql,
  checkTransformConfig,
  compileRowTransform,
  fitTransforms,
  parseTransformConfig,
  parseTransformSpec,
  type TransformColumn,
  type TransformSpec,
} from './index.js';

const PENGUINS: TransformColumn[] = [
  { name: 'Species', type: 'string' },
  { name: 'Island', type: 'string' },
  { name: 'Beak Length (mm)', type: 'float' },
  { name: 'Flipper Length (mm)', type: 'integer' },
  { name: 'Sex', type: 'string' },
  { name: 'day', type: 'date' },
];

/** The invalid_argument error `fn` throws (failing the test if it throws anything else or nothing). */
function failure(fn: () => unknown): CyclopsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    expect((err as CyclopsError).code).toBe('invalid_argument');
    return err as CyclopsError;
  }
  throw new Error('expected an invalid_argument error');
}

async function rejection(promise: Promise<unknown>): Promise<CyclopsError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  expect((err as CyclopsError).code).toBe('invalid_argument');
  return err as CyclopsError;
}

const check = (steps: unknown[]) => failure(() => checkTransformConfig({ steps }, PENGUINS));

describe('a bad config names the step and the field', () => {
  it('unknown transform', () => {
    const err = check([
      { type: 'drop', columns: ['Sex'] },
      { type: 'standardize', columns: ['Island'] },
    ]);
    expect(err.message).toMatch(
      /^steps\[1\]\.type: unknown transform "standardize" \(transforms: impute, scale/,
    );
    expect(err.details.field).toBe('steps[1].type');
  });

  it('misspelt field, bad choice, missing field, not an object', () => {
    expect(check([{ type: 'scale', columns: ['Island'], method: 'standard', with_mean: true }]).message).toBe(
      'steps[0].with_mean: unknown field',
    );
    expect(check([{ type: 'scale', columns: ['Island'], method: 'zscore' }]).message).toBe(
      'steps[0].method: must be "standard", "min_max" or "robust"',
    );
    expect(check([{ type: 'ordinal', columns: ['Island'], unknown: 'skip' }]).message).toBe(
      'steps[0].unknown: must be "error", "null" or an integer',
    );
    expect(check([{ type: 'clip', columns: [] }]).message).toMatch(/^steps\[0\]\.columns: /);
    expect(check([{ type: 'expression', name: 'x' }]).message).toBe('steps[0].expression: is required');
    expect(failure(() => parseTransformConfig({ steps: [3] })).message).toBe('steps[0]: must be an object');
    expect(failure(() => parseTransformConfig({ step: [] })).message).toBe('steps: is required');
  });

  it('unknown column, also one dropped by an earlier step', () => {
    const err = check([{ type: 'scale', columns: ['Beak Length (mm)', 'Beak Width'], method: 'standard' }]);
    expect(err.message).toMatch(
      /^steps\[0\]\.columns\[1\]: no column 'Beak Width' at this step \(columns: 'Species'/,
    );
    expect(err.details).toMatchObject({ field: 'steps[0].columns[1]', column: 'Beak Width' });
    const dropped = check([
      { type: 'drop', columns: ['Sex'] },
      { type: 'impute', columns: ['Sex'], strategy: 'most_frequent' },
    ]);
    expect(dropped.message).toMatch(/^steps\[1\]\.columns\[0\]: no column 'Sex'/);
  });

  it('a column type the transform does not take', () => {
    expect(check([{ type: 'scale', columns: ['Species'], method: 'standard' }]).message).toBe(
      "steps[0].columns[0]: scale needs an integer or float column; 'Species' is string",
    );
    expect(check([{ type: 'one_hot', columns: ['Beak Length (mm)'] }]).message).toBe(
      "steps[0].columns[0]: one_hot needs a string, integer or boolean column; 'Beak Length (mm)' is float",
    );
    expect(check([{ type: 'date_parts', columns: ['day'], parts: ['hour'] }]).message).toBe(
      "steps[0].parts[0]: 'hour' needs a timestamp column; 'day' is a date",
    );
    expect(check([{ type: 'impute', columns: ['Island'], strategy: 'constant', value: 3 }]).message).toBe(
      "steps[0].value: 3 cannot fill 'Island', a string column",
    );
    // A type changed by an earlier step counts: the ordinal codes are integers, not strings.
    expect(
      check([
        { type: 'ordinal', columns: ['Sex'] },
        { type: 'expression', name: 'f', expression: "Sex = 'FEMALE'" },
      ]).message,
    ).toBe("steps[1].expression: '=' needs two values of one type, got a number and a string at 4");
  });

  it('bad parameters', () => {
    expect(check([{ type: 'clip', columns: ['Beak Length (mm)'] }]).message).toBe(
      'steps[0]: clip needs min, max or both',
    );
    expect(check([{ type: 'clip', columns: ['Beak Length (mm)'], min: 3, max: 1 }]).message).toBe(
      'steps[0].min: 3 is greater than max (1)',
    );
    expect(check([{ type: 'bucketize', columns: ['Beak Length (mm)'], boundaries: [1, 1] }]).message).toBe(
      'steps[0].boundaries: boundaries must be strictly ascending',
    );
    expect(check([{ type: 'bucketize', columns: ['Beak Length (mm)'] }]).message).toBe(
      'steps[0]: bucketize needs either boundaries or quantiles',
    );
    expect(check([{ type: 'one_hot', columns: ['Island'], categories: { Sex: ['x'] } }]).message).toBe(
      "steps[0].categories: 'Sex' is not one of the step's columns",
    );
    expect(
      check([
        { type: 'expression', name: 'Island_x', expression: '1' },
        { type: 'one_hot', columns: ['Island'], categories: { Island: ['x'] } },
      ]).message,
    ).toBe("steps[1].columns[0]: output column 'Island_x' already exists");
  });

  it('bad expression syntax names the position', () => {
    const expr = (expression: string) => check([{ type: 'expression', name: 'x', expression }]).message;
    expect(expr('abs(`Beak Length (mm)`))')).toBe("steps[0].expression: unexpected ')' at 23");
    expect(expr('1 +')).toBe('steps[0].expression: unexpected end of expression at 3');
    expect(expr("Sex = 'MALE")).toBe('steps[0].expression: unterminated string at 6');
    expect(expr('1 < 2 < 3')).toBe("steps[0].expression: comparisons do not chain: use 'and' at 6");
    expect(expr('min(1, 2')).toBe(
      "steps[0].expression: unexpected end of expression, expected ',' or ')' at 8",
    );
    expect(expr('2x')).toBe("steps[0].expression: malformed number '2x' at 0");
    expect(expr('a # b')).toBe("steps[0].expression: unexpected character '#' at 2");
  });

  it('unknown function, wrong arguments, unknown column, wrong types', () => {
    const expr = (expression: string) => check([{ type: 'expression', name: 'x', expression }]).message;
    expect(expr('1 + foo(2)')).toMatch(
      /^steps\[0\]\.expression: unknown function 'foo' \(functions: abs, ceil, coalesce/,
    );
    expect(expr('1 + foo(2)')).toMatch(/ at 4$/);
    expect(expr('pow(2)')).toBe('steps[0].expression: pow() takes 2 arguments, got 1 at 0');
    expect(expr('round(`Beak Length (mm)`, 1.5)')).toBe(
      'steps[0].expression: round() digits must be an integer literal from -15 to 15 at 26',
    );
    expect(expr('Flipper + 1')).toBe("steps[0].expression: no column 'Flipper' at this step at 0");
    expect(expr('Species + 1')).toBe(
      "steps[0].expression: '+' needs numbers, got a string and a number at 8",
    );
    expect(expr("Species < 'b'")).toBe(
      "steps[0].expression: '<' needs numbers, got a string and a string at 8",
    );
    expect(expr('if(Sex, 1, 2)')).toBe(
      'steps[0].expression: if() argument 1 must be a boolean, got a string at 3',
    );
    expect(expr('day + 1')).toMatch(
      /^steps\[0\]\.expression: column 'day' is a date: expressions take numbers/,
    );
  });

  it('a YAML config is checked the same way', () => {
    const yaml =
      'steps:\n  - type: scale\n    columns: [Beak Length (mm)]\n    method: standard\n  - type: log\n    columns: [Sex]\n';
    expect(failure(() => checkTransformConfig(parse(yaml), PENGUINS)).message).toBe(
      "steps[1].columns[0]: log needs an integer or float column; 'Sex' is string",
    );
  });

  it('without data, a one-hot step leaves its columns open for later steps', () => {
    const columns = checkTransformConfig(
      {
        steps: [
          { type: 'one_hot', columns: ['Species'] },
          { type: 'expression', name: 'gentoo_heavy', expression: 'Species_Gentoo * `Flipper Length (mm)`' },
        ],
      },
      PENGUINS,
    );
    expect(columns.map((c) => c.name)).toEqual([
      'Island',
      'Beak Length (mm)',
      'Flipper Length (mm)',
      'Sex',
      'day',
      'gentoo_heavy',
    ]);
  });
});

describe('fitting, applying and rows fail clearly', () => {
  async function penguins<T>(fn: (session: DuckSession, spec: TransformSpec) => Promise<T>): Promise<T> {
    return withSession(async (session) => {
      await loadDataset(session, 'penguins.json', 'data');
      await session.run(`CREATE TABLE small AS SELECT "Species", "Island", "Body Mass (g)" FROM data`);
      const spec = await fitTransforms(session, 'small', {
        steps: [
          { type: 'one_hot', columns: ['Species'], unknown: 'error' },
          { type: 'ordinal', columns: ['Island'], unknown: 'error', missing: 'error' },
          { type: 'scale', columns: ['Body Mass (g)'], method: 'standard' },
        ],
      });
      return fn(session, spec);
    });
  }

  it('an unseen category with policy error fails both engines with one message', async () => {
    await penguins(async (session, spec) => {
      await session.run(`CREATE TABLE odd AS SELECT * FROM small LIMIT 2`);
      await session.run(`UPDATE odd SET "Species" = 'Emperor' WHERE "Island" = 'Torgersen'`);
      const expected = "steps[0] (one_hot) column 'Species': unseen category 'Emperor' (unknown: 'error')";
      expect((await rejection(applyTransformsSql(session, spec, 'odd', 'out'))).message).toBe(expected);
      const row = compileRowTransform(spec);
      const base = { Species: 'Adelie', Island: 'Dream', 'Body Mass (g)': 3000 };
      expect(row.apply(base).Species_Adelie).toBe(1);
      expect(failure(() => row.apply({ ...base, Species: 'Emperor' })).message).toBe(expected);
      expect(failure(() => row.apply({ ...base, Island: null })).message).toBe(
        "steps[1] (ordinal) column 'Island': null is not allowed (missing: 'error')",
      );
    });
  });

  it('a row missing a column, or with a value of the wrong type, names the column', async () => {
    await penguins(async (_session, spec) => {
      const row = compileRowTransform(spec);
      const missing = failure(() => row.apply({ Species: 'Adelie', Island: 'Dream' }));
      expect(missing.message).toBe("row is missing column 'Body Mass (g)'");
      expect(missing.details.field).toBe('Body Mass (g)');
      const base = { Species: 'Adelie', Island: 'Dream', 'Body Mass (g)': 3000 };
      expect(failure(() => row.apply({ ...base, 'Body Mass (g)': '3000' })).message).toBe(
        "column 'Body Mass (g)' must be an integer, got '3000'",
      );
      expect(failure(() => row.apply({ ...base, 'Body Mass (g)': 3000.5 })).message).toBe(
        "column 'Body Mass (g)' must be an integer, got 3000.5",
      );
      expect(failure(() => row.apply({ ...base, Species: 7 })).message).toBe(
        "column 'Species' must be a string, got 7",
      );
      expect(failure(() => row.applyInto(null as never, new Float64Array(10))).message).toBe(
        'a row must be an object of column values',
      );
    });
  });

  it('a table missing an input, or with a different type, is named', async () => {
    await penguins(async (session, spec) => {
      await session.run(`CREATE TABLE partial AS SELECT "Species", "Island" FROM small`);
      expect((await rejection(applyTransformsSql(session, spec, 'partial', 'out'))).message).toBe(
        "table 'partial' has no column 'Body Mass (g)' (the transform spec needs it)",
      );
      await session.run(
        `CREATE TABLE texty AS SELECT "Species", "Island", CAST("Body Mass (g)" AS VARCHAR) AS "Body Mass (g)" FROM small`,
      );
      expect((await rejection(applyTransformsSql(session, spec, 'texty', 'out'))).message).toBe(
        "table 'texty' column 'Body Mass (g)' is VARCHAR; the transform spec expects integer",
      );
    });
  });

  it('fitting fails on a column with no values and on too many categories', async () => {
    await withSession(async (session) => {
      await session.run(
        `CREATE TABLE t AS SELECT CAST(NULL AS DOUBLE) AS x, CAST(i AS VARCHAR) AS id FROM range(200) r(i)`,
      );
      expect(
        (
          await rejection(
            fitTransforms(session, 't', { steps: [{ type: 'scale', columns: ['x'], method: 'robust' }] }),
          )
        ).message,
      ).toBe("steps[0].columns[0]: column 'x' has no values to fit (all null)");
      expect(
        (await rejection(fitTransforms(session, 't', { steps: [{ type: 'one_hot', columns: ['id'] }] })))
          .message,
      ).toBe("steps[0].columns[0]: column 'id' has 200 categories, more than max_categories (100)");
    });
  });

  it('a stored spec is checked before use', async () => {
    await penguins(async (_session, spec) => {
      const json = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
      expect(failure(() => parseTransformSpec({ ...json, format: 'cyclops.transform.v0' })).message).toMatch(
        /^format: 'cyclops.transform.v0' is not a supported transform spec/,
      );
      const steps = json.steps as Record<string, unknown>[];
      expect(
        failure(() => parseTransformSpec({ ...json, steps: [{ ...steps[2], fitted: {} }, ...steps] }))
          .message,
      ).toBe("steps[0].fitted: no parameters for column 'Body Mass (g)'");
      const { unknown: _, ...noPolicy } = steps[0] as Record<string, unknown>;
      expect(
        failure(() => parseTransformSpec({ ...json, steps: [noPolicy, ...steps.slice(1)] })).message,
      ).toBe('steps[0].unknown: is required');
      const outputs = (json.outputs as TransformColumn[]).slice(1);
      expect(
        failure(() => compileRowTransform({ ...(json as unknown as TransformSpec), outputs })).message,
      ).toMatch(/^outputs: the steps produce \[Species_Adelie:integer, /);
    });
  });
});
