/**
 * The More-Thuente line search (More and Thuente, "Line search algorithms with guaranteed sufficient
 * decrease", ACM TOMS 20, 1994), in the form MINPACK-2's dcsrch gives it and L-BFGS-B (so scipy, so
 * scikit-learn's lbfgs solver) calls it: the same constants and the same safeguards, so our optimizer
 * takes the steps scikit-learn's takes and stops where it stops.
 *
 * Reverse communication: `start` with the value and slope at step 0, then evaluate at `stp` and call
 * `next` until it answers something other than 'evaluate'. The accepted step is always the one last
 * evaluated.
 */

export type LineSearchStatus = 'evaluate' | 'converged' | 'warning';

/** Interval bookkeeping shared with `cubicStep`: the best step so far (x) and the other end (y). */
interface Bracket {
  stx: number;
  fx: number;
  gx: number;
  sty: number;
  fy: number;
  gy: number;
  brackt: boolean;
}

const XTRAPL = 1.1;
const XTRAPU = 4.0;

export class MoreThuente {
  /** The step to evaluate next (or, after 'converged'/'warning', the accepted one). */
  stp = 0;
  private readonly b: Bracket = { stx: 0, fx: 0, gx: 0, sty: 0, fy: 0, gy: 0, brackt: false };
  private readonly m: Bracket = { stx: 0, fx: 0, gx: 0, sty: 0, fy: 0, gy: 0, brackt: false };
  private stage = 1;
  private finit = 0;
  private ginit = 0;
  private gtest = 0;
  private width = 0;
  private width1 = 0;
  private stmin = 0;
  private stmax = 0;

  /**
   * `ftol` and `gtol` are the sufficient-decrease and curvature constants, `xtol` the relative width of
   * the interval below which the search gives up; L-BFGS-B uses 1e-3, 0.9 and 0.1.
   */
  constructor(
    private readonly ftol = 1e-3,
    private readonly gtol = 0.9,
    private readonly xtol = 0.1,
    private readonly stpmin = 0,
    private stpmax = 1e10,
  ) {}

  /** `g0` must be negative (a descent direction); `stp` is the first step to try. */
  start(f0: number, g0: number, stp: number, stpmax = this.stpmax): void {
    if (!(g0 < 0)) throw new Error(`line search: the initial slope must be negative, got ${g0}`);
    this.stpmax = stpmax;
    this.stp = Math.min(Math.max(stp, this.stpmin), stpmax);
    this.stage = 1;
    this.finit = f0;
    this.ginit = g0;
    this.gtest = this.ftol * g0;
    this.width = stpmax - this.stpmin;
    this.width1 = this.width / 0.5;
    Object.assign(this.b, { stx: 0, fx: f0, gx: g0, sty: 0, fy: f0, gy: g0, brackt: false });
    this.stmin = 0;
    this.stmax = this.stp + XTRAPU * this.stp;
  }

  /** Takes the value `f` and slope `g` at `stp`; answers whether to evaluate again (at the new `stp`). */
  next(f: number, g: number): LineSearchStatus {
    const b = this.b;
    const stp = this.stp;
    const ftest = this.finit + stp * this.gtest;
    if (this.stage === 1 && f <= ftest && g >= 0) this.stage = 2;

    let status: LineSearchStatus = 'evaluate';
    if (b.brackt && (stp <= this.stmin || stp >= this.stmax)) status = 'warning';
    if (b.brackt && this.stmax - this.stmin <= this.xtol * this.stmax) status = 'warning';
    if (stp === this.stpmax && f <= ftest && g <= this.gtest) status = 'warning';
    if (stp === this.stpmin && (f > ftest || g >= this.gtest)) status = 'warning';
    if (f <= ftest && Math.abs(g) <= this.gtol * -this.ginit) status = 'converged';
    if (status !== 'evaluate') return status;

    let next: number;
    if (this.stage === 1 && f <= b.fx && f > ftest) {
      // Until a step has sufficient decrease, steer by psi(stp) = f(stp) - f(0) - ftol*stp*f'(0),
      // whose minimizer the interval then brackets.
      const gt = this.gtest;
      const m = this.m;
      Object.assign(m, {
        stx: b.stx,
        fx: b.fx - b.stx * gt,
        gx: b.gx - gt,
        sty: b.sty,
        fy: b.fy - b.sty * gt,
        gy: b.gy - gt,
        brackt: b.brackt,
      });
      next = cubicStep(m, stp, f - stp * gt, g - gt, this.stmin, this.stmax);
      Object.assign(b, {
        stx: m.stx,
        fx: m.fx + m.stx * gt,
        gx: m.gx + gt,
        sty: m.sty,
        fy: m.fy + m.sty * gt,
        gy: m.gy + gt,
        brackt: m.brackt,
      });
    } else {
      next = cubicStep(b, stp, f, g, this.stmin, this.stmax);
    }

    // Bisect when the interval has not shrunk enough over the last two steps.
    if (b.brackt) {
      if (Math.abs(b.sty - b.stx) >= 0.66 * this.width1) next = b.stx + 0.5 * (b.sty - b.stx);
      this.width1 = this.width;
      this.width = Math.abs(b.sty - b.stx);
    }
    if (b.brackt) {
      this.stmin = Math.min(b.stx, b.sty);
      this.stmax = Math.max(b.stx, b.sty);
    } else {
      this.stmin = next + XTRAPL * (next - b.stx);
      this.stmax = next + XTRAPU * (next - b.stx);
    }
    next = Math.min(Math.max(next, this.stpmin), this.stpmax);
    if (
      (b.brackt && (next <= this.stmin || next >= this.stmax)) ||
      (b.brackt && this.stmax - this.stmin <= this.xtol * this.stmax)
    ) {
      // No progress is possible any more: evaluate the best step again, so it is the accepted one.
      next = b.stx;
    }
    this.stp = next;
    return 'evaluate';
  }
}

/**
 * The safeguarded step of More-Thuente (dcstep): a cubic, quadratic or secant interpolation chosen by
 * the four cases of the paper. Updates the bracket with the trial point (stp, fp, dp) and returns the
 * next step.
 */
function cubicStep(b: Bracket, stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
  const { stx, fx, gx: dx, sty, fy, gy: dy } = b;
  const sgnd = dp * (dx / Math.abs(dx));
  let stpf: number;

  if (fp > fx) {
    // Higher value: the minimum is bracketed; prefer the cubic step if it is closer to stx.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    b.brackt = true;
  } else if (sgnd < 0) {
    // Lower value, slopes of opposite signs: bracketed; the step farther from stp of cubic and secant.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dx / s) * (dp / s));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    b.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // Lower value, same sign, slope shrinking: the cubic only if it tends to infinity in the direction
    // of the step or its minimum lies beyond stp; otherwise the secant.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else stpc = stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (b.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (b.brackt) {
    // Lower value, same sign, slope not shrinking, bracketed: the cubic between stp and sty.
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) ** 2 - (dy / s) * (dp / s));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }

  if (fp > fx) {
    b.sty = stp;
    b.fy = fp;
    b.gy = dp;
  } else {
    if (sgnd < 0) {
      b.sty = stx;
      b.fy = fx;
      b.gy = dx;
    }
    b.stx = stp;
    b.fx = fp;
    b.gx = dp;
  }
  return stpf;
}
