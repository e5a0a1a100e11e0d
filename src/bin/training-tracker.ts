import { Readable } from 'node:stream';
import type { RequestContext } from '../core/index.js';
import type { ExperimentService, RunService } from '../tracking/index.js';
import type { TrainingTracker } from '../training/index.js';

/** Training's TrainingTracker on top of tracking's services: the composition root wires them. */
export function trackingTracker(experiments: ExperimentService, runs: RunService): TrainingTracker {
  return {
    async startRun(ctx, input) {
      const experimentId = input.experiment
        ? await resolveExperiment(ctx, experiments, input.experiment)
        : undefined;
      const run = await runs.create(ctx, {
        experimentId,
        name: input.runName,
        tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })),
      });
      return { runId: run.info.runId, experimentId: run.info.experimentId };
    },
    async log(ctx, runId, batch) {
      const params = Object.entries(batch.params ?? {}).map(([key, value]) => ({
        key,
        value: value.slice(0, 6000),
      }));
      const tags = Object.entries(batch.tags ?? {}).map(([key, value]) => ({ key, value }));
      const metrics = batch.metrics ?? [];
      // Batches hold at most 1,000 metrics and 100 params or tags (tracking's limits).
      for (let i = 0; i < Math.max(params.length, tags.length, 1); i += 100) {
        const p = params.slice(i, i + 100);
        const t = tags.slice(i, i + 100);
        if (p.length || t.length) await runs.logBatch(ctx, runId, { params: p, tags: t });
      }
      for (let i = 0; i < metrics.length; i += 1000)
        await runs.logBatch(ctx, runId, { metrics: metrics.slice(i, i + 1000) });
    },
    async uploadArtifact(ctx, runId, path, bytes) {
      await runs.uploadArtifact(ctx, runId, path, Readable.from([bytes]), Number.MAX_SAFE_INTEGER);
    },
    async endRun(ctx, runId, status) {
      await runs.update(ctx, runId, { status, endTime: Date.now() });
    },
    async readArtifact(ctx, runId, path) {
      return readAll(await runs.downloadArtifact(ctx, runId, path));
    },
  };
}

/** An experiment by id (digits) or by name, created when a name is new. */
async function resolveExperiment(
  ctx: RequestContext,
  experiments: ExperimentService,
  ref: string,
): Promise<string> {
  if (/^\d+$/.test(ref)) return (await experiments.get(ctx, ref)).id;
  try {
    return (await experiments.getByName(ctx, ref)).id;
  } catch {
    return (await experiments.create(ctx, { name: ref })).id;
  }
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
