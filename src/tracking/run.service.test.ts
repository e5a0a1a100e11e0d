import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestStore, type TestStore } from '../../test/helpers/stores.js';
import { LocalArtifactStore } from '../artifacts/index.js';
import type { RequestContext } from '../core/index.js';
import { ExperimentService } from './experiment.service.js';
import { RunService } from './run.service.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };

describe.each(BACKENDS)('RunService on %s', (backend) => {
  let t: TestStore;
  let runs: RunService;
  let experiments: ExperimentService;
  beforeAll(async () => {
    t = await openTestStore(backend);
    const artifacts = new LocalArtifactStore(mkdtempSync(join(tmpdir(), 'cyclops-artifacts-')));
    runs = new RunService(t.store.db, artifacts, { writerConcurrency: backend === 'pglite' ? 1 : 3 });
    experiments = new ExperimentService(t.store.db);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('returns a history sorted by step whatever the insertion order, and pages through it', async () => {
    const { info } = await runs.create(ctx, {});
    const steps = Array.from({ length: 3000 }, (_, i) => i);
    // Deterministic shuffle, written in three batches, so rows land far from step order.
    for (let i = steps.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [steps[i], steps[j]] = [steps[j]!, steps[i]!];
    }
    for (let b = 0; b < 3; b++) {
      const metrics = steps
        .slice(b * 1000, b * 1000 + 1000)
        .map((s) => ({ key: 'loss', value: s / 10, step: s, timestamp: 5 }));
      await runs.logBatch(ctx, info.runId, { metrics });
    }
    const whole = await runs.metricHistory(ctx, info.runId, 'loss');
    expect(whole.nextPageToken).toBeUndefined();
    expect(Array.from(whole.series.steps)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(whole.series.values[1234]).toBeCloseTo(123.4, 12);
    expect(whole.series.timestamps.every((ts) => ts === 5)).toBe(true);

    const seen: number[] = [];
    let token: string | undefined;
    do {
      const page = await runs.metricHistory(ctx, info.runId, 'loss', { maxResults: 700, pageToken: token });
      seen.push(...page.series.steps);
      token = page.nextPageToken;
    } while (token);
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it('keeps int64 steps and timestamps exact and non-finite values intact in the packed columns', async () => {
    const { info } = await runs.create(ctx, {});
    const big = 2 ** 53 - 1;
    await runs.logBatch(ctx, info.runId, {
      metrics: [
        { key: 'k', value: Number.NaN, step: -5, timestamp: 0 },
        { key: 'k', value: Number.POSITIVE_INFINITY, step: 0, timestamp: big },
        { key: 'k', value: -0.000123, step: big, timestamp: 1 },
      ],
    });
    const { series } = await runs.metricHistory(ctx, info.runId, 'k');
    expect(Array.from(series.steps)).toEqual([-5, 0, big]);
    expect(Array.from(series.timestamps)).toEqual([0, big, 1]);
    expect(Number.isNaN(series.values[0])).toBe(true);
    expect(series.values[1]).toBe(Number.POSITIVE_INFINITY);
    expect(series.values[2]).toBe(-0.000123);
  });

  it('group commit: one bad request in a group fails alone', async () => {
    const good = await runs.create(ctx, {});
    const doomed = await runs.create(ctx, {});
    await runs.delete(ctx, doomed.info.runId);
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) =>
        runs.logMetric(ctx, good.info.runId, { key: 'g', value: i, step: i }),
      ),
      runs.logMetric(ctx, doomed.info.runId, { key: 'g', value: 1 }),
      runs.logMetric(ctx, 'f'.repeat(32), { key: 'g', value: 1 }),
    ]);
    expect(results.slice(0, 20).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[20]).toMatchObject({ status: 'rejected', reason: { code: 'invalid_argument' } });
    expect(results[21]).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
    const { series } = await runs.metricHistory(ctx, good.info.runId, 'g');
    expect(series.values).toHaveLength(20);
    const run = await runs.get(ctx, good.info.runId);
    expect(run.metrics).toEqual([{ key: 'g', value: 19, step: 19, timestamp: expect.any(Number) }]);
  });

  it('a run of another project is not found', async () => {
    const { info } = await runs.create(ctx, {});
    const other: RequestContext = { ...ctx, projectId: 'elsewhere' };
    await expect(runs.get(other, info.runId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(runs.logMetric(other, info.runId, { key: 'x', value: 1 })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('deleting an experiment deletes its runs, and restoring brings back only those', async () => {
    const exp = await experiments.create(ctx, { name: `cascade-${backend}` });
    const a = await runs.create(ctx, { experimentId: exp.id });
    const b = await runs.create(ctx, { experimentId: exp.id });
    await runs.delete(ctx, b.info.runId);
    await new Promise((r) => setTimeout(r, 5));
    await experiments.delete(ctx, exp.id);
    expect((await runs.get(ctx, a.info.runId)).info.lifecycleStage).toBe('deleted');
    await experiments.restore(ctx, exp.id);
    expect((await runs.get(ctx, a.info.runId)).info.lifecycleStage).toBe('active');
    expect((await runs.get(ctx, b.info.runId)).info.lifecycleStage).toBe('deleted');
  });
});
