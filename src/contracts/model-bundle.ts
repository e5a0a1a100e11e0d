import { type Static, Type } from 'typebox';
import { ColumnSchema } from './datasets.js';
import { TransformSpec } from './features.js';

/**
 * A model bundle (DESIGN.md principle 6): a directory with `model.json`, this manifest, beside its
 * payload (`payload.json` for a built-in model, `model.onnx` for ONNX). Training, evaluation, batch
 * scoring and serving all load the same bundle, preprocessing included, so training and serving
 * cannot skew. Any layer may read a manifest: its schema lives here.
 */
export const BUNDLE_FORMAT = 'cyclops.bundle.v1';
export const BUNDLE_MANIFEST = 'model.json';

export const Task = Type.Union([
  Type.Literal('regression'),
  Type.Literal('binary'),
  Type.Literal('multiclass'),
]);
export type Task = Static<typeof Task>;

/** How an input column becomes one feature of the model: its number, or its category's code. */
export const BundleFeature = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]),
  /** Categorical: the categories known to the model; an unknown one is treated as missing. */
  categories: Type.Optional(Type.Array(Type.String())),
});
export type BundleFeature = Static<typeof BundleFeature>;

export const DatasetRef = Type.Object({
  dataset: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  role: Type.Union([Type.Literal('train'), Type.Literal('validation'), Type.Literal('test')]),
});
export type DatasetRef = Static<typeof DatasetRef>;

export const BundleManifest = Type.Object({
  format: Type.Literal(BUNDLE_FORMAT),
  flavor: Type.Union([Type.Literal('builtin'), Type.Literal('onnx')]),
  /** gbdt, random_forest, logistic, ridge, or onnx. */
  algorithm: Type.String(),
  task: Task,
  params: Type.Record(Type.String(), Type.Unknown()),
  signature: Type.Object({
    /** The columns a caller sends (before the transform), with their types. */
    inputs: Type.Array(Type.Object({ name: Type.String(), type: ColumnSchema.properties.type })),
    /** What comes out: `prediction` (regression) or one probability per class. */
    outputs: Type.Array(Type.String()),
    target: Type.String(),
    classes: Type.Optional(Type.Array(Type.String())),
  }),
  /** The fitted preprocessing, applied to the inputs first; null for none. */
  transform: Type.Union([TransformSpec, Type.Null()]),
  /** The model's features, in its order, read from the transformed row. */
  features: Type.Array(BundleFeature),
  /** Where the payload is, relative to the bundle directory. */
  payload: Type.String(),
  /** Final metrics by data set (`test`, `validation`, `train`), e.g. test.roc_auc. */
  metrics: Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]))),
  lineage: Type.Object({
    datasets: Type.Array(DatasetRef),
    runId: Type.Union([Type.String(), Type.Null()]),
    /** The CyclOps version (and commit, when known) that trained it. */
    codeVersion: Type.String(),
    createdAt: Type.Integer(),
    createdBy: Type.String(),
  }),
});
export type BundleManifest = Static<typeof BundleManifest>;
