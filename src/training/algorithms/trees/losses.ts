import type { Task } from '../../model.entity.js';

/**
 * The losses gradient boosting minimizes, as scikit-learn's HalfSquaredError, HalfBinomialLoss and
 * HalfMultinomialLoss: raw predictions are in link space (the identity, the logit, a symmetric
 * multinomial logit), `outputs` per row, row-major.
 */
export interface BoostingLoss {
  /** Raw outputs per row: 1, or the number of classes for multiclass. */
  outputs: number;
  /** Hessians are all 1: the histograms count instead of summing them. */
  constantHessian: boolean;
  /** The raw prediction of a model with no trees: the link of the (weighted) mean target. */
  baseline(y: Float64Array, rows: Uint32Array | null): Float64Array;
  /**
   * Per output k, gradients[k][i] and hessians[k][i] of the loss of row i at `raw`, for rows
   * [from, to) (two threads each take a part).
   */
  gradients(
    y: Float64Array,
    raw: Float64Array,
    gradients: Float32Array[],
    hessians: Float32Array[],
    from: number,
    to: number,
  ): void;
  /** Mean loss over the rows (all, or those listed). */
  loss(y: Float64Array, raw: Float64Array, rows: Uint32Array | null): number;
  /** Turns raw outputs into predictions in place: identity, or probabilities (`probabilities` per row). */
  predictions(raw: Float64Array, rows: number): Float64Array;
}

export function lossFor(task: Task, classes: number): BoostingLoss {
  if (task === 'regression') return squaredError;
  if (task === 'binary') return binomial;
  return multinomial(classes);
}

const each = (n: number, rows: Uint32Array | null, fn: (i: number) => void) => {
  if (rows === null) for (let i = 0; i < n; i++) fn(i);
  else for (let k = 0; k < rows.length; k++) fn(rows[k] as number);
};

const squaredError: BoostingLoss = {
  outputs: 1,
  constantHessian: true,
  baseline(y, rows) {
    let sum = 0;
    each(y.length, rows, (i) => {
      sum += y[i] as number;
    });
    return Float64Array.of(sum / (rows ? rows.length : y.length));
  },
  gradients(y, raw, gradients, _hessians, from, to) {
    const g = gradients[0] as Float32Array;
    for (let i = from; i < to; i++) g[i] = (raw[i] as number) - (y[i] as number);
  },
  loss(y, raw, rows) {
    let sum = 0;
    each(y.length, rows, (i) => {
      const d = (raw[i] as number) - (y[i] as number);
      sum += 0.5 * d * d;
    });
    return sum / (rows ? rows.length : y.length);
  },
  predictions: (raw) => raw,
};

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** 1 / (1 + e^-x), with one exp and no overflow. */
function sigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

const binomial: BoostingLoss = {
  outputs: 1,
  constantHessian: false,
  baseline(y, rows) {
    let sum = 0;
    each(y.length, rows, (i) => {
      sum += y[i] as number;
    });
    const eps = 10 * Number.EPSILON;
    const p = Math.min(Math.max(sum / (rows ? rows.length : y.length), eps), 1 - eps);
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(y, raw, gradients, hessians, from, to) {
    const g = gradients[0] as Float32Array;
    const h = hessians[0] as Float32Array;
    for (let i = from; i < to; i++) {
      const p = sigmoid(raw[i] as number);
      g[i] = p - (y[i] as number);
      h[i] = p * (1 - p);
    }
  },
  loss(y, raw, rows) {
    let sum = 0;
    each(y.length, rows, (i) => {
      const r = raw[i] as number;
      sum += softplus(r) - (y[i] as number) * r;
    });
    return sum / (rows ? rows.length : y.length);
  },
  predictions(raw, rows) {
    const out = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      const p = sigmoid(raw[i] as number);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  },
};

function multinomial(k: number): BoostingLoss {
  return {
    outputs: k,
    constantHessian: false,
    baseline(y, rows) {
      const counts = new Float64Array(k);
      each(y.length, rows, (i) => {
        counts[y[i] as number] = (counts[y[i] as number] as number) + 1;
      });
      const n = rows ? rows.length : y.length;
      const eps = Number.EPSILON;
      const logs = Array.from(counts, (c) => Math.log(Math.min(Math.max(c / n, eps), 1 - eps)));
      // The symmetric link: log p_k minus the mean over classes.
      const mean = logs.reduce((a, b) => a + b, 0) / k;
      return Float64Array.from(logs, (l) => l - mean);
    },
    gradients(y, raw, gradients, hessians, from, to) {
      const p = new Float64Array(k);
      for (let i = from; i < to; i++) {
        softmaxRow(raw, i * k, k, p, 0);
        const label = y[i] as number;
        for (let c = 0; c < k; c++) {
          const pc = p[c] as number;
          (gradients[c] as Float32Array)[i] = pc - (c === label ? 1 : 0);
          (hessians[c] as Float32Array)[i] = pc * (1 - pc);
        }
      }
    },
    loss(y, raw, rows) {
      let sum = 0;
      each(y.length, rows, (i) => {
        const o = i * k;
        let max = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) max = Math.max(max, raw[o + c] as number);
        let s = 0;
        for (let c = 0; c < k; c++) s += Math.exp((raw[o + c] as number) - max);
        sum += max + Math.log(s) - (raw[o + (y[i] as number)] as number);
      });
      return sum / (rows ? rows.length : y.length);
    },
    predictions(raw, rows) {
      const out = new Float64Array(rows * k);
      for (let i = 0; i < rows; i++) softmaxRow(raw, i * k, k, out, i * k);
      return out;
    },
  };
}

function softmaxRow(raw: Float64Array, from: number, k: number, out: Float64Array, to: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) max = Math.max(max, raw[from + c] as number);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((raw[from + c] as number) - max);
    out[to + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[to + c] = (out[to + c] as number) / sum;
}

/** One row's raw outputs to predictions, in place in `out` (identity, [1-p, p], or softmax). */
export function rowPredictions(task: Task, raw: Float64Array, out: Float64Array): void {
  if (task === 'regression') out[0] = raw[0] as number;
  else if (task === 'binary') {
    const p = sigmoid(raw[0] as number);
    out[0] = 1 - p;
    out[1] = p;
  } else softmaxRow(raw, 0, raw.length, out, 0);
}
