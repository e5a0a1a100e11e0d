import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CyclopsError } from '../../core/index.js';
import { isActive, isValidValue } from './space.js';
import { parseSearchSpace } from './space-parse.js';

function errorOf(raw: unknown): CyclopsError {
  try {
    parseSearchSpace(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    expect((err as CyclopsError).code).toBe('invalid_argument');
    return err as CyclopsError;
  }
  throw new Error('expected the space to be rejected');
}

describe('parseSearchSpace', () => {
  it('parses the tune.yaml format, parents ordered before their conditional children', () => {
    const space = parseSearchSpace(
      parseYaml(`
max_depth: { type: int, low: 2, high: 8, when: { param: algo, in: [gbdt] } }
learning_rate: { type: log_uniform, low: 0.01, high: 0.3 }
max_leaves: { type: int, low: 8, high: 64, step: 8 }
algo: { type: categorical, choices: [gbdt, rf] }
subsample: { type: uniform, low: 0.5, high: 1, num: 3 }
n_estimators: { type: int, low: 10, high: 1000, log: true, grid: [10, 100, 1000] }
`),
    );
    expect(space.params.map((p) => p.name)).toEqual([
      'algo',
      'max_depth',
      'learning_rate',
      'max_leaves',
      'subsample',
      'n_estimators',
    ]);
    expect(space.params[1]).toEqual({
      name: 'max_depth',
      type: 'int',
      low: 2,
      high: 8,
      step: 1,
      log: false,
      when: { param: 'algo', in: ['gbdt'] },
    });
    expect(space.params[2]).toEqual({ name: 'learning_rate', type: 'log_uniform', low: 0.01, high: 0.3 });
    expect(space.params[3]).toMatchObject({ step: 8, log: false });
    expect(space.params[4]).toMatchObject({ type: 'uniform', num: 3 });
    expect(space.params[5]).toMatchObject({ log: true, grid: [10, 100, 1000] });
  });

  it('decides activity along chains of conditions', () => {
    const space = parseSearchSpace({
      model: { type: 'categorical', choices: ['tree', 'linear'] },
      booster: { type: 'categorical', choices: ['gbdt', 'dart'], when: { param: 'model', in: ['tree'] } },
      drop_rate: { type: 'uniform', low: 0, high: 0.5, when: { param: 'booster', in: ['dart'] } },
    });
    const [, booster, dropRate] = space.params;
    expect(isActive(booster!, { model: 'tree' })).toBe(true);
    expect(isActive(booster!, { model: 'linear' })).toBe(false);
    expect(isActive(dropRate!, { model: 'tree', booster: 'dart' })).toBe(true);
    // An inactive parent is absent, so its children are inactive too.
    expect(isActive(dropRate!, { model: 'linear' })).toBe(false);
  });

  it('tells valid values from values an edited space no longer allows', () => {
    const [n, c] = parseSearchSpace({
      n: { type: 'int', low: 2, high: 10, step: 2 },
      c: { type: 'categorical', choices: ['a', 1, true] },
    }).params;
    expect([4, 3, 12, 'a'].map((v) => isValidValue(n!, v))).toEqual([true, false, false, false]);
    expect([1, true, 'b', '1'].map((v) => isValidValue(c!, v))).toEqual([true, true, false, false]);
  });

  const bad: [string, unknown, RegExp, string][] = [
    ['a non-mapping space', [1, 2], /must be a mapping from parameter names/, ''],
    ['an empty space', {}, /has no parameters/, ''],
    ['a bad name', { '1x': { type: 'uniform', low: 0, high: 1 } }, /parameter name "1x" must start/, '/1x'],
    ['a definition that is not a mapping', { x: 3 }, /parameter 'x': must be a mapping/, '/x'],
    ['a missing type', { x: { low: 0, high: 1 } }, /parameter 'x': 'type' is required/, '/x/type'],
    [
      'an unknown type',
      { x: { type: 'normal', low: 0, high: 1 } },
      /parameter 'x': unknown type "normal"/,
      '/x/type',
    ],
    [
      'an unknown field',
      { x: { type: 'uniform', low: 0, hihg: 1 } },
      /unknown field 'hihg' for type uniform/,
      '/x/hihg',
    ],
    ['a missing bound', { x: { type: 'uniform', low: 0 } }, /parameter 'x': 'high' is required/, '/x/high'],
    [
      'a string bound',
      { x: { type: 'uniform', low: '0', high: 1 } },
      /'low' must be a finite number, got "0"/,
      '/x/low',
    ],
    [
      'low == high',
      { x: { type: 'uniform', low: 1, high: 1 } },
      /low \(1\) must be less than high \(1\)/,
      '/x/low',
    ],
    [
      'low > high',
      { lr: { type: 'log_uniform', low: 0.3, high: 0.01 } },
      /parameter 'lr': low \(0.3\) must be less/,
      '/lr/low',
    ],
    [
      'log_uniform with low = 0',
      { lr: { type: 'log_uniform', low: 0, high: 1 } },
      /low must be > 0 for a log_uniform/,
      '/lr/low',
    ],
    [
      'log_uniform with low < 0',
      { lr: { type: 'log_uniform', low: -1, high: 1 } },
      /low must be > 0/,
      '/lr/low',
    ],
    [
      'int log with low 0',
      { n: { type: 'int', low: 0, high: 9, log: true } },
      /low must be >= 1 when log is true/,
      '/n/low',
    ],
    [
      'int log with a step',
      { n: { type: 'int', low: 1, high: 9, log: true, step: 2 } },
      /step must be 1 when log/,
      '/n/step',
    ],
    [
      'a fractional int bound',
      { n: { type: 'int', low: 0.5, high: 9 } },
      /'low' must be an integer, got 0.5/,
      '/n/low',
    ],
    [
      'a zero step',
      { n: { type: 'int', low: 0, high: 9, step: 0 } },
      /step must be a positive integer/,
      '/n/step',
    ],
    [
      'a step not dividing the range',
      { n: { type: 'int', low: 0, high: 9, step: 2 } },
      /must be a multiple of step/,
      '/n/high',
    ],
    [
      'a non-boolean log',
      { n: { type: 'int', low: 1, high: 9, log: 'yes' } },
      /log must be true or false/,
      '/n/log',
    ],
    [
      'empty choices',
      { algo: { type: 'categorical', choices: [] } },
      /parameter 'algo': choices must be a non-empty list/,
      '/algo/choices',
    ],
    ['missing choices', { algo: { type: 'categorical' } }, /'choices' is required/, '/algo/choices'],
    [
      'a repeated choice',
      { algo: { type: 'categorical', choices: ['a', 'a'] } },
      /choice "a" is repeated/,
      '/algo/choices/1',
    ],
    [
      'an object choice',
      { algo: { type: 'categorical', choices: [{}] } },
      /must be a string, a finite number/,
      '/algo/choices/0',
    ],
    [
      'a grid on a categorical',
      { a: { type: 'categorical', choices: [1], num: 2 } },
      /unknown field 'num' for type categorical/,
      '/a/num',
    ],
    [
      'grid and num together',
      { x: { type: 'uniform', low: 0, high: 1, num: 2, grid: [0] } },
      /either 'grid' or 'num'/,
      '/x/grid',
    ],
    ['num below 2', { x: { type: 'uniform', low: 0, high: 1, num: 1 } }, /num must be at least 2/, '/x/num'],
    [
      'a grid value out of range',
      { x: { type: 'uniform', low: 0, high: 1, grid: [0, 2] } },
      /grid value 2 is outside \[0, 1\]/,
      '/x/grid/1',
    ],
    [
      'an off-step int grid value',
      { n: { type: 'int', low: 0, high: 8, step: 2, grid: [3] } },
      /grid value 3 is not low \+ a multiple/,
      '/n/grid/0',
    ],
    [
      'a malformed when',
      { x: { type: 'uniform', low: 0, high: 1, when: 'algo' } },
      /when must be a mapping/,
      '/x/when',
    ],
    [
      'an empty when.in',
      {
        a: { type: 'categorical', choices: [1] },
        x: { type: 'uniform', low: 0, high: 1, when: { param: 'a', in: [] } },
      },
      /when.in must be a non-empty list/,
      '/x/when/in',
    ],
    [
      'a when on an unknown parameter',
      { max_depth: { type: 'int', low: 2, high: 8, when: { param: 'algo', in: ['gbdt'] } } },
      /parameter 'max_depth': when.param 'algo' is not a parameter of this space/,
      '/max_depth/when/param',
    ],
    [
      'a when on a numeric parameter',
      {
        lr: { type: 'uniform', low: 0, high: 1 },
        d: { type: 'int', low: 1, high: 3, when: { param: 'lr', in: [0.5] } },
      },
      /parameter 'd': when.param 'lr' must be a categorical parameter, not uniform/,
      '/d/when/param',
    ],
    [
      'a when value that is not a choice',
      {
        algo: { type: 'categorical', choices: ['gbdt'] },
        d: { type: 'int', low: 1, high: 3, when: { param: 'algo', in: ['rf'] } },
      },
      /when.in value "rf" is not a choice of 'algo'/,
      '/d/when/in/0',
    ],
    [
      'a when on itself',
      { a: { type: 'categorical', choices: [1], when: { param: 'a', in: [1] } } },
      /when.param cannot name itself/,
      '/a/when/param',
    ],
    [
      'a cycle in when',
      {
        a: { type: 'categorical', choices: ['x', 'y'], when: { param: 'c', in: ['x'] } },
        b: { type: 'categorical', choices: ['x', 'y'], when: { param: 'a', in: ['x'] } },
        c: { type: 'categorical', choices: ['x', 'y'], when: { param: 'b', in: ['y'] } },
      },
      /parameters form a cycle through 'when': a -> c -> b -> a/,
      '/a/when/param',
    ],
  ];

  it.each(bad)('rejects %s', (_, raw, message, field) => {
    const err = errorOf(raw);
    expect(err.message).toMatch(message);
    expect(err.details.field).toBe(field);
  });
});
