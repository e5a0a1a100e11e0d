import type { LinearDesign } from './design.js';

/**
 * Rows per block: the block's slice of every numeric column (20 columns: 320 KB) stays in cache
 * between computing the scores and the gradient, so X streams from memory once per evaluation.
 */
const BLOCK = 2048;

/**
 * The objective scikit-learn 1.2's lbfgs solver minimizes, so its tolerance means the same here:
 * sum_i s_i * logloss_i + ||W||^2 / (2C), the intercepts not penalized; binomial for two classes
 * (one score per row), multinomial (softmax, one score per class) otherwise.
 *
 * Parameters: per score k, `width` coefficients then the intercept, at k * (width + 1).
 */
export class LogisticLoss {
  /** Length of the parameter vector. */
  readonly size: number;
  /** sum_i s_i * logloss_i at the last evaluation (without the penalty). */
  dataLoss = 0;
  private readonly z: Float64Array;
  private readonly r: Float64Array;

  /**
   * `y` holds class codes; `scores` is 1 for a binary problem (the score of class 1) or the number of
   * classes; `l2` is 1/C.
   */
  constructor(
    private readonly design: LinearDesign,
    private readonly width: number,
    private readonly y: Float64Array,
    private readonly weights: Float64Array,
    private readonly scores: number,
    private readonly l2: number,
  ) {
    this.size = scores * (width + 1);
    this.z = new Float64Array(BLOCK * scores);
    this.r = new Float64Array(BLOCK * scores);
  }

  /** Writes the gradient into `grad`, returns the objective. */
  evaluate(params: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    const n = this.design.rows;
    let loss = 0;
    for (let start = 0; start < n; start += BLOCK) {
      const len = Math.min(BLOCK, n - start);
      for (let k = 0; k < this.scores; k++) this.addScores(params, k, start, len);
      loss += this.scores === 1 ? this.binomial(start, len) : this.multinomial(start, len);
      for (let k = 0; k < this.scores; k++) this.addGradient(grad, k, start, len);
    }
    this.dataLoss = loss;
    const stride = this.width + 1;
    let penalty = 0;
    for (let k = 0; k < this.scores; k++) {
      for (let j = k * stride; j < k * stride + this.width; j++) {
        const w = params[j]!;
        penalty += w * w;
        grad[j]! += this.l2 * w;
      }
    }
    return loss + 0.5 * this.l2 * penalty;
  }

  /** z_k[0..len) = intercept_k + X[start..start+len) w_k; four columns per pass over the block. */
  private addScores(params: Float64Array, k: number, start: number, len: number): void {
    const { numeric: x, numericCoef: coefOf, categorical, rows: n } = this.design;
    const z = this.z;
    const at = k * (this.width + 1);
    const zo = k * BLOCK;
    z.fill(params[at + this.width]!, zo, zo + len);
    const p = coefOf.length;
    let c = 0;
    for (; c + 3 < p; c += 4) {
      const w0 = params[at + coefOf[c]!]!;
      const w1 = params[at + coefOf[c + 1]!]!;
      const w2 = params[at + coefOf[c + 2]!]!;
      const w3 = params[at + coefOf[c + 3]!]!;
      const o0 = c * n + start;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      for (let i = 0; i < len; i++) {
        z[zo + i]! += x[o0 + i]! * w0 + x[o1 + i]! * w1 + x[o2 + i]! * w2 + x[o3 + i]! * w3;
      }
    }
    for (; c < p; c++) {
      const w0 = params[at + coefOf[c]!]!;
      const o0 = c * n + start;
      for (let i = 0; i < len; i++) z[zo + i]! += x[o0 + i]! * w0;
    }
    for (const { codes, offset } of categorical) {
      const base = at + offset;
      for (let i = 0; i < len; i++) z[zo + i]! += params[base + codes[start + i]!]!;
    }
  }

  /** Loss of the block; r = s_i * (sigmoid(z_i) - y_i). One exp and one log1p per row. */
  private binomial(start: number, len: number): number {
    const { z, r, y, weights } = this;
    let loss = 0;
    for (let i = 0; i < len; i++) {
      const zi = z[i]!;
      const yi = y[start + i]!;
      const si = weights[start + i]!;
      const e = Math.exp(-Math.abs(zi));
      loss += si * ((zi > 0 ? zi : 0) + Math.log1p(e) - yi * zi);
      const p = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
      r[i] = si * (p - yi);
    }
    return loss;
  }

  /** Loss of the block; r_k = s_i * (softmax_k(z_i) - [y_i = k]). */
  private multinomial(start: number, len: number): number {
    const { z, r, y, weights, scores } = this;
    let loss = 0;
    for (let i = 0; i < len; i++) {
      let max = z[i]!;
      for (let k = 1; k < scores; k++) max = Math.max(max, z[k * BLOCK + i]!);
      let sum = 0;
      for (let k = 0; k < scores; k++) {
        const e = Math.exp(z[k * BLOCK + i]! - max);
        r[k * BLOCK + i] = e;
        sum += e;
      }
      const yi = y[start + i]!;
      const si = weights[start + i]!;
      loss += si * (max + Math.log(sum) - z[yi * BLOCK + i]!);
      const scale = si / sum;
      for (let k = 0; k < scores; k++) r[k * BLOCK + i] = r[k * BLOCK + i]! * scale - (k === yi ? si : 0);
    }
    return loss;
  }

  /** grad_k += X[start..start+len)^T r_k, and the intercept's sum r_k. */
  private addGradient(grad: Float64Array, k: number, start: number, len: number): void {
    const { numeric: x, numericCoef: coefOf, categorical, rows: n } = this.design;
    const r = this.r;
    const at = k * (this.width + 1);
    const ro = k * BLOCK;
    let sum = 0;
    for (let i = 0; i < len; i++) sum += r[ro + i]!;
    grad[at + this.width]! += sum;
    const p = coefOf.length;
    let c = 0;
    for (; c + 3 < p; c += 4) {
      const o0 = c * n + start;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < len; i++) {
        const ri = r[ro + i]!;
        s0 += x[o0 + i]! * ri;
        s1 += x[o1 + i]! * ri;
        s2 += x[o2 + i]! * ri;
        s3 += x[o3 + i]! * ri;
      }
      grad[at + coefOf[c]!]! += s0;
      grad[at + coefOf[c + 1]!]! += s1;
      grad[at + coefOf[c + 2]!]! += s2;
      grad[at + coefOf[c + 3]!]! += s3;
    }
    for (; c < p; c++) {
      const o0 = c * n + start;
      let s0 = 0;
      for (let i = 0; i < len; i++) s0 += x[o0 + i]! * r[ro + i]!;
      grad[at + coefOf[c]!]! += s0;
    }
    for (const { codes, offset } of categorical) {
      const base = at + offset;
      for (let i = 0; i < len; i++) grad[base + codes[start + i]!]! += r[ro + i]!;
    }
  }
}
