import { type Random, sample } from '../../random.js';
import { findForestSplit } from './forest-split.js';
import { addLeafNode, emptyTree, type GrownTree, setSplit } from './grower.js';
import type { SplitRules } from './split.js';
import type { Histogram, TreeWorkspace } from './workspace.js';

export interface ForestTreeParams {
  /** Infinity for no limit. */
  maxDepth: number;
  minSamplesSplit: number;
  /** Features drawn (without replacement) for each split. */
  featuresPerSplit: number;
}

/**
 * Grows one tree of a random forest, depth-first, on the workspace's samples idx[0..n): channel c
 * (gradients[c]) holds class c's bootstrap weight per row (or the weighted target for regression) and
 * hessians[0] the weight. Each node draws its own features and builds the histograms of those alone
 * (no subtraction from the parent: with sqrt(F) features a split, building is cheaper than keeping every
 * feature of every parent). Returns one GrownTree per channel: the same splits, each leaf holding that
 * channel's weighted mean (a class's share of the leaf, or the mean target) times `scale`.
 */
export function growForestTree(
  space: TreeWorkspace,
  hists: Histogram[],
  n: number,
  rules: SplitRules,
  params: ForestTreeParams,
  rng: Random,
  scale: number,
): GrownTree[] {
  const K = hists.length;
  const structure = emptyTree();
  const values: number[][] = Array.from({ length: K }, () => []);
  const mask = new Uint8Array(rules.features);
  const sums = new Float64Array(K);
  const stack: { id: number; start: number; end: number; depth: number }[] = [
    { id: addNode(structure, values, n), start: 0, end: n, depth: 0 },
  ];
  while (stack.length > 0) {
    const node = stack.pop() as { id: number; start: number; end: number; depth: number };
    const count = node.end - node.start;
    const weight = nodeSums(space, node.start, node.end, sums);
    const leaf = () => {
      for (let c = 0; c < K; c++) (values[c] as number[])[node.id] = ((sums[c] as number) / weight) * scale;
      structure.leafNode.push(node.id);
      structure.leafStart.push(node.start);
      structure.leafEnd.push(node.end);
    };
    if (
      count < params.minSamplesSplit ||
      count < 2 * rules.minSamplesLeaf ||
      node.depth >= params.maxDepth ||
      isPure(sums, weight, K)
    ) {
      leaf();
      continue;
    }
    mask.fill(0);
    for (const f of sample(rng, rules.features, params.featuresPerSplit)) mask[f] = 1;
    for (let c = 0; c < K; c++) {
      space.gather(node.start, node.end, c, false);
      for (let f = 0; f < rules.features; f++) {
        if (mask[f] === 1)
          space.histogram(hists[c] as Histogram, node.start, node.end, c, false, f, f + 1, true);
      }
    }
    const split = findForestSplit(
      hists.map((h) => h.values),
      rules,
      mask,
      sums,
      weight,
      count,
    );
    if (split === null) {
      leaf();
      continue;
    }
    const mid = space.partition(split, node.start, node.end);
    const left = addNode(structure, values, mid - node.start);
    const right = addNode(structure, values, node.end - mid);
    setSplit(structure, node.id, split, left, right);
    stack.push({ id: right, start: mid, end: node.end, depth: node.depth + 1 });
    stack.push({ id: left, start: node.start, end: mid, depth: node.depth + 1 });
  }
  return values.map((value) => ({ ...structure, value }));
}

/** Sums each channel and the weight over idx[start..end) (the node's sums, and its leaf values). */
function nodeSums(space: TreeWorkspace, start: number, end: number, sums: Float64Array): number {
  const { idx, gradients } = space;
  const h = space.hessians[0] as Float32Array;
  let weight = 0;
  for (let p = start; p < end; p++) weight += h[idx[p] as number] as number;
  for (let c = 0; c < sums.length; c++) {
    const g = gradients[c] as Float32Array;
    let s = 0;
    for (let p = start; p < end; p++) s += g[idx[p] as number] as number;
    sums[c] = s;
  }
  return weight;
}

/** Every row of the node in one class (classification), or one target value: nothing to split. */
function isPure(sums: Float64Array, weight: number, K: number): boolean {
  if (K === 1) return false;
  for (let c = 0; c < K; c++) if (Math.abs((sums[c] as number) - weight) <= 1e-9 * weight) return true;
  return false;
}

/** A node of the shared structure, with a value slot in each channel's values. */
function addNode(tree: GrownTree, values: number[][], count: number): number {
  for (const v of values) v.push(0);
  return addLeafNode(tree, count);
}
