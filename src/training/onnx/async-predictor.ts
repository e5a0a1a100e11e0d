import type { FeatureMatrix, Predictor, Task } from '../model.entity.js';

/**
 * A fitted model whose predictions arrive asynchronously: an ONNX model runs in onnxruntime, whose only
 * run call returns a promise. Same shapes as `Predictor` (row-major outputs, `outputs` values per row).
 *
 * It is a separate interface, not a `Predictor` whose synchronous methods throw: code typed against
 * `Predictor` (evaluators, tree ensembles' callers) would compile against an ONNX model and fail only
 * at run time. Callers that serve or score any model take an `AsyncPredictor` and wrap built-in models
 * with `toAsyncPredictor`.
 */
export interface AsyncPredictor {
  readonly task: Task;
  /** Feature names in the order `predict` expects the matrix's columns. */
  readonly featureNames: readonly string[];
  /** Values per row of output: 1 for regression, the number of classes for classification. */
  readonly outputs: number;
  /** `x.rows * outputs` values, row-major. */
  predict(x: FeatureMatrix): Promise<Float64Array>;
  /** One row (one value per feature, NaN for missing): its `outputs` values. */
  predictRow(row: Float64Array): Promise<Float64Array>;
}

/** A built-in (synchronous) model seen through the asynchronous interface. */
export function toAsyncPredictor(predictor: Predictor): AsyncPredictor {
  return {
    task: predictor.task,
    featureNames: predictor.featureNames,
    outputs: predictor.outputs,
    predict: async (x) => predictor.predict(x),
    predictRow: async (row) => {
      const out = new Float64Array(predictor.outputs);
      predictor.predictRow(row, out);
      return out;
    },
  };
}
