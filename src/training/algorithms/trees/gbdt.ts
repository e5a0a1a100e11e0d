import { invalid } from '../../../core/index.js';
import type { FeatureMatrix, FitOptions, Model, Task, TrainingData } from '../../model.entity.js';
import { checkParams, type ParamSpec } from '../params.js';
import { BatchPredictor } from './batch-predictor.js';
import { checkTrainingData } from './check-data.js';
import { addRow, type FlatTrees, flatTreesToJSON } from './ensemble.js';
import { type GbdtSettings, trainBoostedTrees } from './gbdt-train.js';
import { lossFor, rowPredictions } from './losses.js';
import {
  featureImportanceByGain,
  type ModelFeatures,
  modelFeaturesToJSON,
  treeModelFromJSON,
} from './model-features.js';

export const GBDT_ALGORITHM = 'gbdt';
const LABEL = 'gradient-boosted trees';
export const GBDT_FORMAT = 'cyclops.gbdt.v1';

export const GBDT_PARAMS: ParamSpec[] = [
  {
    name: 'max_iter',
    type: 'integer',
    default: 100,
    min: 1,
    max: 100_000,
    description: 'Boosting rounds (one tree per class per round)',
  },
  {
    name: 'learning_rate',
    type: 'number',
    default: 0.1,
    min: 0,
    exclusiveMin: true,
    description: 'Shrinkage of each tree',
  },
  {
    name: 'max_leaf_nodes',
    type: 'integer',
    default: 31,
    min: 2,
    max: 65_536,
    description: 'Most leaves per tree (trees grow best-first)',
  },
  {
    name: 'max_depth',
    type: 'integer',
    default: 0,
    min: 0,
    max: 1_000,
    description: 'Deepest a leaf may be; 0 for no limit',
  },
  {
    name: 'min_samples_leaf',
    type: 'integer',
    default: 20,
    min: 1,
    description: 'Fewest training rows in a leaf',
  },
  { name: 'l2_regularization', type: 'number', default: 0, min: 0, description: 'L2 penalty on leaf values' },
  {
    name: 'max_bins',
    type: 'integer',
    default: 255,
    min: 2,
    max: 255,
    description: 'Bins per feature for present values (plus one for missing)',
  },
  {
    name: 'subsample',
    type: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    max: 1,
    description: 'Fraction of rows each tree is grown on',
  },
  {
    name: 'colsample',
    type: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    max: 1,
    description: 'Fraction of features each tree may split on',
  },
  {
    name: 'early_stopping',
    type: 'string',
    default: 'auto',
    values: ['auto', 'on', 'off'],
    description: "Stop when the validation loss stops improving; 'auto' turns it on above 10,000 rows",
  },
  {
    name: 'n_iter_no_change',
    type: 'integer',
    default: 10,
    min: 1,
    description: 'Early stopping: rounds without improvement before stopping',
  },
  {
    name: 'validation_fraction',
    type: 'number',
    default: 0.1,
    min: 0,
    exclusiveMin: true,
    max: 0.9,
    description: 'Early stopping without a validation set: the fraction of rows held out (stratified)',
  },
  {
    name: 'tol',
    type: 'number',
    default: 1e-7,
    min: 0,
    description: 'Early stopping: the smallest loss decrease that counts as an improvement',
  },
  {
    name: 'min_gain_to_split',
    type: 'number',
    default: 0,
    min: 0,
    description: 'Smallest loss reduction a split must give',
  },
];

/** scikit-learn's rule for early_stopping='auto'. */
const AUTO_EARLY_STOPPING_ROWS = 10_000;

/**
 * Histogram gradient-boosted trees for regression (squared error), binary (log loss) and multiclass
 * (cross-entropy) tasks, after scikit-learn's HistGradientBoosting: features binned into at most 255
 * bins, leaf-wise trees, native categorical splits (FeatureMatrix categories), missing values sent to
 * the side that lowers the loss, optional row and feature subsampling, and early stopping on a
 * validation set (`options.validation`, or a stratified part of the rows held out).
 */
