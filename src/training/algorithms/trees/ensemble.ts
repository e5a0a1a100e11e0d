import { invalid } from '../../../core/index.js';
import { MISSING_BIN } from './bins.js';
import type { GrownTree } from './grower.js';

/**
 * Trees flattened into typed arrays, one slot per node across all trees, for prediction on raw feature
 * values: at a numeric node `x <= threshold` goes left, at a categorical node the codes in its bitset;
 * NaN goes where `missingLeft` says. A leaf has feature -1 and its value in `value`. Tree t adds to
 * output `t % outputs` (boosting grows one tree per class per round).
 */
export interface FlatTrees {
  outputs: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** Offset of a categorical node's 8-word bitset in `bitsets`, else -1. */
  catOffset: Int32Array;
  bitsets: Uint32Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Split gain (0 at leaves): feature importance by gain. */
  gain: Float64Array;
  /** Training samples that reached the node. */
  count: Float64Array;
}

/** Collects grown trees and flattens them once training is done. */
export class FlatTreesBuilder {
  private readonly trees: GrownTree[] = [];
  constructor(
    private readonly outputs: number,
    private readonly thresholds: readonly (Float64Array | null)[],
  ) {}

  add(tree: GrownTree): void {
    this.trees.push(tree);
  }

  get size(): number {
    return this.trees.length;
  }

  /** Keeps the first `count` trees (early stopping keeps the rounds up to the best one). */
  truncate(count: number): void {
    this.trees.length = Math.min(this.trees.length, count);
  }

  build(): FlatTrees {
    const nodes = this.trees.reduce((n, t) => n + t.feature.length, 0);
    const categorical = this.trees.reduce((n, t) => n + t.leftSet.filter((s) => s !== null).length, 0);
    const flat: FlatTrees = {
      outputs: this.outputs,
      roots: new Int32Array(this.trees.length),
      feature: new Int32Array(nodes),
      threshold: new Float64Array(nodes),
      catOffset: new Int32Array(nodes).fill(-1),
      bitsets: new Uint32Array(categorical * 8),
      missingLeft: new Uint8Array(nodes),
      left: new Int32Array(nodes).fill(-1),
      right: new Int32Array(nodes).fill(-1),
      value: new Float64Array(nodes),
      gain: new Float64Array(nodes),
      count: new Float64Array(nodes),
    };
    let at = 0;
    let sets = 0;
    this.trees.forEach((tree, t) => {
      flat.roots[t] = at;
      for (let i = 0; i < tree.feature.length; i++) {
        const node = at + i;
        const f = tree.feature[i] as number;
        flat.feature[node] = f;
        flat.value[node] = tree.value[i] as number;
        flat.gain[node] = tree.gain[i] as number;
        flat.count[node] = tree.count[i] as number;
        if (f < 0) continue;
        flat.left[node] = at + (tree.left[i] as number);
        flat.right[node] = at + (tree.right[i] as number);
        flat.missingLeft[node] = tree.missingLeft[i] ? 1 : 0;
        const set = tree.leftSet[i];
        if (set) {
          flat.catOffset[node] = sets;
          flat.bitsets.set(set, sets);
          sets += 8;
        } else {
          // Bin b holds thresholds[b-1] < x <= thresholds[b]; the last bin has no upper threshold.
          const t = this.thresholds[f] as Float64Array;
          const bin = tree.bin[i] as number;
          flat.threshold[node] = bin < t.length ? (t[bin] as number) : Number.POSITIVE_INFINITY;
        }
      }
      at += tree.feature.length;
    });
    return flat;
  }
}

/** The leaf a row reaches in the tree rooted at `node`; `row[f]` is feature f's value. */
export function leafOf(trees: FlatTrees, node: number, row: Float64Array, offset: number): number {
  const { feature, threshold, catOffset, bitsets, missingLeft, left, right } = trees;
  let at = node;
  for (;;) {
    const f = feature[at] as number;
    if (f < 0) return at;
    const v = row[offset + f] as number;
    let goLeft: boolean;
    if (Number.isNaN(v)) goLeft = missingLeft[at] === 1;
    else {
      const cat = catOffset[at] as number;
      if (cat < 0) goLeft = v <= (threshold[at] as number);
      else {
        // A code the model never saw (or not a code at all) goes right, as scikit-learn's predictor does.
        const code = v | 0;
        goLeft =
          code === v &&
          code >= 0 &&
          code < MISSING_BIN &&
          (((bitsets[cat + (code >>> 5)] as number) >>> (code & 31)) & 1) === 1;
      }
    }
    at = goLeft ? (left[at] as number) : (right[at] as number);
  }
}

