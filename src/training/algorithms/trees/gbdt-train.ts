import { CyclopsError } from '../../../core/index.js';
import type { FeatureMatrix, FitOptions, TrainingData } from '../../model.entity.js';
import { createRandom, type Random, sample, shuffle } from '../../random.js';
import { type BinMapper, binMatrix, fitBins, MISSING_BIN } from './bins.js';
import { type FlatTrees, FlatTreesBuilder } from './ensemble.js';
import { type GrownTree, type GrowSpace, growTree } from './grower.js';
import { type BoostingLoss, lossFor } from './losses.js';
import type { SplitRules } from './split.js';
import { TreeHelper } from './tree-helper.js';
import { TreeWorkspace } from './workspace.js';

export interface GbdtSettings {
  maxIter: number;
  learningRate: number;
  maxLeafNodes: number;
  /** Infinity: no limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  maxBins: number;
  /** Fraction of rows each tree is grown on (1: all). */
  subsample: number;
  /** Fraction of features each tree may split on (1: all). */
  colsample: number;
  earlyStopping: boolean;
  nIterNoChange: number;
  validationFraction: number;
  tol: number;
  minGainToSplit: number;
  /** Threads to train on: 1, or 2 (this one and a helper) for data big enough to pay. */
  threads: number;
}

/** Below this many cells (rows x features) a fit stays on one thread. */
const PARALLEL_MIN_CELLS = 1_000_000;

export interface BoostedTrees {
  mapper: BinMapper;
  trees: FlatTrees;
  baseline: Float64Array;
  /** Boosting rounds kept. */
  iterations: number;
  trainLoss: number[];
  validationLoss: number[];
}

/** Rows whose training loss is reported each round: a seeded sample, as scikit-learn scores 10,000. */
const TRAIN_SCORE_ROWS = 10_000;

/**
 * Gradient boosting on histograms (scikit-learn's HistGradientBoosting, LightGBM): features binned once
 * into at most 255 bins plus one for missing values, then per round one tree per output grown
 * best-first on the gradients and hessians of the loss at the current predictions.
 */
