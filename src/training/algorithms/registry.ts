import { invalid } from '../../core/index.js';
import type { FitOptions, Model, Task, TrainingData } from '../model.entity.js';
import {
  fitLogistic,
  fitRidge,
  LOGISTIC_PARAMS,
  loadLogistic,
  loadRidge,
  RIDGE_PARAMS,
} from './linear/index.js';
import type { ParamSpec } from './params.js';
import { FOREST_PARAMS, fitForest, loadForest } from './trees/forest.js';
import { fitGbdt, GBDT_PARAMS, loadGbdt } from './trees/gbdt.js';

/** A built-in training algorithm: what it fits, its hyperparameters, and how its models load back. */
export interface Algorithm {
  name: string;
  title: string;
  tasks: readonly Task[];
  params: readonly ParamSpec[];
  /** Iterative algorithms report per-iteration losses (boosting rounds, optimizer steps). */
  fit(data: TrainingData, params: Readonly<Record<string, unknown>>, options: FitOptions): Model;
  load(json: Record<string, unknown>): Model;
}

export const ALGORITHMS: readonly Algorithm[] = [
  {
    name: 'gbdt',
    title: 'Histogram gradient-boosted trees',
    tasks: ['regression', 'binary', 'multiclass'],
    params: GBDT_PARAMS,
    fit: fitGbdt,
    load: loadGbdt,
  },
  {
    name: 'random_forest',
    title: 'Random forest',
    tasks: ['regression', 'binary', 'multiclass'],
    params: FOREST_PARAMS,
    fit: fitForest,
    load: loadForest,
  },
  {
    name: 'logistic',
    title: 'Logistic regression (L2, L-BFGS)',
    tasks: ['binary', 'multiclass'],
    params: LOGISTIC_PARAMS,
    fit: fitLogistic,
    load: loadLogistic,
  },
  {
    name: 'ridge',
    title: 'Linear regression (ridge)',
    tasks: ['regression'],
    params: RIDGE_PARAMS,
    fit: fitRidge,
    load: loadRidge,
  },
];

/** The algorithm of that name, or a clear error listing the known ones. */
export function algorithmNamed(name: string): Algorithm {
  const found = ALGORITHMS.find((a) => a.name === name);
  if (!found) {
    throw invalid(`algorithm: unknown '${name}' (known: ${ALGORITHMS.map((a) => a.name).join(', ')})`, {
      field: 'algorithm',
    });
  }
  return found;
}

/** Refuses an algorithm that cannot do the task (ridge classifying, logistic regressing). */
export function checkAlgorithmTask(algorithm: Algorithm, task: Task): void {
  if (!algorithm.tasks.includes(task)) {
    throw invalid(
      `algorithm '${algorithm.name}' does not do ${task} (it does ${algorithm.tasks.join(', ')}); ${
        task === 'regression'
          ? 'for regression use gbdt, random_forest or ridge'
          : 'for classes use gbdt, random_forest or logistic'
      }`,
      { field: 'algorithm' },
    );
  }
}

/** A built-in model from the JSON its `toJSON` wrote, by the algorithm named beside it. */
export function loadBuiltinModel(algorithm: string, json: Record<string, unknown>): Model {
  return algorithmNamed(algorithm).load(json);
}