export function fitGbdt(
  data: TrainingData,
  params: Readonly<Record<string, unknown>> = {},
  options: FitOptions = {},
): GbdtModel {
  const p = checkParams(LABEL, GBDT_PARAMS, params);
  const classes = checkTrainingData(data, LABEL);
  if (options.validation) checkTrainingData(options.validation, `${LABEL} (validation data)`, data);
  const mode = p.early_stopping as string;
  const settings: GbdtSettings = {
    maxIter: p.max_iter as number,
    learningRate: p.learning_rate as number,
    maxLeafNodes: p.max_leaf_nodes as number,
    maxDepth: (p.max_depth as number) === 0 ? Number.POSITIVE_INFINITY : (p.max_depth as number),
    minSamplesLeaf: p.min_samples_leaf as number,
    l2Regularization: p.l2_regularization as number,
    maxBins: p.max_bins as number,
    subsample: p.subsample as number,
    colsample: p.colsample as number,
    earlyStopping: mode === 'on' || (mode === 'auto' && data.x.rows > AUTO_EARLY_STOPPING_ROWS),
    nIterNoChange: p.n_iter_no_change as number,
    validationFraction: p.validation_fraction as number,
    tol: p.tol as number,
    minGainToSplit: p.min_gain_to_split as number,
    threads: options.threads ?? 2,
  };
  const boosted = trainBoostedTrees({ ...data, ...(classes ? { classes } : {}) }, settings, options);
  return new GbdtModel(
    data.task,
    { names: data.x.names, categories: data.x.categories },
    classes,
    boosted.baseline,
    boosted.trees,
    { ...p, iterations: boosted.iterations },
  );
}

export class GbdtModel implements Model {
  readonly algorithm = GBDT_ALGORITHM;
  readonly featureNames: readonly string[];
  readonly outputs: number;
  private readonly raw: Float64Array;
  private batch: BatchPredictor | undefined;

  constructor(
    readonly task: Task,
    readonly features: ModelFeatures,
    readonly classes: string[] | null,
    private readonly baseline: Float64Array,
    private readonly trees: FlatTrees,
    /** The params it was fitted with, and `iterations`: the boosting rounds kept. */
    readonly params: Record<string, unknown>,
  ) {
    this.featureNames = features.names;
    this.outputs = task === 'regression' ? 1 : (classes?.length ?? 2);
    this.raw = new Float64Array(baseline.length);
  }

  /** Boosting rounds in the model (fewer than max_iter when early stopping ended training). */
  get iterations(): number {
    return this.trees.roots.length / this.trees.outputs;
  }

  predict(x: FeatureMatrix): Float64Array {
    if (x.columns !== this.featureNames.length) {
      throw invalid(`${LABEL}: expected ${this.featureNames.length} features, got ${x.columns}`, {
        field: 'features',
      });
    }
    const K = this.baseline.length;
    const raw = new Float64Array(x.rows * K);
    for (let i = 0; i < raw.length; i++) raw[i] = this.baseline[i % K] as number;
    this.batch ??= new BatchPredictor(this.trees, this.featureNames.length);
    this.batch.addBatch(x, raw);
    return lossFor(this.task, this.outputs).predictions(raw, x.rows);
  }

  predictRow(row: Float64Array, out: Float64Array): void {
    const { raw } = this;
    raw.set(this.baseline);
    addRow(this.trees, row, raw);
    rowPredictions(this.task, raw, out);
  }

  featureImportance(): Float64Array {
    return featureImportanceByGain(this.trees, this.featureNames.length);
  }

  toJSON(): Record<string, unknown> {
    return {
      format: GBDT_FORMAT,
      task: this.task,
      ...modelFeaturesToJSON(this.features),
      classes: this.classes,
      baseline: Array.from(this.baseline),
      params: this.params,
      trees: flatTreesToJSON(this.trees),
    };
  }
}

export function loadGbdt(json: Record<string, unknown>): GbdtModel {
  const { task, features, classes, trees, params } = treeModelFromJSON(json, GBDT_FORMAT);
  const baseline = Float64Array.from(Array.isArray(json.baseline) ? json.baseline.map(Number) : []);
  if (baseline.length !== trees.outputs) {
    throw invalid(`model: ${baseline.length} baseline values for ${trees.outputs} outputs`, {
      field: 'baseline',
    });
  }
  return new GbdtModel(task, features, classes, baseline, trees, params);
}
