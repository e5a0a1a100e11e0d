import type { ClassificationMetrics, RegressionMetrics } from '../evaluation/index.js';
import type { Task } from '../model.entity.js';
import type { Direction } from '../tuning/index.js';

// Typed against the evaluation's metric objects, so a metric added there fails to compile here until
// it gets a direction.
const CLASSIFICATION = {
  accuracy: 'maximize',
  balancedAccuracy: 'maximize',
  precision: 'maximize',
  recall: 'maximize',
  f1: 'maximize',
  precisionMacro: 'maximize',
  recallMacro: 'maximize',
  f1Macro: 'maximize',
  precisionWeighted: 'maximize',
  recallWeighted: 'maximize',
  f1Weighted: 'maximize',
  rocAuc: 'maximize',
  averagePrecision: 'maximize',
  logLoss: 'minimize',
  brierScore: 'minimize',
  matthewsCorrcoef: 'maximize',
  cohenKappa: 'maximize',
} as const satisfies Record<keyof ClassificationMetrics, Direction>;

const REGRESSION = {
  rmse: 'minimize',
  mae: 'minimize',
  r2: 'maximize',
  mape: 'minimize',
  explainedVariance: 'maximize',
  maxError: 'minimize',
  medianAbsoluteError: 'minimize',
} as const satisfies Record<keyof RegressionMetrics, Direction>;

export interface StudyMetric {
  direction: Direction;
  tasks: readonly Task[];
}

// The same camelCase -> snake_case mapping as TrainResult.metrics (training-report.ts, flatMetrics).
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const CLASS_TASKS: readonly Task[] = ['binary', 'multiclass'];

/** The metrics a study can optimize: the keys of TrainResult.metrics, with their natural direction. */
export const STUDY_METRICS: ReadonlyMap<string, StudyMetric> = new Map([
  ...Object.entries(CLASSIFICATION).map(
    ([k, direction]) => [snake(k), { direction, tasks: CLASS_TASKS }] as const,
  ),
  ...Object.entries(REGRESSION).map(
    ([k, direction]) => [snake(k), { direction, tasks: ['regression'] as const }] as const,
  ),
]);
