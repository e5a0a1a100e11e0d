import type { BundleManifest } from '../contracts/index.js';
import type { RequestContext } from '../core/index.js';
import type { DatasetService } from '../data/index.js';
import type { LoadedBundle } from './bundle/loaded-bundle.js';
import type { FeatureSchema } from './data/feature-schema.js';
import { loadTrainingData } from './data/load-matrix.js';
import { type EvaluationReport, evaluate, metricsBySlice } from './evaluation/index.js';
import { keepTarget, readSliceKeys } from './prepare.js';
import type { VersionRef } from './training.entity.js';
import { flatMetrics } from './training-report.js';

export interface BundleEvaluation {
  dataset: string;
  version: number;
  rows: number;
  droppedMissingTarget: number;
  metrics: Record<string, number | null>;
  evaluation: EvaluationReport;
  slices: {
    column: string;
    slices: { key: string | number | null; rows: number; metrics: Record<string, number | null> | null }[];
  } | null;
}

/**
 * A model bundle (built-in or ONNX) scored on a dataset version, as batch scoring will: the bundle's
 * transform applied in DuckDB, its features encoded as at training time, its target read from the
 * data, and the whole KPI set computed on the predictions.
 */
export async function evaluateBundle(
  ctx: RequestContext,
  datasets: DatasetService,
  bundle: LoadedBundle,
  ref: VersionRef,
  sliceBy?: string,
): Promise<BundleEvaluation> {
  const manifest = bundle.manifest;
  const version = await datasets.resolveVersion(ctx, ref.dataset, ref.version);
  const schema = schemaOf(manifest);
  const loaded = await datasets.withVersionTables(
    ctx,
    [{ name: version.dataset, version: version.version }],
    async (session, [table]) => {
      let ready = table as string;
      if (manifest.transform) {
        ready = 'transformed';
        await keepTarget(session, table as string, manifest.transform, schema.target, ready);
      }
      const data = await loadTrainingData(
        session,
        ready,
        schema,
        `${version.dataset} version ${version.version}`,
      );
      const keys = sliceBy ? await readSliceKeys(session, table as string, sliceBy, schema, ready) : null;
      return { ...data, keys };
    },
  );
  const { data } = loaded;
  const predictions = await bundle.predictMatrix(data.x);
  const classes = data.classes?.length;
  const options = classes ? { classes } : {};
  const evaluation = evaluate(data.task, data.y, predictions, { ...options, maxCurvePoints: 200 });
  const slices =
    sliceBy && loaded.keys
      ? {
          column: sliceBy,
          slices: (
            metricsBySlice(data.task as 'binary', data.y, predictions, loaded.keys, options) as {
              key: string | number | null;
              rows: number;
              metrics: object | null;
            }[]
          ).map((s) => ({ key: s.key, rows: s.rows, metrics: s.metrics ? flatMetrics(s.metrics) : null })),
        }
      : null;
  return {
    dataset: version.dataset,
    version: version.version,
    rows: data.x.rows,
    droppedMissingTarget: loaded.droppedRows,
    metrics: flatMetrics(evaluation.metrics),
    evaluation,
    slices,
  };
}

/** The feature schema a bundle was trained with, read back from its manifest. */
function schemaOf(manifest: BundleManifest): FeatureSchema {
  return {
    features: manifest.features.map((f) => ({
      name: f.name,
      kind: f.kind,
      ...(f.categories ? { categories: f.categories } : {}),
    })),
    target: manifest.signature.target,
    task: manifest.task,
    ...(manifest.signature.classes ? { classes: manifest.signature.classes } : {}),
    skipped: [],
  };
}
