// The worker-thread side of training: runs on an Executor thread so a fit never blocks the server's
// event loop. Input and output are structured-cloned (the feature arrays are transferred, not copied).
import { algorithmNamed } from './algorithms/registry.js';
import {
  classificationMetrics,
  permutationImportance,
  regressionMetrics,
  type ScoreFunction,
} from './evaluation/index.js';
import type { FeatureMatrix, Model, Task, TrainingData } from './model.entity.js';
import { ProgressBuffer } from './progress-buffer.js';
import { createRandom, sample } from './random.js';

/** A TrainingData in the plain form that crosses a thread. */
export interface WireData {
  rows: number;
  columns: number;
  values: Float64Array;
  names: string[];
  categories: (string[] | null)[];
  y: Float64Array;
  task: Task;
  classes?: string[];
}

export interface FitTaskInput {
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  train: WireData;
  validation?: WireData;
  /**
   * Live progress (progress-buffer.ts): iterations done, a stop flag, and each iteration's losses, for
   * progress bars and for pruning tuning trials while they train.
   */
  progress?: SharedArrayBuffer;
  /** Data to predict with the fitted model (the evaluation data), and whether to measure permutation importance on it. */
  evaluate?: { data: WireData; permutation: boolean };
}

export interface FitTaskOutput {
  model: Record<string, unknown>;
  /** Per-iteration metrics (losses), as the algorithm reported them. */
  history: { step: number; metrics: Record<string, number> }[];
  importance: number[] | null;
  /** The model's outputs for the evaluation data (`outputs` per row). */
  predictions: Float64Array | null;
  permutation: { score: string; features: { feature: string; mean: number; std: number }[] } | null;
}

/** Permutation importance looks at this many evaluation rows at most (a seeded sample). */
const PERMUTATION_ROWS = 5000;

export function toWire(data: TrainingData): WireData {
  const { x } = data;
  return {
    rows: x.rows,
    columns: x.columns,
    values: x.values,
    names: x.names,
    categories: x.categories,
    y: data.y,
    task: data.task,
    ...(data.classes ? { classes: data.classes } : {}),
  };
}

export function fromWire(w: WireData): TrainingData {
  const x: FeatureMatrix = {
    rows: w.rows,
    columns: w.columns,
    values: w.values,
    names: w.names,
    categories: w.categories,
  };
  return { x, y: w.y, task: w.task, ...(w.classes ? { classes: w.classes } : {}) };
}

export function fitModelTask(input: FitTaskInput): FitTaskOutput {
  const algorithm = algorithmNamed(input.algorithm);
  const progress = input.progress ? new ProgressBuffer(input.progress) : null;
  const history: FitTaskOutput['history'] = [];
  const model = algorithm.fit(fromWire(input.train), input.params, {
    seed: input.seed,
    ...(input.validation ? { validation: fromWire(input.validation) } : {}),
    onIteration: (step, metrics) => {
      if (Object.keys(metrics).length > 0) history.push({ step, metrics: { ...metrics } });
      if (progress) {
        progress.record(step, metrics);
        if (progress.stopRequested) return false;
      }
      return undefined;
    },
  });
  const importance = model.featureImportance?.();
  const evaluation = input.evaluate ? fromWire(input.evaluate.data) : null;
  return {
    model: model.toJSON(),
    history,
    importance: importance ? Array.from(importance) : null,
    predictions: evaluation ? model.predict(evaluation.x) : null,
    permutation:
      evaluation && input.evaluate?.permutation ? permutation(model, evaluation, input.seed) : null,
  };
}

/**
 * How much the evaluation score drops when one feature's values are shuffled (3 repeats), on up to
 * 5,000 rows: ROC AUC for two classes, accuracy for more, R2 for regression.
 */
function permutation(
  model: Model,
  data: TrainingData,
  seed: number,
): NonNullable<FitTaskOutput['permutation']> {
  const rows =
    data.x.rows > PERMUTATION_ROWS ? sample(createRandom(seed), data.x.rows, PERMUTATION_ROWS) : null;
  const subset = rows ? sampleRows(data, rows) : data;
  const classes = data.classes?.length ?? 2;
  const [name, score]: [string, ScoreFunction] =
    data.task === 'regression'
      ? ['r2', (y, p) => regressionMetrics(y, p).r2 ?? Number.NaN]
      : data.task === 'binary'
        ? ['roc_auc', (y, p) => classificationMetrics('binary', y, p).rocAuc ?? Number.NaN]
        : ['accuracy', (y, p) => classificationMetrics('multiclass', y, p, { classes }).accuracy];
  try {
    const result = permutationImportance((x) => model.predict(x), subset.x, subset.y, score, {
      nRepeats: 3,
      seed,
    });
    return {
      score: name,
      features: result.features.map((f) => ({ feature: f.feature, mean: f.mean, std: f.std })),
    };
  } catch {
    // The score is undefined on this data (one class in the sample, say): no importances, not a failure.
    return { score: name, features: [] };
  }
}

function sampleRows(data: TrainingData, rows: Uint32Array): TrainingData {
  const { x } = data;
  const values = new Float64Array(rows.length * x.columns);
  for (let j = 0; j < x.columns; j++) {
    for (let k = 0; k < rows.length; k++)
      values[j * rows.length + k] = x.values[j * x.rows + (rows[k] as number)] as number;
  }
  return {
    ...data,
    x: { ...x, rows: rows.length, values },
    y: Float64Array.from(rows, (i) => data.y[i] as number),
  };
}
