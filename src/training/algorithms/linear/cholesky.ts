/**
 * Solves A x = b for a symmetric positive definite `A` (p x p, row-major; only the lower triangle is
 * read) by A = L L^T. Returns null when A is not positive definite, so the caller can say why in its own
 * terms: a pivot is taken as zero when no more than rounding noise of its diagonal entry is left (a
 * singular A rarely leaves an exact 0 or a negative value). `A` is overwritten with L.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  for (let j = 0; j < p; j++) {
    const original = a[j * p + j]!;
    let diag = original;
    for (let k = 0; k < j; k++) diag -= a[j * p + k]! ** 2;
    if (!(diag > p * Number.EPSILON * original)) return null;
    const pivot = Math.sqrt(diag);
    a[j * p + j] = pivot;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / pivot;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < p; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= a[i * p + k]! * x[k]!;
    x[i] = s / a[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < p; k++) s -= a[k * p + i]! * x[k]!;
    x[i] = s / a[i * p + i]!;
  }
  return x;
}