export function trainBoostedTrees(
  data: TrainingData,
  settings: GbdtSettings,
  options: FitOptions = {},
): BoostedTrees {
  const seed = options.seed ?? 0;
  const rng = createRandom(seed);
  const loss = lossFor(data.task, data.classes?.length ?? 0);
  let train = data;
  let validation = options.validation;
  if (!validation && settings.earlyStopping) {
    [train, validation] = holdOut(data, settings.validationFraction, rng);
  }
  const { x, y } = train;
  const rows = x.rows;
  const features = x.columns;
  const K = loss.outputs;
  const mapper = fitBins(x, settings.maxBins, seed);
  // A tree has at most maxLeaves - 1 nodes waiting to be split, each holding a histogram, plus the
  // node being split and its two children.
  const space = new TreeWorkspace(rows, features, K, Math.min(settings.maxLeafNodes, rows) + 3);
  space.bin(mapper, x);
  const binned = space.binnedCols;
  const helper =
    settings.threads > 1 && rows * features >= PARALLEL_MIN_CELLS ? new TreeHelper(space, data.task) : null;
  try {
    return boost();
  } finally {
    helper?.close();
  }
  function boost(): BoostedTrees {
    const validBinned = validation ? binMatrix(mapper, validation.x) : null;

    const rules: SplitRules = {
      features,
      binCount: mapper.binCount,
      hasMissing: mapper.hasMissing,
      categorical: Uint8Array.from(x.categories, (c) => (c ? 1 : 0)),
      minSamplesLeaf: settings.minSamplesLeaf,
      minHessianToSplit: 1e-3,
      l2: settings.l2Regularization,
      minGainToSplit: settings.minGainToSplit,
    };
    const baseline = loss.baseline(y, null);
    // The target and raw predictions live in the workspace, where the helper computes gradients too.
    const raw = space.raw;
    for (let i = 0; i < rows; i++) for (let k = 0; k < K; k++) raw[i * K + k] = baseline[k] as number;
    const target = space.y;
    target.set(y);
    const validRaw = validation ? new Float64Array(validation.x.rows * K) : null;
    if (validRaw) for (let i = 0; i < validRaw.length; i++) validRaw[i] = baseline[i % K] as number;

    const { gradients, hessians, idx } = space;
    const sampleRows = Math.max(1, Math.round(rows * settings.subsample));
    const sampleFeatures = Math.max(1, Math.round(features * settings.colsample));
    const scoreRows = rows > TRAIN_SCORE_ROWS ? sample(rng, rows, TRAIN_SCORE_ROWS) : null;
    const builder = new FlatTreesBuilder(K, mapper.thresholds);
    const trainLoss: number[] = [];
    const validationLoss: number[] = [];
    // Early stopping compares with the loss before the first tree too, as scikit-learn does.
    const stoppingLosses = validation && validRaw ? [loss.loss(validation.y, validRaw, null)] : [];

    for (let iteration = 0; iteration < settings.maxIter; iteration++) {
      if (options.signal?.aborted)
        throw new CyclopsError('unavailable', 'training was cancelled', { reason: 'cancelled' });
      const compute = (from: number, to: number) =>
        loss.gradients(target, raw, gradients, hessians, from, to);
      if (helper) helper.gradients(compute);
      else compute(0, rows);
      for (let k = 0; k < K; k++) {
        const n = sampleRows < rows ? space.useRows(sample(rng, rows, sampleRows)) : space.useAllRows();
        const featureMask =
          sampleFeatures < features ? maskOf(sample(rng, features, sampleFeatures), features) : null;
        const tree = growTree(growSpace(space, helper, k, loss.constantHessian), n, rules, featureMask, {
          maxLeaves: settings.maxLeafNodes,
          maxDepth: settings.maxDepth,
          shrinkage: settings.learningRate,
        });
        builder.add(tree);
        if (n === rows) addLeaves(tree, idx, raw, K, k);
        else addBinned(tree, binned, rows, 1, rows, raw, K, k);
        if (validBinned && validRaw) {
          addBinned(tree, validBinned, validRaw.length / K, features, 1, validRaw, K, k);
        }
      }
      const metrics: Record<string, number> = { train_loss: loss.loss(y, raw, scoreRows) };
      trainLoss.push(metrics.train_loss as number);
      if (validation && validRaw) {
        metrics.validation_loss = loss.loss(validation.y, validRaw, null);
        validationLoss.push(metrics.validation_loss);
        stoppingLosses.push(metrics.validation_loss);
      }
      const stop = options.onIteration?.(iteration, metrics) === false;
      if (
        stop ||
        (settings.earlyStopping && shouldStop(stoppingLosses, settings.nIterNoChange, settings.tol))
      )
        break;
    }
    return {
      mapper,
      trees: builder.build(),
      baseline,
      iterations: builder.size / K,
      trainLoss,
      validationLoss,
    };
  }
}

/** The workspace seen by the grower of output k's tree. */
function growSpace(
  space: TreeWorkspace,
  helper: TreeHelper | null,
  k: number,
  constantHessian: boolean,
): GrowSpace {
  return {
    take: () => space.take(),
    give: (hist) => space.give(hist),
    histogram: (hist, start, end) =>
      helper
        ? helper.histogram(hist, start, end, k, constantHessian)
        : space.histogram(hist, start, end, k, constantHessian),
    partition: (split, start, end) =>
      helper ? helper.partition(split, start, end) : space.partition(split, start, end),
    sums: (n) => space.sums(n, k, constantHessian),
  };
}

/**
 * scikit-learn's rule: stop when none of the last `n` losses improved on the one before them by more
 * than `tol`.
 */
function shouldStop(losses: number[], n: number, tol: number): boolean {
  if (losses.length < n + 1) return false;
  const reference = (losses[losses.length - n - 1] as number) - tol;
  for (let i = losses.length - n; i < losses.length; i++) if ((losses[i] as number) < reference) return false;
  return true;
}

