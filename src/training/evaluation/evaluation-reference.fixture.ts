import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type {
  CalibrationBin,
  ClassificationMetrics,
  ClassificationTask,
  PrCurve,
  RegressionMetrics,
  RocCurve,
} from './index.js';

/**
 * test/fixtures/evaluation-reference.json, written by evaluation-reference.py with scikit-learn 1.2.1:
 * the inputs and sklearn's outputs, under the null conventions of evaluation.entity.ts.
 */
const REFERENCE = new URL('../../../test/fixtures/evaluation-reference.json', import.meta.url);

export interface ReferenceSlices<M> {
  keys: (string | number | null)[];
  minRows: number;
  expected: { key: string | number | null; rows: number; metrics: M | null }[];
}

export interface ClassificationCase {
  name: string;
  task: ClassificationTask;
  classes: number;
  yTrue: number[];
  probabilities: number[];
  weights: number[] | null;
  expected: {
    metrics: ClassificationMetrics;
    confusionMatrix: number[][];
    rocCurves: RocCurve[];
    prCurves: PrCurve[];
    calibration: {
      edges: number[];
      counts: number[];
      fractionPositive: number[];
      meanPredicted: number[];
    } | null;
  };
  sklearnSubstitutes: Record<string, number>;
  slices?: ReferenceSlices<ClassificationMetrics>;
}

export interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  weights: number[] | null;
  expected: { metrics: RegressionMetrics };
  sklearnSubstitutes: Record<string, number>;
  slices?: ReferenceSlices<RegressionMetrics>;
}

export interface Reference {
  sklearn: string;
  classification: ClassificationCase[];
  regression: RegressionCase[];
}

export const reference = JSON.parse(await readFile(REFERENCE, 'utf8')) as Reference;

export const f64 = (values: readonly number[]): Float64Array => Float64Array.from(values);
export const weightsOf = (c: { weights: number[] | null }): Float64Array | undefined =>
  c.weights === null ? undefined : f64(c.weights);

/** Within 1e-9 relative; an absolute 1e-12 near zero, where a relative bound means nothing. */
export function close(ours: number, theirs: number): boolean {
  const diff = Math.abs(ours - theirs);
  return diff <= 1e-9 * Math.max(Math.abs(ours), Math.abs(theirs)) || diff <= 1e-12;
}

/** Numbers within `close`, nulls equal, arrays the same length, object keys the same: one message per miss. */
export function mismatches(ours: unknown, theirs: unknown, path = ''): string[] {
  if (typeof theirs === 'number' && typeof ours === 'number') {
    return close(ours, theirs) ? [] : [`${path}: ${ours} vs sklearn ${theirs}`];
  }
  if (Array.isArray(theirs) && Array.isArray(ours)) {
    if (ours.length !== theirs.length) return [`${path}: ${ours.length} values vs sklearn ${theirs.length}`];
    return theirs.flatMap((t, i) => mismatches(ours[i], t, `${path}[${i}]`));
  }
  if (theirs !== null && typeof theirs === 'object' && ours !== null && typeof ours === 'object') {
    const keys = Object.keys(theirs);
    const extra = Object.keys(ours).filter((k) => !(k in theirs));
    return [
      ...extra.map((k) => `${path}.${k}: not in the reference`),
      ...keys.flatMap((k) =>
        mismatches(
          (ours as Record<string, unknown>)[k],
          (theirs as Record<string, unknown>)[k],
          `${path}.${k}`,
        ),
      ),
    ];
  }
  return ours === theirs ? [] : [`${path}: ${JSON.stringify(ours)} vs sklearn ${JSON.stringify(theirs)}`];
}

export function expectAgreement(ours: unknown, theirs: unknown, label: string): void {
  expect(mismatches(ours, theirs, label)).toEqual([]);
}

/** The calibration table's non-empty bins against sklearn's calibration_curve, counts exact. */
export function calibrationMismatches(
  ours: CalibrationBin[],
  theirs: NonNullable<ClassificationCase['expected']['calibration']>,
): string[] {
  const filled = ours.filter((b) => b.count > 0);
  return [
    ...mismatches(
      ours.map((b) => b.lower),
      theirs.edges.slice(0, -1),
      'lower',
    ),
    ...mismatches(
      ours.map((b) => b.upper),
      theirs.edges.slice(1),
      'upper',
    ),
    ...(ours.map((b) => b.count).join() === theirs.counts.join() ? [] : ['counts differ']),
    ...mismatches(
      filled.map((b) => b.fractionPositive),
      theirs.fractionPositive,
      'fractionPositive',
    ),
    ...mismatches(
      filled.map((b) => b.meanPredicted),
      theirs.meanPredicted,
      'meanPredicted',
    ),
  ];
}
