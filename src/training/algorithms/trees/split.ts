import { MISSING_BIN } from './bins.js';
import { STRIDE } from './histogram.js';

/** What the split search needs to know about the features and the constraints on a split. */
export interface SplitRules {
  features: number;
  /** Per feature: bins used by present values. */
  binCount: Uint16Array;
  /** Per feature: the training data has missing values. */
  hasMissing: Uint8Array;
  /** Per feature: 1 when categorical. */
  categorical: Uint8Array;
  minSamplesLeaf: number;
  minHessianToSplit: number;
  l2: number;
  minGainToSplit: number;
}

/** The best split of a node. A numeric split sends bins <= `bin` left; a categorical one the bins in `leftSet`. */
export interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** Categorical splits: the bins (category codes) that go left, 8 words of 32 bits. */
  leftSet: Uint32Array | null;
  gLeft: number;
  hLeft: number;
  nLeft: number;
  gRight: number;
  hRight: number;
  nRight: number;
}

/**
 * Categories whose hessian sum (scaled to a count) in a node is below this are not placed by a
 * categorical split (they go right); also the smoothing added to a category's hessian sum when
 * ordering categories by gradient/hessian (LightGBM's cat_smooth).
 */
const MIN_CATEGORY_SUPPORT = 10;

/** A node's value before shrinkage, as scikit-learn computes it (the 1e-15 keeps H = 0 finite). */
export function nodeValue(g: number, h: number, l2: number): number {
  return -g / (h + l2 + 1e-15);
}

/**
 * The loss reduction of a split (XGBoost's equation 7 without its 1/2), computed as scikit-learn does,
 * from the children's values: `current` is the node's sum of gradients times its value.
 */
function gainOf(gl: number, hl: number, gr: number, hr: number, current: number, l2: number): number {
  return current - gl * nodeValue(gl, hl, l2) - gr * nodeValue(gr, hr, l2);
}

/**
 * The split of largest gain over the allowed features, or null when none is valid. `value` is the
 * node's own value (scikit-learn takes 0 for the root). The search follows scikit-learn 1.2's
 * splitter step by step (ties go to the lower feature, then the first bin scanned), so that on the same
 * data the trees are the same.
 */
export function findBestSplit(
  hist: Float64Array,
  rules: SplitRules,
  n: number,
  sumG: number,
  sumH: number,
  value: number,
  featureMask: Uint8Array | null,
): Split | null {
  let best: Split | null = null;
  const current = sumG * value;
  for (let f = 0; f < rules.features; f++) {
    if (featureMask !== null && featureMask[f] === 0) continue;
    const candidate =
      rules.categorical[f] === 1
        ? categoricalSplit(hist, rules, f, n, sumG, sumH, current)
        : numericSplit(hist, rules, f, n, sumG, sumH, current);
    if (candidate !== null && (best === null || candidate.gain > best.gain)) best = candidate;
  }
  return best;
}

function numericSplit(
  hist: Float64Array,
  rules: SplitRules,
  f: number,
  n: number,
  sumG: number,
  sumH: number,
  current: number,
): Split | null {
  const { minSamplesLeaf, minHessianToSplit, l2, minGainToSplit } = rules;
  const bins = rules.binCount[f] as number;
  const hasMissing = rules.hasMissing[f] === 1;
  const base = (f << 8) * STRIDE;
  let bestGain = -1;
  let bestBin = -1;
  let bestMissingLeft = false;
  let gl = 0;
  let hl = 0;
  let nl = 0;
  // Left to right, missing values on the right: every bin boundary, and with missing values also
  // "every present value left, missing right".
  const end = bins - 1 + (hasMissing ? 1 : 0);
  for (let b = 0; b < end; b++) {
    const o = base + b * STRIDE;
    gl += hist[o] as number;
    hl += hist[o + 1] as number;
    nl += hist[o + 2] as number;
    const nr = n - nl;
    if (nl < minSamplesLeaf) continue;
    if (nr < minSamplesLeaf) break;
    const hr = sumH - hl;
    if (hl < minHessianToSplit) continue;
    if (hr < minHessianToSplit) break;
    const gain = gainOf(gl, hl, sumG - gl, hr, current, l2);
    if (gain > bestGain && gain > minGainToSplit) {
      bestGain = gain;
      bestBin = b;
      bestMissingLeft = false;
    }
  }
  if (hasMissing) {
    // Right to left, missing values on the left.
    let gr = 0;
    let hr = 0;
    let nr = 0;
    for (let b = bins - 2; b >= 0; b--) {
      const o = base + (b + 1) * STRIDE;
      gr += hist[o] as number;
      hr += hist[o + 1] as number;
      nr += hist[o + 2] as number;
      const nLeft = n - nr;
      if (nr < minSamplesLeaf) continue;
      if (nLeft < minSamplesLeaf) break;
      const hLeft = sumH - hr;
      if (hr < minHessianToSplit) continue;
      if (hLeft < minHessianToSplit) break;
      const gain = gainOf(sumG - gr, hLeft, gr, hr, current, l2);
      if (gain > bestGain && gain > minGainToSplit) {
        bestGain = gain;
        bestBin = b;
        bestMissingLeft = true;
      }
    }
  }
  if (bestBin < 0) return null;
  // Recompute the sides of the chosen split from the histogram (cheaper than tracking them in the loops).
  let gLeft = 0;
  let hLeft = 0;
  let nLeft = 0;
  for (let b = 0; b <= bestBin; b++) {
    const o = base + b * STRIDE;
    gLeft += hist[o] as number;
    hLeft += hist[o + 1] as number;
    nLeft += hist[o + 2] as number;
  }
  if (bestMissingLeft) {
    const o = base + MISSING_BIN * STRIDE;
    gLeft += hist[o] as number;
    hLeft += hist[o + 1] as number;
    nLeft += hist[o + 2] as number;
  }
  // Without missing values in training, a missing value at prediction goes where most samples went.
  const missingLeft = hasMissing ? bestMissingLeft : nLeft > n - nLeft;
  return {
    gain: bestGain,
    feature: f,
    bin: bestBin,
    missingLeft,
    leftSet: null,
    gLeft,
    hLeft,
    nLeft,
    gRight: sumG - gLeft,
    hRight: sumH - hLeft,
    nRight: n - nLeft,
  };
}

