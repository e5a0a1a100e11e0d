import { evaluate, metricsBySlice } from './evaluation/index.js';
import type { FitTaskOutput } from './fit-task.js';
import type { TrainingData } from './model.entity.js';
import type { TrainingReport } from './training.entity.js';

/** Curve points kept per class in a stored report: plenty for a plot, a few KB instead of megabytes. */
const CURVE_POINTS = 200;

/**
 * The stored evaluation of a trained model on `data` (its predictions from the fit task): the KPI set,
 * curves and calibration, feature importance by gain and by permutation, metrics per slice, and the
 * per-iteration losses.
 */
export function buildReport(
  data: TrainingData,
  evaluatedOn: TrainingReport['evaluatedOn'],
  fitted: FitTaskOutput,
  sliceBy: { column: string; keys: (string | null)[] } | null,
): TrainingReport {
  const predictions = fitted.predictions as Float64Array;
  const classes = data.classes?.length;
  const options = { maxCurvePoints: CURVE_POINTS, ...(classes ? { classes } : {}) };
  const evaluation = evaluate(data.task, data.y, predictions, options);
  const names = data.x.names;
  const slices = sliceBy
    ? {
        column: sliceBy.column,
        slices: (
          metricsBySlice(
            data.task as 'binary',
            data.y,
            predictions,
            sliceBy.keys,
            classes ? { classes } : {},
          ) as {
            key: string | number | null;
            rows: number;
            metrics: object | null;
          }[]
        ).map((s) => ({ key: s.key, rows: s.rows, metrics: s.metrics ? flatMetrics(s.metrics) : null })),
      }
    : null;
  return {
    evaluatedOn,
    evaluation,
    featureImportance: {
      gain: fitted.importance
        ? fitted.importance.map((importance, j) => ({ feature: names[j] as string, importance }))
        : null,
      permutation: fitted.permutation?.features.length ? fitted.permutation.features : null,
      permutationScore: fitted.permutation?.score ?? null,
    },
    slices,
    history: fitted.history,
  };
}

/** A metrics object as tracking metric names: camelCase keys in snake_case, numbers and nulls only. */
export function flatMetrics(metrics: object): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' && value !== null) continue;
    out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value;
  }
  return out;
}
