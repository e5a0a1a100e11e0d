import { MISSING_BIN } from './bins.js';
import { STRIDE } from './histogram.js';
import type { Split, SplitRules } from './split.js';

/**
 * The best split of a random-forest node of `n` rows and total weight `weight`: `hists[c]` holds, per bin, the sum of channel c (class c's
 * bootstrap weight, or the target times the weight for regression), the weight and the row count.
 * The gain is the weighted impurity decrease: sum over c of S_Lc^2/W_L + S_Rc^2/W_R - S_c^2/W, which
 * is the Gini decrease for class indicators and the squared-error decrease for a regression target.
 * Missing values go to whichever side gains more. A categorical feature's categories are ordered by
 * their mean of channel 0 (Breiman's exact ordering for regression and two classes; a heuristic for
 * more classes) and split like an ordered feature. Only the features in `mask` are considered.
 */
export function findForestSplit(
  hists: Float64Array[],
  rules: SplitRules,
  mask: Uint8Array,
  sums: Float64Array,
  weight: number,
  n: number,
): Split | null {
  const K = hists.length;
  let parent = 0;
  for (let c = 0; c < K; c++) parent += ((sums[c] as number) * (sums[c] as number)) / weight;
  const left = new Float64Array(K);
  let best: Split | null = null;
  for (let f = 0; f < rules.features; f++) {
    if (mask[f] === 0) continue;
    const order = binOrder(hists[0] as Float64Array, f, rules);
    for (const missingLeft of rules.hasMissing[f] === 1 ? [false, true] : [false]) {
      left.fill(0);
      let wl = 0;
      let nl = 0;
      if (missingLeft) {
        const o = ((f << 8) | MISSING_BIN) * STRIDE;
        for (let c = 0; c < K; c++) left[c] = (hists[c] as Float64Array)[o] as number;
        wl = (hists[0] as Float64Array)[o + 1] as number;
        nl = (hists[0] as Float64Array)[o + 2] as number;
      }
      for (let k = 0; k < order.length - 1; k++) {
        const b = order[k] as number;
        const o = ((f << 8) | b) * STRIDE;
        for (let c = 0; c < K; c++) left[c] = (left[c] as number) + ((hists[c] as Float64Array)[o] as number);
        wl += (hists[0] as Float64Array)[o + 1] as number;
        nl += (hists[0] as Float64Array)[o + 2] as number;
        const wr = weight - wl;
        if (nl < rules.minSamplesLeaf || wl <= 0) continue;
        const nr = n - nl;
        if (nr < rules.minSamplesLeaf || wr <= 0) continue;
        let gain = -parent;
        for (let c = 0; c < K; c++) {
          const sl = left[c] as number;
          const sr = (sums[c] as number) - sl;
          gain += (sl * sl) / wl + (sr * sr) / wr;
        }
        if (gain > 1e-12 * Math.abs(parent) && (best === null || gain > best.gain)) {
          best = split(f, order, k, missingLeft, gain, rules.categorical[f] === 1, wl, nl, weight);
        }
      }
    }
  }
  return best;
}

/**
 * The present bins of feature f in scan order: ascending for a numeric feature; for a categorical one,
 * the categories present in the node sorted by their mean of channel 0 (ties by code).
 */
function binOrder(hist0: Float64Array, f: number, rules: SplitRules): number[] {
  const bins: number[] = [];
  const base = (f << 8) * STRIDE;
  const count = rules.binCount[f] as number;
  for (let b = 0; b < count; b++) if ((hist0[base + b * STRIDE + 2] as number) > 0) bins.push(b);
  if (rules.categorical[f] !== 1) return bins;
  const mean = (b: number) => (hist0[base + b * STRIDE] as number) / (hist0[base + b * STRIDE + 1] as number);
  return bins.sort((a, b) => mean(a) - mean(b) || a - b);
}

function split(
  f: number,
  order: number[],
  k: number,
  missingLeft: boolean,
  gain: number,
  categorical: boolean,
  wl: number,
  nl: number,
  weight: number,
): Split {
  let leftSet: Uint32Array | null = null;
  let bin = order[k] as number;
  if (categorical) {
    leftSet = new Uint32Array(8);
    for (let i = 0; i <= k; i++) {
      const b = order[i] as number;
      leftSet[b >>> 5] = (leftSet[b >>> 5] as number) | (1 << (b & 31));
    }
    if (missingLeft) leftSet[7] = (leftSet[7] as number) | (1 << 31);
    bin = -1;
  }
  // The sums are not needed by the forest grower (it reads its children's histograms).
  return {
    gain,
    feature: f,
    bin,
    missingLeft,
    leftSet,
    gLeft: 0,
    hLeft: wl,
    nLeft: nl,
    gRight: 0,
    hRight: weight - wl,
    nRight: 0,
  };
}