// Scratch for the categorical search (one split search runs at a time per thread).
const catBins = new Int32Array(257);
const catRatio = new Float64Array(257);

/**
 * A categorical split as scikit-learn (after LightGBM) finds it: the categories with enough support
 * in the node (missing values counting as one more category) are sorted by G/(H + smoothing), and the
 * best prefix of that order, from either end and up to half of them, goes left.
 */
function categoricalSplit(
  hist: Float64Array,
  rules: SplitRules,
  f: number,
  n: number,
  sumG: number,
  sumH: number,
  current: number,
): Split | null {
  const { minSamplesLeaf, minHessianToSplit, l2, minGainToSplit } = rules;
  const base = (f << 8) * STRIDE;
  // Support is measured in hessians scaled to counts (equal to counts when hessians are constant).
  const supportFactor = n / sumH;
  let used = 0;
  const consider = (b: number) => {
    const o = base + b * STRIDE;
    const h = hist[o + 1] as number;
    if (h * supportFactor >= MIN_CATEGORY_SUPPORT) {
      catBins[used] = b;
      catRatio[used] = (hist[o] as number) / (h + MIN_CATEGORY_SUPPORT);
      used++;
    }
  };
  const bins = rules.binCount[f] as number;
  for (let b = 0; b < bins; b++) consider(b);
  if (rules.hasMissing[f] === 1) consider(MISSING_BIN);
  if (used <= 1) return null;
  // Sort the used categories by ratio (insertion sort: at most 256, usually a handful), ties by bin.
  for (let i = 1; i < used; i++) {
    const bin = catBins[i] as number;
    const r = catRatio[i] as number;
    let j = i - 1;
    while (
      j >= 0 &&
      ((catRatio[j] as number) > r || ((catRatio[j] as number) === r && (catBins[j] as number) > bin))
    ) {
      catBins[j + 1] = catBins[j] as number;
      catRatio[j + 1] = catRatio[j] as number;
      j--;
    }
    catBins[j + 1] = bin;
    catRatio[j + 1] = r;
  }
  let bestGain = -1;
  let bestDirection = 0;
  let bestCount = 0;
  for (const direction of [1, -1]) {
    // From the low end up to the middle category; from the high end, to just before it.
    const middle = direction === 1 ? (used + 1) >>> 1 : ((used + 1) >>> 1) - 1;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let i = 0; i < middle; i++) {
      const b = catBins[direction === 1 ? i : used - 1 - i] as number;
      const o = base + b * STRIDE;
      gl += hist[o] as number;
      hl += hist[o + 1] as number;
      nl += hist[o + 2] as number;
      const nr = n - nl;
      if (nl < minSamplesLeaf || nr < minSamplesLeaf) continue;
      const hr = sumH - hl;
      if (hl < minHessianToSplit || hr < minHessianToSplit) continue;
      const gain = gainOf(gl, hl, sumG - gl, hr, current, l2);
      if (gain > bestGain && gain > minGainToSplit) {
        bestGain = gain;
        bestDirection = direction;
        bestCount = i + 1;
      }
    }
  }
  if (bestDirection === 0) return null;
  const leftSet = new Uint32Array(8);
  let gLeft = 0;
  let hLeft = 0;
  let nLeft = 0;
  let missingLeft = false;
  for (let i = 0; i < bestCount; i++) {
    const b = catBins[bestDirection === 1 ? i : used - 1 - i] as number;
    const o = base + b * STRIDE;
    gLeft += hist[o] as number;
    hLeft += hist[o + 1] as number;
    nLeft += hist[o + 2] as number;
    if (b === MISSING_BIN) missingLeft = true;
    leftSet[b >>> 5] = (leftSet[b >>> 5] as number) | (1 << (b & 31));
  }
  if (rules.hasMissing[f] !== 1) missingLeft = nLeft > n - nLeft;
  // The missing bin's bit always says where missing values go, so binned and raw walks agree.
  if (missingLeft) leftSet[7] = (leftSet[7] as number) | (1 << 31);
  else leftSet[7] = (leftSet[7] as number) & ~(1 << 31);
  return {
    gain: bestGain,
    feature: f,
    bin: -1,
    missingLeft,
    leftSet,
    gLeft,
    hLeft,
    nLeft,
    gRight: sumG - gLeft,
    hRight: sumH - hLeft,
    nRight: n - nLeft,
  };
}

/** Whether bin `b` goes left under `split` (the binned twin of the raw-value walk in tree.ts). */
export function goesLeft(split: Split, b: number): boolean {
  if (split.leftSet !== null) return ((split.leftSet[b >>> 5] as number) & (1 << (b & 31))) !== 0;
  if (b === MISSING_BIN) return split.missingLeft;
  return b <= split.bin;
}
