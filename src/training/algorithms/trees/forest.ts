import { CyclopsError, invalid } from '../../../core/index.js';
import type { FeatureMatrix, FitOptions, Model, Task, TrainingData } from '../../model.entity.js';
import { createRandom, type Random } from '../../random.js';
import { checkParams, type ParamSpec } from '../params.js';
import { BatchPredictor } from './batch-predictor.js';
import { fitBins } from './bins.js';
import { checkTrainingData } from './check-data.js';
import { addRow, type FlatTrees, FlatTreesBuilder, flatTreesToJSON } from './ensemble.js';
import { growForestTree } from './forest-grower.js';
import {
  featureImportanceByGain,
  type ModelFeatures,
  modelFeaturesToJSON,
  treeModelFromJSON,
} from './model-features.js';
import type { SplitRules } from './split.js';
import { TreeWorkspace } from './workspace.js';

export const FOREST_ALGORITHM = 'random_forest';
const LABEL = 'random forest';
export const FOREST_FORMAT = 'cyclops.forest.v1';

export const FOREST_PARAMS: ParamSpec[] = [
  {
    name: 'n_estimators',
    type: 'integer',
    default: 100,
    min: 1,
    max: 10_000,
    description: 'Trees in the forest',
  },
  {
    name: 'max_depth',
    type: 'integer',
    default: 0,
    min: 0,
    max: 1_000,
    description: 'Deepest a leaf may be; 0 for no limit (trees grow until leaves are pure or too small)',
  },
  {
    name: 'min_samples_split',
    type: 'integer',
    default: 2,
    min: 2,
    description: 'Fewest rows a node needs to be split',
  },
  { name: 'min_samples_leaf', type: 'integer', default: 1, min: 1, description: 'Fewest rows in a leaf' },
  {
    name: 'max_features',
    type: 'string',
    default: 'auto',
    values: ['auto', 'sqrt', 'log2', 'all'],
    description: "Features drawn for each split: 'auto' is sqrt for classification and all for regression",
  },
  {
    name: 'bootstrap',
    type: 'boolean',
    default: true,
    description: 'Grow each tree on a bootstrap sample of the rows',
  },
  {
    name: 'max_samples',
    type: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    max: 1,
    description: 'With bootstrap: the sample size as a fraction of the rows',
  },
  {
    name: 'max_bins',
    type: 'integer',
    default: 255,
    min: 2,
    max: 255,
    description: 'Bins per feature for split search',
  },
];

/**
 * A random forest (Breiman 2001) for classification and regression: each tree grown to full depth (or
 * max_depth) on a bootstrap sample, each split chosen among a random subset of the features by Gini
 * decrease (classification) or squared-error decrease (regression); the forest predicts the mean of its
 * trees (class shares, or values). Split search uses the same binned features as gradient boosting
 * (255 bins, missing values to the better side, native categorical splits), not scikit-learn's exact
 * thresholds, so its trees differ from scikit-learn's; its accuracy is compared in the tests.
 */
export function fitForest(
  data: TrainingData,
  params: Readonly<Record<string, unknown>> = {},
  options: FitOptions = {},
): ForestModel {
  const p = checkParams(LABEL, FOREST_PARAMS, params);
  const classes = checkTrainingData(data, LABEL);
  const { x, y, task } = data;
  const rows = x.rows;
  const F = x.columns;
  const rng = createRandom(options.seed ?? 0);
  // Binary: one channel (the share of class 1); multiclass: one per class; regression: the target.
  const K = task === 'multiclass' ? (classes as string[]).length : 1;
  const mapper = fitBins(x, p.max_bins as number, options.seed ?? 0);
  const space = new TreeWorkspace(rows, F, K, K);
  space.bin(mapper, x);
  const rules: SplitRules = {
    features: F,
    binCount: mapper.binCount,
    hasMissing: mapper.hasMissing,
    categorical: Uint8Array.from(x.categories, (c) => (c ? 1 : 0)),
    minSamplesLeaf: p.min_samples_leaf as number,
    minHessianToSplit: 0,
    l2: 0,
    minGainToSplit: 0,
  };
  const hists = Array.from({ length: K }, () => space.take());
  const trees = p.n_estimators as number;
  const builder = new FlatTreesBuilder(K, mapper.thresholds);
  const counts = new Uint32Array(rows);
  const sampleSize = Math.max(1, Math.round(rows * (p.max_samples as number)));
  for (let t = 0; t < trees; t++) {
    if (options.signal?.aborted)
      throw new CyclopsError('unavailable', 'training was cancelled', { reason: 'cancelled' });
    const n = p.bootstrap
      ? bootstrap(space, rng, rows, sampleSize, counts, task, y, K)
      : allRows(space, rows, task, y, K);
    const grown = growForestTree(
      space,
      hists,
      n,
      rules,
      {
        maxDepth: (p.max_depth as number) === 0 ? Number.POSITIVE_INFINITY : (p.max_depth as number),
        minSamplesSplit: p.min_samples_split as number,
        featuresPerSplit: featuresPerSplit(p.max_features as string, task, F),
      },
      rng,
      1 / trees,
    );
    for (const tree of grown) builder.add(tree);
    options.onIteration?.(t, {});
  }
  return new ForestModel(task, { names: x.names, categories: x.categories }, classes, builder.build(), {
    ...p,
  });
}

