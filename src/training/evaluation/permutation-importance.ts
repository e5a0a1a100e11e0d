import { invalid } from '../../core/index.js';
import type { FeatureMatrix } from '../model.entity.js';
import { createRandom, shuffle } from '../random.js';

/** A score of predictions against the truth, e.g. `(y, p) => classificationMetrics('binary', y, p).accuracy`. */
export type ScoreFunction = (yTrue: Float64Array, predictions: Float64Array) => number;

export interface PermutationImportanceOptions {
  /** Shuffles per column (sklearn's n_repeats); default 5. */
  nRepeats?: number;
  /** Seed of the shuffles: the same seed, model and data give the same importances; default 0. */
  seed?: number;
  /** False for a loss (lower is better): the importance is then how much the loss grows. Default true. */
  greaterIsBetter?: boolean;
}

export interface FeatureImportance {
  feature: string;
  /** Mean over the repeats of the score's drop when this column is shuffled. */
  mean: number;
  /** Population standard deviation (numpy's std, ddof 0) of the drops, as sklearn's importances_std. */
  std: number;
  drops: number[];
}

export interface PermutationImportance {
  baseline: number;
  features: FeatureImportance[];
}

/**
 * sklearn's permutation_importance: the drop of the score when one column's values are shuffled among
 * the rows, which breaks that column's link to the target and keeps its distribution. The shuffles come
 * from one seeded stream (training's generator) consumed column by column, repeat by repeat, so they differ from sklearn's.
 */
export function permutationImportance(
  predict: (x: FeatureMatrix) => Float64Array,
  x: FeatureMatrix,
  y: Float64Array,
  score: ScoreFunction,
  options: PermutationImportanceOptions = {},
): PermutationImportance {
  const { rows, columns } = x;
  const nRepeats = options.nRepeats ?? 5;
  const sign = (options.greaterIsBetter ?? true) ? 1 : -1;
  if (rows === 0) throw invalid('permutation importance needs at least one row', { field: 'x', rows });
  if (x.values.length !== rows * columns) {
    throw invalid(
      `x holds ${x.values.length} values; ${rows} rows x ${columns} columns need ${rows * columns}`,
      {
        field: 'x',
        expected: rows * columns,
        actual: x.values.length,
      },
    );
  }
  if (y.length !== rows) {
    throw invalid(`x has ${rows} rows but y has ${y.length}`, {
      field: 'y',
      expected: rows,
      actual: y.length,
    });
  }
  if (!Number.isInteger(nRepeats) || nRepeats < 1) {
    throw invalid(`nRepeats must be a whole number >= 1, got ${nRepeats}`, {
      field: 'nRepeats',
      value: nRepeats,
    });
  }
  // The caller's matrix is never touched: the model may share it, and a failed predict must not leave a
  // column shuffled.
  const values = Float64Array.from(x.values);
  const working: FeatureMatrix = { ...x, values };
  const scoreOf = (what: string): number => {
    const s = score(y, predict(working));
    if (!Number.isFinite(s)) {
      throw invalid(`the score function returned ${s} for ${what}: it must return a finite number`, {
        field: 'score',
      });
    }
    return s;
  };
  const baseline = scoreOf('the unshuffled data');
  const rng = createRandom(options.seed ?? 0);
  const features: FeatureImportance[] = [];
  for (let j = 0; j < columns; j++) {
    const original = x.values.subarray(j * rows, (j + 1) * rows);
    const column = values.subarray(j * rows, (j + 1) * rows);
    const name = x.names[j] ?? `column ${j}`;
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      column.set(original);
      shuffle(rng, column);
      drops.push(sign * (baseline - scoreOf(`'${name}' shuffled`)));
    }
    column.set(original);
    const mean = drops.reduce((a, b) => a + b, 0) / nRepeats;
    const variance = drops.reduce((a, d) => a + (d - mean) ** 2, 0) / nRepeats;
    features.push({ feature: name, mean, std: Math.sqrt(variance), drops });
  }
  return { baseline, features };
}
