import { posix } from 'node:path';
import { invalid } from '../core/index.js';
import type { KeyValue, MetricInput } from './tracking.entity.js';

/**
 * Checks the wire schema cannot express. Keys may become file names (artifact exports), so a key must be
 * its own normal form: no `..`, no leading `/`, no `a//b` (MLflow's rule).
 */
export function checkKey(key: string, field: string): void {
  if (posix.normalize(key) !== key || key.startsWith('/') || key.split('/').includes('..')) {
    throw invalid(`${field}: '${key}' is not a valid key: it must not contain '..', '//' or start with '/'`, {
      field,
    });
  }
}

export function checkBatch(metrics: MetricInput[], params: KeyValue[], tags: KeyValue[]): void {
  metrics.forEach((m, i) => {
    checkKey(m.key, `metrics/${i}/key`);
  });
  const seenParams = new Map<string, string>();
  params.forEach((p, i) => {
    checkKey(p.key, `params/${i}/key`);
    const prior = seenParams.get(p.key);
    if (prior !== undefined && prior !== p.value) {
      throw invalid(`params/${i}: param '${p.key}' appears twice in the batch with different values`, {
        field: `params/${i}/value`,
      });
    }
    seenParams.set(p.key, p.value);
  });
  tags.forEach((t, i) => {
    checkKey(t.key, `tags/${i}/key`);
  });
}

/**
 * Total order of metric points for "latest value": greatest (step, timestamp, value), with NaN above
 * every number as in Postgres, so JS and SQL agree on which point wins.
 */
export function comparePoints(a: MetricInput & { step: number; timestamp: number }, b: typeof a): number {
  if (a.step !== b.step) return a.step < b.step ? -1 : 1;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  const an = Number.isNaN(a.value);
  const bn = Number.isNaN(b.value);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a.value === b.value ? 0 : a.value < b.value ? -1 : 1;
}
