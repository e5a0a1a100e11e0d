import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../../core/index.js';
import { parseStudyConfig } from './study-config.js';

const BASE = {
  name: 'iris-gbdt',
  train: { dataset: 'iris-train' },
  validation: 'iris-valid@2',
  target: 'species',
  algorithm: 'gbdt',
  space: {
    learning_rate: { type: 'log_uniform', low: 0.01, high: 0.3 },
    max_depth: { type: 'int', low: 2, high: 8 },
  },
  metric: 'accuracy',
  n_trials: 10,
};

const COMPARE = {
  ...BASE,
  algorithm: undefined,
  space: {
    algorithm: { type: 'categorical', choices: ['gbdt', 'random_forest'] },
    learning_rate: { type: 'log_uniform', low: 0.01, high: 0.3, when: { param: 'algorithm', in: ['gbdt'] } },
    n_estimators: { type: 'int', low: 10, high: 50, when: { param: 'algorithm', in: ['random_forest'] } },
    max_depth: { type: 'int', low: 2, high: 8 },
  },
};

function withPatch(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...patch };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

function errorOf(raw: unknown): CyclopsError {
  try {
    parseStudyConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    expect((err as CyclopsError).code).toBe('invalid_argument');
    return err as CyclopsError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('parseStudyConfig', () => {
  it('fills the defaults: direction from the metric, tpe, concurrency 1, seed 0, no pruner', () => {
    const config = parseStudyConfig(withPatch(BASE, {}));
    expect(config).toMatchObject({
      name: 'iris-gbdt',
      train: { dataset: 'iris-train' },
      validation: { dataset: 'iris-valid', version: 2 },
      target: 'species',
      algorithm: 'gbdt',
      algorithms: ['gbdt'],
      fixedParams: {},
      metric: 'accuracy',
      direction: 'maximize',
      sampler: 'tpe',
      nTrials: 10,
      concurrency: 1,
      seed: 0,
      pruner: 'none',
      permutationImportance: false,
    });
    expect(config.space.params.map((p) => p.name)).toEqual(['learning_rate', 'max_depth']);
    expect(config.test).toBeUndefined();
  });

  it('minimizes losses and errors by default, and takes an explicit direction', () => {
    expect(parseStudyConfig(withPatch(BASE, { metric: 'log_loss' })).direction).toBe('minimize');
    expect(parseStudyConfig(withPatch(BASE, { metric: 'brier_score' })).direction).toBe('minimize');
    expect(parseStudyConfig(withPatch(BASE, { metric: 'roc_auc' })).direction).toBe('maximize');
    const regression = withPatch(BASE, { task: 'regression' });
    for (const m of ['rmse', 'mae', 'mape', 'max_error', 'median_absolute_error'])
      expect(parseStudyConfig({ ...regression, metric: m }).direction).toBe('minimize');
    expect(parseStudyConfig({ ...regression, metric: 'r2' }).direction).toBe('maximize');
    expect(parseStudyConfig(withPatch(BASE, { metric: 'accuracy', direction: 'minimize' })).direction).toBe(
      'minimize',
    );
  });

  it('accepts a categorical algorithm parameter with conditional parameters per algorithm', () => {
    const config = parseStudyConfig(withPatch(COMPARE, { fixed_params: { max_iter: 20, bootstrap: true } }));
    expect(config.algorithm).toBeUndefined();
    expect(config.algorithms).toEqual(['gbdt', 'random_forest']);
    expect(config.fixedParams).toEqual({ max_iter: 20, bootstrap: true });
  });

  it('accepts every optional field', () => {
    const config = parseStudyConfig(
      withPatch(BASE, {
        test: { dataset: 'iris-test', version: 1 },
        task: 'multiclass',
        sampler: 'random',
        concurrency: 4,
        seed: 7,
        pruner: 'none',
        experiment: 'tuning',
        transform: { steps: [{ type: 'scale', columns: ['sepal_length'], method: 'standard' }] },
        features: ['sepal_length', 'petal_length'],
        permutation_importance: true,
      }),
    );
    expect(config).toMatchObject({
      test: { dataset: 'iris-test', version: 1 },
      task: 'multiclass',
      sampler: 'random',
      concurrency: 4,
      seed: 7,
      experiment: 'tuning',
      features: ['sepal_length', 'petal_length'],
      permutationImportance: true,
    });
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['not a mapping', ['x'], '', /a study config must be a mapping/],
    [
      'an unknown field',
      withPatch(BASE, { n_trial: 3 }),
      '/n_trial',
      /^n_trial: unknown field \(known: name, /,
    ],
    ['no name', withPatch(BASE, { name: undefined }), '/name', /^name: is required/],
    ['a blank name', withPatch(BASE, { name: '  ' }), '/name', /^name: must be a non-empty string/],
    ['a long name', withPatch(BASE, { name: 'x'.repeat(201) }), '/name', /^name: must be at most 200/],
    ['no train', withPatch(BASE, { train: undefined }), '/train', /^train: is required/],
    ['a train number', withPatch(BASE, { train: 3 }), '/train', /^train: must be \{ dataset, version\? \}/],
    ['a train without dataset', withPatch(BASE, { train: { version: 1 } }), '/train/dataset', /is required/],
    ['a train field', withPatch(BASE, { train: { dataset: 'a', v: 1 } }), '/train/v', /unknown field/],
    ['a train version 0', withPatch(BASE, { train: { dataset: 'a', version: 0 } }), '/train/version', />= 1/],
    ['a validation version 0', withPatch(BASE, { validation: 'iris@0' }), '/validation', />= 1, got 0/],
    ['a bad test', withPatch(BASE, { test: { dataset: '' } }), '/test/dataset', /must be a dataset name/],
    ['no target', withPatch(BASE, { target: undefined }), '/target', /^target: is required/],
    [
      'a bad task',
      withPatch(BASE, { task: 'ranking' }),
      '/task',
      /^task: must be one of binary, multiclass, regression/,
    ],
    [
      'an unknown algorithm',
      withPatch(BASE, { algorithm: 'xgboost' }),
      '/algorithm',
      /^algorithm: unknown 'xgboost' \(known: gbdt, random_forest, logistic, ridge\)/,
    ],
    [
      'no algorithm',
      withPatch(BASE, { algorithm: undefined }),
      '/algorithm',
      /^algorithm: is required .*categorical 'algorithm' parameter/,
    ],
    [
      'an algorithm both fixed and searched',
      withPatch(COMPARE, { algorithm: 'gbdt' }),
      '/space/algorithm',
      /already fixed/,
    ],
    [
      'an algorithm for another task',
      withPatch(BASE, {
        algorithm: 'ridge',
        task: 'binary',
        space: { alpha: { type: 'uniform', low: 0.1, high: 2 } },
      }),
      '/algorithm',
      /^algorithm: ridge does not do binary/,
    ],
    ['no space', withPatch(BASE, { space: undefined }), '/space', /^space: is required/],
    [
      'a space that is a list',
      withPatch(BASE, { space: [] }),
      '/space',
      /^space: a search space must be a mapping/,
    ],
    [
      'a space low above high',
      withPatch(BASE, { space: { max_depth: { type: 'int', low: 8, high: 2 } } }),
      '/space/max_depth/low',
      /^space\.max_depth\.low: low \(8\) must be less than high \(2\)/,
    ],
    [
      'a space param type',
      withPatch(BASE, { space: { max_depth: { type: 'normal' } } }),
      '/space/max_depth/type',
      /^space\.max_depth\.type: unknown type "normal"/,
    ],
    [
      'a space param the algorithm lacks',
      withPatch(BASE, { space: { alpha: { type: 'uniform', low: 0, high: 1 } } }),
      '/space/alpha',
      /^space\.alpha: not a parameter of gbdt \(its parameters: max_iter, /,
    ],
    [
      'a space range the algorithm refuses',
      withPatch(BASE, { space: { subsample: { type: 'uniform', low: 0.5, high: 1.5 } } }),
      '/space/subsample/high',
      /^space\.subsample\.high: must be <= 1 .*got 1\.5 \(subsample of gbdt\)/,
    ],
    [
      'a continuous space for an integer',
      withPatch(BASE, { space: { max_depth: { type: 'uniform', low: 2, high: 8 } } }),
      '/space/max_depth/type',
      /integer: search it as int/,
    ],
    [
      'a numeric space for a string',
      withPatch(BASE, { space: { early_stopping: { type: 'uniform', low: 0, high: 1 } } }),
      '/space/early_stopping/type',
      /is a string: search it as categorical/,
    ],
    [
      'a bad categorical choice',
      withPatch(BASE, { space: { early_stopping: { type: 'categorical', choices: ['on', 'sometimes'] } } }),
      '/space/early_stopping/choices/1',
      /must be one of auto, on, off, got 'sometimes'/,
    ],
    [
      'an unknown algorithm choice',
      withPatch(COMPARE, { space: { algorithm: { type: 'categorical', choices: ['gbdt', 'svm'] } } }),
      '/space/algorithm/choices/1',
      /unknown algorithm 'svm'/,
    ],
    [
      'a numeric algorithm parameter',
      withPatch(COMPARE, { space: { algorithm: { type: 'int', low: 1, high: 3 } } }),
      '/space/algorithm/type',
      /must be categorical/,
    ],
    [
      'a param for the wrong algorithm',
      withPatch(COMPARE, {
        space: {
          algorithm: { type: 'categorical', choices: ['gbdt', 'random_forest'] },
          learning_rate: { type: 'uniform', low: 0.1, high: 0.2 },
        },
      }),
      '/space/learning_rate',
      /not a parameter of random_forest .*add when: \{ param: algorithm/,
    ],
    [
      'fixed_params not a mapping',
      withPatch(BASE, { fixed_params: [1] }),
      '/fixed_params',
      /must be a mapping/,
    ],
    [
      'a fixed algorithm',
      withPatch(BASE, { fixed_params: { algorithm: 'gbdt' } }),
      '/fixed_params/algorithm',
      /top-level 'algorithm'/,
    ],
    [
      'a fixed param also searched',
      withPatch(BASE, { fixed_params: { max_depth: 3 } }),
      '/fixed_params/max_depth',
      /also in space/,
    ],
    [
      'a fixed param of no algorithm',
      withPatch(BASE, { fixed_params: { n_estimators: 3 } }),
      '/fixed_params/n_estimators',
      /not a parameter of gbdt/,
    ],
    [
      'a fixed param out of range',
      withPatch(BASE, { fixed_params: { max_iter: 0 } }),
      '/fixed_params/max_iter',
      /must be >= 1 .*got 0 \(max_iter of gbdt\)/,
    ],
    [
      'a fixed param object',
      withPatch(BASE, { fixed_params: { max_iter: { a: 1 } } }),
      '/fixed_params/max_iter',
      /a string, a finite number or a boolean/,
    ],
    ['no metric', withPatch(BASE, { metric: undefined }), '/metric', /^metric: is required/],
    [
      'an unknown metric',
      withPatch(BASE, { metric: 'rocauc' }),
      '/metric',
      /^metric: unknown 'rocauc' \(known: accuracy, balanced_accuracy, .*roc_auc.*rmse/,
    ],
    [
      'a metric of another task',
      withPatch(BASE, { metric: 'rmse', task: 'binary' }),
      '/metric',
      /^metric: rmse is not computed for binary \(use one of: accuracy/,
    ],
    [
      'a classification metric for ridge',
      withPatch(BASE, {
        algorithm: 'ridge',
        metric: 'accuracy',
        space: { alpha: { type: 'uniform', low: 0.1, high: 2 } },
      }),
      '/metric',
      /accuracy is not computed for regression/,
    ],
    [
      'a bad direction',
      withPatch(BASE, { direction: 'up' }),
      '/direction',
      /^direction: must be one of maximize, minimize/,
    ],
    [
      'a bad sampler',
      withPatch(BASE, { sampler: 'cmaes' }),
      '/sampler',
      /^sampler: must be one of tpe, random, grid/,
    ],
    [
      'a grid over a continuous range',
      withPatch(BASE, { sampler: 'grid' }),
      '/space/learning_rate',
      /^space\.learning_rate: grid search needs 'grid' or 'num'/,
    ],
    ['no n_trials', withPatch(BASE, { n_trials: undefined }), '/n_trials', /^n_trials: is required/],
    [
      'n_trials 0',
      withPatch(BASE, { n_trials: 0 }),
      '/n_trials',
      /^n_trials: must be between 1 and 10000, got 0/,
    ],
    ['n_trials 2.5', withPatch(BASE, { n_trials: 2.5 }), '/n_trials', /must be an integer/],
    [
      'concurrency 9',
      withPatch(BASE, { concurrency: 9 }),
      '/concurrency',
      /^concurrency: must be between 1 and 8, got 9/,
    ],
    ['a negative seed', withPatch(BASE, { seed: -1 }), '/seed', /^seed: must be between 0 and 2147483647/],
    ['a text seed', withPatch(BASE, { seed: '7' }), '/seed', /^seed: must be an integer/],
    [
      'an unknown pruner (median and successive_halving are known)',
      withPatch(BASE, { pruner: 'hyperband' }),
      '/pruner',
      /^pruner: must be one of none, median, successive_halving/,
    ],
    [
      'a blank experiment',
      withPatch(BASE, { experiment: '' }),
      '/experiment',
      /^experiment: must be a non-empty string/,
    ],
    [
      'a bad transform',
      withPatch(BASE, { transform: { steps: [{ type: 'nope' }] } }),
      '/transform',
      /^transform\.steps\[0\]\.type: unknown transform "nope"/,
    ],
    ['empty features', withPatch(BASE, { features: [] }), '/features', /^features: must be a non-empty list/],
    [
      'a bad feature',
      withPatch(BASE, { features: ['a', 3] }),
      '/features/1',
      /^features\.1: must be a column name/,
    ],
    [
      'a text permutation_importance',
      withPatch(BASE, { permutation_importance: 'yes' }),
      '/permutation_importance',
      /must be true or false/,
    ],
  ];
  it.each(bad)('refuses %s, naming the field', (_what, raw, field, message) => {
    const err = errorOf(raw);
    expect(err.message).toMatch(message);
    expect(err.details.field).toBe(field);
  });
});
