import { type Static, Type } from 'typebox';
import { DatasetName } from './datasets.js';
import { BundleManifest, Task } from './model-bundle.js';

const strict = { additionalProperties: false } as const;

/** A dataset version to train on: the latest when `version` is left out. */
export const TrainingDataRef = Type.Object(
  { dataset: DatasetName, version: Type.Optional(Type.Integer({ minimum: 1 })) },
  strict,
);
export type TrainingDataRef = Static<typeof TrainingDataRef>;

export const TrainRequest = Type.Object(
  {
    train: TrainingDataRef,
    validation: Type.Optional(TrainingDataRef),
    test: Type.Optional(TrainingDataRef),
    target: Type.String({ minLength: 1, maxLength: 1000 }),
    task: Type.Optional(Task),
    /** gbdt, random_forest, logistic or ridge (GET /training/algorithms lists them). */
    algorithm: Type.String({ minLength: 1, maxLength: 100 }),
    /** Hyperparameters by name; numbers may be sent as numeric strings. */
    params: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    ),
    features: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 10_000 })),
    /** A TransformConfig (feature transforms), fitted on the training data and kept in the bundle. */
    transform: Type.Optional(Type.Unknown()),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
    experiment: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    run_name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    slice_by: Type.Optional(Type.String({ minLength: 1 })),
    permutation_importance: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type TrainRequest = Static<typeof TrainRequest>;

export const TrainQuery = Type.Object(
  { wait: Type.Optional(Type.Boolean({ description: 'Answer when training has ended, with the result' })) },
  strict,
);

const MetricMap = Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]));

export const TrainResultWire = Type.Object({
  run_id: Type.String(),
  experiment_id: Type.String(),
  algorithm: Type.String(),
  task: Task,
  iterations: Type.Union([Type.Integer(), Type.Null()]),
  evaluated_on: Type.Union([Type.Literal('test'), Type.Literal('validation'), Type.Literal('train')]),
  metrics: MetricMap,
  rows: Type.Object({
    train: Type.Integer(),
    validation: Type.Union([Type.Integer(), Type.Null()]),
    test: Type.Union([Type.Integer(), Type.Null()]),
    dropped_missing_target: Type.Integer(),
  }),
  skipped_columns: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() })),
  /** The bundle's directory among the run's artifacts (`model`). */
  bundle_path: Type.String(),
  manifest: BundleManifest,
  duration_ms: Type.Integer(),
});
export type TrainResultWire = Static<typeof TrainResultWire>;

export const TrainingJobWire = Type.Object({
  id: Type.String(),
  run_id: Type.String(),
  experiment_id: Type.String(),
  algorithm: Type.String(),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('finished'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ]),
  progress: Type.Object({ done: Type.Integer(), total: Type.Union([Type.Integer(), Type.Null()]) }),
  started_at: Type.Integer(),
  ended_at: Type.Union([Type.Integer(), Type.Null()]),
  result: Type.Union([TrainResultWire, Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});
export type TrainingJobWire = Static<typeof TrainingJobWire>;

export const TrainingJobResponse = Type.Object({ job: TrainingJobWire });
export const TrainingJobListResponse = Type.Object({ jobs: Type.Array(TrainingJobWire) });
export const TrainingJobParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }, strict);

export const AlgorithmWire = Type.Object({
  name: Type.String(),
  title: Type.String(),
  tasks: Type.Array(Task),
  params: Type.Array(
    Type.Object({
      name: Type.String(),
      type: Type.String(),
      default: Type.Union([Type.Number(), Type.String(), Type.Boolean()]),
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
      exclusiveMin: Type.Optional(Type.Boolean()),
      values: Type.Optional(Type.Array(Type.String())),
      description: Type.String(),
    }),
  ),
});
export const AlgorithmListResponse = Type.Object({ algorithms: Type.Array(AlgorithmWire) });
export type AlgorithmWire = Static<typeof AlgorithmWire>;

/** Rows to predict with a run's model bundle: each row's input columns, as in the bundle's signature. */
export const PredictRowsRequest = Type.Object(
  { rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 10_000 }) },
  strict,
);
export const PredictRowsResponse = Type.Object({
  predictions: Type.Array(
    Type.Object({
      prediction: Type.Union([Type.Number(), Type.String()]),
      probabilities: Type.Optional(Type.Record(Type.String(), Type.Number())),
    }),
  ),
});
export type PredictRowsResponse = Static<typeof PredictRowsResponse>;

/** Score a run's model bundle on a dataset version (the latest when `version` is left out). */
export const EvaluateRunRequest = Type.Object(
  { data: TrainingDataRef, slice_by: Type.Optional(Type.String({ minLength: 1 })) },
  strict,
);
export type EvaluateRunRequest = Static<typeof EvaluateRunRequest>;

export const EvaluateRunResponse = Type.Object({
  run_id: Type.String(),
  dataset: Type.String(),
  version: Type.Integer(),
  rows: Type.Integer(),
  dropped_missing_target: Type.Integer(),
  metrics: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
  /** The evaluation report: KPIs, confusion matrix, curves, calibration (see the training report). */
  evaluation: Type.Unknown(),
  slices: Type.Unknown(),
});
export type EvaluateRunResponse = Static<typeof EvaluateRunResponse>;
