import { MoreThuente } from './more-thuente.js';

/** Writes the gradient at `x` into `grad` and returns the value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept (L-BFGS-B's m). */
  memory?: number;
  /** Stop when max |gradient| <= gtol (scipy's gtol, scikit-learn's tol). */
  gtol?: number;
  /** Stop when (f_old - f) / max(|f_old|, |f|, 1) <= ftol (scipy's default: 1e7 * machine epsilon). */
  ftol?: number;
  maxIter?: number;
  /** Evaluations per line search before it counts as failed (scipy's maxls). */
  maxLineSearch?: number;
  /** After each iteration, with the new value; `false` stops (the current point is kept). */
  onIteration?: (iteration: number, f: number) => boolean | undefined;
}

/** Why the optimizer stopped. */
export type LbfgsStop = 'gradient' | 'objective' | 'max_iter' | 'callback' | 'line_search';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  stop: LbfgsStop;
}

const STEP_MAX = 1e10;
const SCIPY_FTOL = 2.220446049250313e-9;

/**
 * Limited-memory BFGS: the two-loop recursion for the direction, a More-Thuente line search, and
 * L-BFGS-B's bookkeeping for an unbounded problem (first step 1/|d|, then 1; a pair skipped when its
 * curvature s'y is not positive enough; memory dropped and steepest descent retried when a line
 * search fails; the stopping tests in scipy's order). Without bounds L-BFGS-B's direction equals the
 * two-loop one, so this follows scikit-learn's iterates. Minimizes from `x0` (not modified).
 */
export function minimizeLbfgs(fn: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const m = options.memory ?? 10;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? SCIPY_FTOL;
  const maxIter = options.maxIter ?? 15000;
  const maxLs = options.maxLineSearch ?? 20;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const xOld = new Float64Array(n);
  const gOld = new Float64Array(n);
  const d = new Float64Array(n);
  const memory = new Corrections(n, m);
  const search = new MoreThuente();

  let f = fn(x, g);
  let evaluations = 1;
  let iterations = 0;
  if (maxAbs(g) <= gtol) return { x, f, iterations, evaluations, stop: 'gradient' };

  for (;;) {
    memory.direction(g, d);
    const gd = dot(g, d);
    xOld.set(x);
    gOld.set(g);
    const fOld = f;

    let accepted = false;
    let stp = 0;
    if (gd < 0) {
      const first = iterations === 0 ? Math.min(1 / Math.sqrt(dot(d, d)), STEP_MAX) : 1;
      search.start(f, gd, first, STEP_MAX);
      for (let tries = 0; tries < maxLs; tries++) {
        stp = search.stp;
        for (let i = 0; i < n; i++) x[i] = xOld[i]! + stp * d[i]!;
        f = fn(x, g);
        evaluations++;
        if (search.next(f, dot(g, d)) !== 'evaluate') {
          accepted = true;
          break;
        }
      }
    }
    if (!accepted) {
      x.set(xOld);
      g.set(gOld);
      f = fOld;
      if (memory.size === 0) return { x, f, iterations, evaluations, stop: 'line_search' };
      memory.clear();
      continue;
    }

    iterations++;
    const keepGoing = options.onIteration?.(iterations, f);
    if (iterations >= maxIter) return { x, f, iterations, evaluations, stop: 'max_iter' };
    if (keepGoing === false) return { x, f, iterations, evaluations, stop: 'callback' };
    if (maxAbs(g) <= gtol) return { x, f, iterations, evaluations, stop: 'gradient' };
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      return { x, f, iterations, evaluations, stop: 'objective' };
    }
    memory.push(stp, d, g, gOld, -gd * stp);
  }
}

/** The last `m` correction pairs s = x_new - x_old, y = g_new - g_old, in a ring. */
class Corrections {
  size = 0;
  private head = 0;
  private readonly s: Float64Array[];
  private readonly y: Float64Array[];
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  /** s'y / y'y of the newest pair: the scale of the initial inverse Hessian. */
  private gamma = 1;

  constructor(
    private readonly n: number,
    private readonly m: number,
  ) {
    this.s = Array.from({ length: m }, () => new Float64Array(n));
    this.y = Array.from({ length: m }, () => new Float64Array(n));
    this.rho = new Float64Array(m);
    this.alpha = new Float64Array(m);
  }

  clear(): void {
    this.size = 0;
    this.head = 0;
    this.gamma = 1;
  }

  /**
   * Stores s = stp * d and y = g - gOld unless s'y <= eps * (-g_old's), L-BFGS-B's test that keeps
   * the implicit Hessian positive definite.
   */
  push(stp: number, d: Float64Array, g: Float64Array, gOld: Float64Array, descent: number): void {
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < this.n; i++) {
      const yi = g[i]! - gOld[i]!;
      sy += stp * d[i]! * yi;
      yy += yi * yi;
    }
    if (!(sy > Number.EPSILON * descent)) return;
    const slot = (this.head + this.size) % this.m;
    const s = this.s[slot]!;
    const y = this.y[slot]!;
    for (let i = 0; i < this.n; i++) {
      s[i] = stp * d[i]!;
      y[i] = g[i]! - gOld[i]!;
    }
    this.rho[slot] = 1 / sy;
    this.gamma = sy / yy;
    if (this.size < this.m) this.size++;
    else this.head = (this.head + 1) % this.m;
  }

  /** d = -H g by the two-loop recursion (d = -g with no pairs). */
  direction(g: Float64Array, d: Float64Array): void {
    const n = this.n;
    d.set(g);
    for (let k = this.size - 1; k >= 0; k--) {
      const slot = (this.head + k) % this.m;
      const a = this.rho[slot]! * dot(this.s[slot]!, d);
      this.alpha[slot] = a;
      axpy(-a, this.y[slot]!, d);
    }
    if (this.size > 0) for (let i = 0; i < n; i++) d[i] = this.gamma * d[i]!;
    for (let k = 0; k < this.size; k++) {
      const slot = (this.head + k) % this.m;
      const beta = this.rho[slot]! * dot(this.y[slot]!, d);
      axpy(this.alpha[slot]! - beta, this.s[slot]!, d);
    }
    for (let i = 0; i < n; i++) d[i] = -d[i]!;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