function featuresPerSplit(mode: string, task: Task, features: number): number {
  const m = mode === 'auto' ? (task === 'regression' ? 'all' : 'sqrt') : mode;
  if (m === 'all') return features;
  const n = m === 'sqrt' ? Math.sqrt(features) : Math.log2(features);
  return Math.max(1, Math.min(features, Math.floor(n)));
}

/**
 * Draws a bootstrap sample (with replacement) and writes the channels: row i's weight is how many
 * times it was drawn; rows never drawn (out of bag) are left out of idx.
 */
function bootstrap(
  space: TreeWorkspace,
  rng: Random,
  rows: number,
  size: number,
  counts: Uint32Array,
  task: Task,
  y: Float64Array,
  K: number,
): number {
  counts.fill(0);
  for (let s = 0; s < size; s++) {
    const i = rng.int(rows);
    counts[i] = (counts[i] as number) + 1;
  }
  let n = 0;
  for (let i = 0; i < rows; i++) if ((counts[i] as number) > 0) space.idx[n++] = i;
  space.useRows(space.idx.slice(0, n));
  writeChannels(space, counts, task, y, K);
  return n;
}

function allRows(space: TreeWorkspace, rows: number, task: Task, y: Float64Array, K: number): number {
  const n = space.useAllRows();
  writeChannels(space, new Uint32Array(rows).fill(1), task, y, K);
  return n;
}

function writeChannels(
  space: TreeWorkspace,
  weights: Uint32Array,
  task: Task,
  y: Float64Array,
  K: number,
): void {
  const rows = y.length;
  for (let c = 0; c < K; c++) {
    const g = space.gradients[c] as Float32Array;
    const h = space.hessians[c] as Float32Array;
    for (let i = 0; i < rows; i++) {
      const w = weights[i] as number;
      const label = y[i] as number;
      g[i] = task === 'regression' ? w * label : task === 'binary' ? w * label : label === c ? w : 0;
      h[i] = w;
    }
  }
}

export class ForestModel implements Model {
  readonly algorithm = FOREST_ALGORITHM;
  readonly featureNames: readonly string[];
  readonly outputs: number;
  private readonly raw: Float64Array;
  private batch: BatchPredictor | undefined;

  constructor(
    readonly task: Task,
    readonly features: ModelFeatures,
    readonly classes: string[] | null,
    private readonly trees: FlatTrees,
    readonly params: Record<string, unknown>,
  ) {
    this.featureNames = features.names;
    this.outputs = task === 'regression' ? 1 : (classes?.length ?? 2);
    this.raw = new Float64Array(trees.outputs);
  }

  predict(x: FeatureMatrix): Float64Array {
    if (x.columns !== this.featureNames.length) {
      throw invalid(`${LABEL}: expected ${this.featureNames.length} features, got ${x.columns}`, {
        field: 'features',
      });
    }
    const K = this.trees.outputs;
    const raw = new Float64Array(x.rows * K);
    this.batch ??= new BatchPredictor(this.trees, this.featureNames.length);
    this.batch.addBatch(x, raw);
    if (this.task !== 'regression') clampShares(raw);
    if (this.task !== 'binary') return raw;
    const out = new Float64Array(x.rows * 2);
    for (let i = 0; i < x.rows; i++) {
      out[2 * i] = 1 - (raw[i] as number);
      out[2 * i + 1] = raw[i] as number;
    }
    return out;
  }

  predictRow(row: Float64Array, out: Float64Array): void {
    const { raw } = this;
    raw.fill(0);
    addRow(this.trees, row, raw);
    if (this.task !== 'regression') clampShares(raw);
    if (this.task === 'binary') {
      out[0] = 1 - (raw[0] as number);
      out[1] = raw[0] as number;
    } else out.set(raw);
  }

  featureImportance(): Float64Array {
    return featureImportanceByGain(this.trees, this.featureNames.length);
  }

  toJSON(): Record<string, unknown> {
    return {
      format: FOREST_FORMAT,
      task: this.task,
      ...modelFeaturesToJSON(this.features),
      classes: this.classes,
      params: this.params,
      trees: flatTreesToJSON(this.trees),
    };
  }
}

/** Class shares are sums of 1/trees-scaled leaf shares: keep the rounding from leaving [0, 1]. */
function clampShares(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) values[i] = Math.min(1, Math.max(0, values[i] as number));
}

export function loadForest(json: Record<string, unknown>): ForestModel {
  const { task, features, classes, trees, params } = treeModelFromJSON(json, FOREST_FORMAT);
  return new ForestModel(task, features, classes, trees, params);
}