/** Adds every tree's output for one row into `out[0..outputs)`. */
export function addRow(trees: FlatTrees, row: Float64Array, out: Float64Array): void {
  const { roots, value, outputs } = trees;
  for (let t = 0; t < roots.length; t++) {
    const k = outputs === 1 ? 0 : t % outputs;
    out[k] = (out[k] as number) + (value[leafOf(trees, roots[t] as number, row, 0)] as number);
  }
}

/** Plain-JSON form of FlatTrees (what a model bundle stores). */
export function flatTreesToJSON(trees: FlatTrees): Record<string, unknown> {
  return {
    outputs: trees.outputs,
    roots: Array.from(trees.roots),
    feature: Array.from(trees.feature),
    threshold: Array.from(trees.threshold, (v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v)),
    catOffset: Array.from(trees.catOffset),
    bitsets: Array.from(trees.bitsets),
    missingLeft: Array.from(trees.missingLeft),
    left: Array.from(trees.left),
    right: Array.from(trees.right),
    value: Array.from(trees.value),
    gain: Array.from(trees.gain),
    count: Array.from(trees.count),
  };
}

export function flatTreesFromJSON(json: Record<string, unknown>, features: number): FlatTrees {
  const numbers = (key: string): number[] => {
    const v = json[key];
    if (!Array.isArray(v)) throw invalid(`model: trees.${key} must be an array`, { field: `trees.${key}` });
    return v.map((x) => (x === 'Infinity' ? Number.POSITIVE_INFINITY : Number(x)));
  };
  const trees: FlatTrees = {
    outputs: Number(json.outputs),
    roots: Int32Array.from(numbers('roots')),
    feature: Int32Array.from(numbers('feature')),
    threshold: Float64Array.from(numbers('threshold')),
    catOffset: Int32Array.from(numbers('catOffset')),
    bitsets: Uint32Array.from(numbers('bitsets')),
    missingLeft: Uint8Array.from(numbers('missingLeft')),
    left: Int32Array.from(numbers('left')),
    right: Int32Array.from(numbers('right')),
    value: Float64Array.from(numbers('value')),
    gain: Float64Array.from(numbers('gain')),
    count: Float64Array.from(numbers('count')),
  };
  checkFlatTrees(trees, features);
  return trees;
}

/** A stored model is input too: its node links must stay inside the arrays, or a walk would never end. */
function checkFlatTrees(trees: FlatTrees, features: number): void {
  const n = trees.feature.length;
  const bad = (why: string) => invalid(`model: the trees are corrupt (${why})`, { field: 'trees' });
  if (!(trees.outputs >= 1)) throw bad('outputs');
  for (const key of [
    'threshold',
    'catOffset',
    'missingLeft',
    'left',
    'right',
    'value',
    'gain',
    'count',
  ] as const) {
    if (trees[key].length !== n) throw bad(`${key} has ${trees[key].length} entries for ${n} nodes`);
  }
  for (const r of trees.roots) if (r < 0 || r >= n) throw bad('a root out of range');
  for (let i = 0; i < n; i++) {
    const f = trees.feature[i] as number;
    if (f < 0) continue;
    if (f >= features) throw bad(`node ${i} splits on feature ${f} of ${features}`);
    // Children come after their parent, so every walk moves forward and ends.
    const l = trees.left[i] as number;
    const r = trees.right[i] as number;
    if (l <= i || r <= i || l >= n || r >= n) throw bad(`node ${i} has children out of order`);
    const cat = trees.catOffset[i] as number;
    if (cat >= 0 && cat + 8 > trees.bitsets.length) throw bad(`node ${i} has no bitset`);
  }
}
