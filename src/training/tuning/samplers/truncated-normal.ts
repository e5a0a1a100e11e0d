import type { Random } from '../random.js';

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The complementary error function, with a fractional error below 1.2e-7 everywhere (Numerical Recipes'
 * Chebyshev fit), so tail probabilities keep their relative precision.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function logStandardNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** log P(a <= Z <= b) for a standard normal Z, computed on the tail side so it stays precise. */
export function logStandardNormalMass(a: number, b: number): number {
  if (!(b > a)) return Number.NEGATIVE_INFINITY;
  // A narrow interval: the midpoint rule is exact to ~(b-a)^2/24 relatively, far better than a
  // difference of two nearly equal erfc values.
  if (b - a < 1e-2) return logStandardNormalPdf((a + b) / 2) + Math.log(b - a);
  let mass: number;
  if (a >= 0) mass = 0.5 * (erfc(a * SQRT1_2) - erfc(b * SQRT1_2));
  else if (b <= 0) mass = 0.5 * (erfc(-b * SQRT1_2) - erfc(-a * SQRT1_2));
  else mass = 1 - 0.5 * erfc(b * SQRT1_2) - 0.5 * erfc(-a * SQRT1_2);
  return Math.log(mass);
}

/**
 * A draw from N(mu, sigma) truncated to [low, high], by rejection. The Parzen estimators only build
 * components with mu inside the interval and sigma at most its width, so a draw lands inside with
 * probability above 0.19 and 200 misses in a row (p < 1e-18) never happen; mu is the fallback all the same.
 */
export function sampleTruncatedNormal(
  rng: Random,
  mu: number,
  sigma: number,
  low: number,
  high: number,
): number {
  for (let i = 0; i < 200; i++) {
    const x = mu + sigma * rng.normal();
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mu));
}
