import { CyclopsError, invalid } from '../../../core/index.js';
import type { TrainingData } from '../../model.entity.js';

/** Row weights: the given ones (finite, >= 0, not all 0) or all 1. */
export function rowWeights(data: TrainingData, algorithm: string): Float64Array {
  const n = data.x.rows;
  if (data.y.length !== n) {
    throw invalid(`${algorithm}: ${data.y.length} target values for ${n} rows`, { field: '/y' });
  }
  if (n === 0) throw invalid(`${algorithm}: no rows to fit`, { field: '/x' });
  if (!data.weights) return new Float64Array(n).fill(1);
  if (data.weights.length !== n) {
    throw invalid(`${algorithm}: ${data.weights.length} weights for ${n} rows`, { field: '/weights' });
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = data.weights[i]!;
    if (!(Number.isFinite(w) && w >= 0)) {
      throw invalid(`${algorithm}: weight ${w} in row ${i}; weights must be finite and >= 0`, {
        field: '/weights',
        row: i,
      });
    }
    total += w;
  }
  if (total <= 0) throw invalid(`${algorithm}: every row weight is 0`, { field: '/weights' });
  return data.weights;
}

/** A regression target: finite numbers. */
export function assertFiniteTarget(y: Float64Array, algorithm: string): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) {
      throw invalid(`${algorithm}: the target is ${y[i]} in row ${i}; it must be a finite number`, {
        field: '/y',
        row: i,
      });
    }
  }
}

/**
 * The class labels of a classification target, checking every code is one of them and that at least
 * two classes occur (with one class there is nothing to separate).
 */
export function classLabels(data: TrainingData, algorithm: string): string[] {
  let top = -1;
  for (let i = 0; i < data.y.length; i++) top = Math.max(top, data.y[i]!);
  const labels =
    data.classes ??
    Array.from({ length: data.task === 'binary' ? 2 : Math.max(top + 1, 0) }, (_, c) => String(c));
  if (data.task === 'binary' && labels.length !== 2) {
    throw invalid(`${algorithm}: a binary task needs 2 classes, got ${labels.length}`, { field: '/classes' });
  }
  const seen = new Uint8Array(labels.length);
  for (let i = 0; i < data.y.length; i++) {
    const c = data.y[i]!;
    if (!(Number.isInteger(c) && c >= 0 && c < labels.length)) {
      throw invalid(
        `${algorithm}: the target is ${c} in row ${i}; it must be a class code 0..${labels.length - 1}`,
        {
          field: '/y',
          row: i,
        },
      );
    }
    seen[c] = 1;
  }
  const present = seen.reduce((a, b) => a + b, 0);
  if (present < 2) {
    throw invalid(`${algorithm}: the target has ${present} class(es); it needs at least 2`, { field: '/y' });
  }
  return [...labels];
}

/** The error a fit stopped through `signal` throws: the signal's reason when it is already ours. */
export function fitCancelled(algorithm: string, signal: AbortSignal): CyclopsError {
  return signal.reason instanceof CyclopsError
    ? signal.reason
    : new CyclopsError(
        'unavailable',
        `${algorithm}: the fit was cancelled`,
        { reason: 'cancelled' },
        {
          cause: signal.reason,
        },
      );
}