/** Splits off a seeded validation part for early stopping, stratified by class for classification. */
function holdOut(data: TrainingData, fraction: number, rng: Random): [TrainingData, TrainingData] {
  const n = data.x.rows;
  const isValidation = new Uint8Array(n);
  const groups: number[][] = [];
  if (data.task === 'regression') groups.push(Array.from({ length: n }, (_, i) => i));
  else {
    for (let i = 0; i < n; i++) {
      const c = data.y[i] as number;
      const group = groups[c] ?? [];
      group.push(i);
      groups[c] = group;
    }
  }
  for (const [c, group] of groups.entries()) {
    if (!group) continue;
    if (data.task !== 'regression' && group.length < 2) {
      // scikit-learn refuses too ("The least populated class in y has only 1 member").
      throw new CyclopsError(
        'invalid_argument',
        `early stopping holds out a stratified part of the rows, and class '${data.classes?.[c] ?? c}' has a single row: give validation data, set early_stopping to off, or drop the class`,
        { field: 'early_stopping' },
      );
    }
    const take = Math.round(group.length * fraction);
    const order = shuffle(rng, Uint32Array.from(group));
    for (let k = 0; k < take; k++) isValidation[order[k] as number] = 1;
  }
  const pick = (want: number): TrainingData => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (isValidation[i] === want) rows.push(i);
    return { ...data, x: selectRows(data.x, rows), y: Float64Array.from(rows, (i) => data.y[i] as number) };
  };
  const train = pick(0);
  if (train.x.rows === 0 || pick(1).x.rows === 0) {
    throw new CyclopsError(
      'invalid_argument',
      'early stopping needs more rows: the validation part would be empty',
      {
        field: 'validation_fraction',
      },
    );
  }
  return [train, pick(1)];
}

export function selectRows(x: FeatureMatrix, rows: number[]): FeatureMatrix {
  const m = rows.length;
  const values = new Float64Array(m * x.columns);
  for (let j = 0; j < x.columns; j++) {
    const from = j * x.rows;
    const to = j * m;
    for (let k = 0; k < m; k++) values[to + k] = x.values[from + (rows[k] as number)] as number;
  }
  return { ...x, rows: m, values };
}

function maskOf(chosen: Uint32Array, features: number): Uint8Array {
  const mask = new Uint8Array(features);
  for (const f of chosen) mask[f] = 1;
  return mask;
}

/** Adds each leaf's value to its training samples' raw predictions (output k). */
function addLeaves(tree: GrownTree, idx: Uint32Array, raw: Float64Array, K: number, k: number): void {
  for (let l = 0; l < tree.leafNode.length; l++) {
    const value = tree.value[tree.leafNode[l] as number] as number;
    const end = tree.leafEnd[l] as number;
    for (let p = tree.leafStart[l] as number; p < end; p++) {
      const o = (idx[p] as number) * K + k;
      raw[o] = (raw[o] as number) + value;
    }
  }
}

/**
 * Adds the tree's output for every row of a binned matrix to output k of `raw`. Row i's bin of feature
 * f is at i * rowStride + f * featureStride (row-major: features, 1; column layout: 1, rows).
 */
function addBinned(
  tree: GrownTree,
  binned: Uint8Array,
  rows: number,
  rowStride: number,
  featureStride: number,
  raw: Float64Array,
  K: number,
  k: number,
): void {
  for (let i = 0; i < rows; i++) {
    const base = i * rowStride;
    let node = 0;
    for (;;) {
      const f = tree.feature[node] as number;
      if (f < 0) break;
      const b = binned[base + f * featureStride] as number;
      const set = tree.leftSet[node];
      const left = set
        ? (((set[b >>> 5] as number) >>> (b & 31)) & 1) === 1
        : b === MISSING_BIN
          ? (tree.missingLeft[node] as boolean)
          : b <= (tree.bin[node] as number);
      node = left ? (tree.left[node] as number) : (tree.right[node] as number);
    }
    const o = i * K + k;
    raw[o] = (raw[o] as number) + (tree.value[node] as number);
  }
}

export type { BoostingLoss };
