import { describe, expect, it } from 'vitest';
import { createRandom } from './random.js';

describe('createRandom', () => {
  it('repeats a stream for the same seed and streams, and differs otherwise', () => {
    const draw = (...args: [number, ...number[]]) => {
      const rng = createRandom(...args);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(42, 3)).toEqual(draw(42, 3));
    expect(draw(42, 3)).not.toEqual(draw(42, 4));
    expect(draw(42, 3)).not.toEqual(draw(43, 3));
    // The high bits of a seed matter too.
    expect(draw(2 ** 40)).not.toEqual(draw(0));
  });

  it('is uniform in [0, 1) and normal() is standard normal', () => {
    const rng = createRandom(7);
    const n = 20_000;
    const u = Array.from({ length: n }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((a, b) => a + b, 0) / n).toBeCloseTo(0.5, 2);
    const z = Array.from({ length: n }, () => rng.normal());
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeCloseTo(1, 1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[rng.int(3)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRandom(0.5)).toThrow(RangeError);
  });
});
