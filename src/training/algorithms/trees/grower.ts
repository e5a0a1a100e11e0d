import { subtractHistogram } from './histogram.js';
import { findBestSplit, nodeValue, type Split, type SplitRules } from './split.js';
import type { Histogram } from './workspace.js';

export interface GrowParams {
  maxLeaves: number;
  /** Infinity for no limit. The root is at depth 0. */
  maxDepth: number;
  /** Leaf values are -shrinkage * G / (H + l2). */
  shrinkage: number;
}

/**
 * Where a tree's samples and histograms live (a TreeWorkspace, bound to one output): the tree's samples
 * are idx[0..n), reordered in place by `partition` so each node's samples are contiguous.
 */
export interface GrowSpace {
  take(): Histogram;
  give(hist: Histogram | null): void;
  /** The histogram of samples idx[start..end). */
  histogram(hist: Histogram, start: number, end: number): void;
  /** Reorders idx[start..end) by the split, left side first; returns where the right side starts. */
  partition(split: Split, start: number, end: number): number;
  /** The sums of the gradients and of the hessians of samples idx[0..n). */
  sums(n: number): { g: number; h: number };
}

/**
 * A tree as grown, in node order (root 0). A leaf has feature -1. Leaves also keep the range of `idx`
 * holding their training samples, so the trainer updates its predictions without walking the tree.
 */
export interface GrownTree {
  feature: number[];
  /** Numeric splits: bins <= bin go left. */
  bin: number[];
  /** Categorical splits: the bins that go left (8 words); null for numeric splits and leaves. */
  leftSet: (Uint32Array | null)[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
  count: number[];
  /** Per leaf (in the order they were finalized): its node, and its samples idx[leafStart..leafEnd). */
  leafNode: number[];
  leafStart: number[];
  leafEnd: number[];
}

interface Growing {
  id: number;
  start: number;
  end: number;
  depth: number;
  sumG: number;
  sumH: number;
  /** -G / (H + l2), before shrinkage; 0 at the root, as in scikit-learn. */
  value: number;
  hist: Histogram | null;
  split: Split | null;
}

/**
 * Grows one tree best-first (leaf-wise), as scikit-learn's HistGradientBoosting and LightGBM: the leaf
 * whose best split gains most is split next, until `maxLeaves` leaves or no valid split is left. The
 * smaller child's histogram is built from its samples and the larger one's is the parent's minus it.
 */
export function growTree(
  space: GrowSpace,
  n: number,
  rules: SplitRules,
  featureMask: Uint8Array | null,
  params: GrowParams,
): GrownTree {
  const tree = emptyTree();
  const addNode = (count: number): number => addLeafNode(tree, count);
  const finalize = (node: Growing) => {
    tree.value[node.id] = node.value * params.shrinkage;
    tree.leafNode.push(node.id);
    tree.leafStart.push(node.start);
    tree.leafEnd.push(node.end);
    space.give(node.hist);
    node.hist = null;
  };
  const canSplit = (node: Growing) =>
    node.depth < params.maxDepth && node.end - node.start >= 2 * rules.minSamplesLeaf;
  const evaluate = (node: Growing, splittable: Growing[]) => {
    node.split = findBestSplit(
      (node.hist as Histogram).values,
      rules,
      node.end - node.start,
      node.sumG,
      node.sumH,
      node.value,
      featureMask,
    );
    if (node.split === null || node.split.gain <= 0) finalize(node);
    else splittable.push(node);
  };

  const rootHist = space.take();
  space.histogram(rootHist, 0, n);
  const sums = space.sums(n);
  const root: Growing = {
    id: addNode(n),
    start: 0,
    end: n,
    depth: 0,
    sumG: sums.g,
    sumH: sums.h,
    value: 0,
    hist: rootHist,
    split: null,
  };
  const splittable: Growing[] = [];
  if (params.maxLeaves > 1 && canSplit(root)) evaluate(root, splittable);
  else finalize(root);

  let leaves = 1;
  while (splittable.length > 0 && leaves < params.maxLeaves) {
    let at = 0;
    for (let i = 1; i < splittable.length; i++) {
      if ((splittable[i]?.split?.gain as number) > (splittable[at]?.split?.gain as number)) at = i;
    }
    const node = splittable[at] as Growing;
    splittable.splice(at, 1);
    const split = node.split as Split;
    const mid = space.partition(split, node.start, node.end);
    const left: Growing = {
      id: addNode(mid - node.start),
      start: node.start,
      end: mid,
      depth: node.depth + 1,
      sumG: split.gLeft,
      sumH: split.hLeft,
      value: nodeValue(split.gLeft, split.hLeft, rules.l2),
      hist: null,
      split: null,
    };
    const right: Growing = {
      id: addNode(node.end - mid),
      start: mid,
      end: node.end,
      depth: node.depth + 1,
      sumG: split.gRight,
      sumH: split.hRight,
      value: nodeValue(split.gRight, split.hRight, rules.l2),
      hist: null,
      split: null,
    };
    setSplit(tree, node.id, split, left.id, right.id);
    leaves++;
    const room = leaves < params.maxLeaves;
    const splitLeft = room && canSplit(left);
    const splitRight = room && canSplit(right);
    if (splitLeft || splitRight) {
      const [small, large] = left.end - left.start < right.end - right.start ? [left, right] : [right, left];
      small.hist = space.take();
      space.histogram(small.hist, small.start, small.end);
      large.hist = space.take();
      subtractHistogram(large.hist.values, (node.hist as Histogram).values, small.hist.values);
    }
    space.give(node.hist);
    node.hist = null;
    if (splitLeft) evaluate(left, splittable);
    else finalize(left);
    if (splitRight) evaluate(right, splittable);
    else finalize(right);
  }
  for (const node of splittable) finalize(node);
  return tree;
}

export function emptyTree(): GrownTree {
  return {
    feature: [],
    bin: [],
    leftSet: [],
    missingLeft: [],
    left: [],
    right: [],
    value: [],
    gain: [],
    count: [],
    leafNode: [],
    leafStart: [],
    leafEnd: [],
  };
}

/** Appends a node (a leaf until it is split) of `count` training samples; returns its index. */
export function addLeafNode(tree: GrownTree, count: number): number {
  tree.feature.push(-1);
  tree.bin.push(-1);
  tree.leftSet.push(null);
  tree.missingLeft.push(false);
  tree.left.push(-1);
  tree.right.push(-1);
  tree.value.push(0);
  tree.gain.push(0);
  tree.count.push(count);
  return tree.feature.length - 1;
}

/** Makes `node` a split of `tree` on `split`, with children `left` and `right`. */
export function setSplit(tree: GrownTree, node: number, split: Split, left: number, right: number): void {
  tree.feature[node] = split.feature;
  tree.bin[node] = split.bin;
  tree.leftSet[node] = split.leftSet;
  tree.missingLeft[node] = split.missingLeft;
  tree.left[node] = left;
  tree.right[node] = right;
  tree.gain[node] = split.gain;
}
