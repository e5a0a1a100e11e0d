import { describe, expect, it } from 'vitest';
import { categoryPsi, histogramPsi, PSI_EPSILON, psiOfCounts, rebin } from './index.js';

const term = (p: number, q: number) => (q - p) * Math.log(q / p);

describe('PSI', () => {
  it('of identical distributions is 0, whatever the totals', () => {
    expect(psiOfCounts([5, 5, 10], [50, 50, 100])).toBe(0);
  });

  it('sums (q - p) ln(q / p) over the bins', () => {
    // p = (0.5, 0.5), q = (0.2, 0.8): 0.3 ln 2.5 + 0.3 ln 1.6 = 0.3 ln 4.
    expect(psiOfCounts([5, 5], [2, 8])).toBeCloseTo(0.3 * Math.log(4), 15);
  });

  it('floors empty proportions at 1e-4, so an empty bin stays finite', () => {
    const expected = 2 * term(PSI_EPSILON, 1);
    expect(psiOfCounts([10, 0], [0, 10])).toBeCloseTo(expected, 12);
    expect(psiOfCounts([0, 0], [1, 1])).toBeNull();
  });

  it('is exact on histograms with the same edges', () => {
    const psi = histogramPsi({ edges: [0, 1, 2], counts: [5, 5] }, { edges: [0, 1, 2], counts: [2, 8] });
    expect(psi).toMatchObject({ method: 'exact', approximate: false, reason: null });
    expect(psi.value).toBeCloseTo(0.3 * Math.log(4), 15);
  });

  it("re-bins the new histogram into the old one's edges, uniformly within each bin, when edges differ", () => {
    const from = { edges: [0, 1, 2], counts: [4, 4] };
    const to = { edges: [0.5, 1.5, 2.5], counts: [4, 4] };
    // [below 0, 0..1, 1..2, above 2]: half of each new bin falls on either side of 1.5 and of 2.
    expect(rebin(to, from.edges)).toEqual([0, 2, 4, 2]);
    const psi = histogramPsi(from, to);
    expect(psi).toMatchObject({ method: 'rebinned', approximate: true });
    expect(psi.reason).toContain('uniform');
    // p = (0, 0.5, 0.5, 0), q = (0, 0.25, 0.5, 0.25), zeros floored at 1e-4.
    expect(psi.value).toBeCloseTo(term(0.5, 0.25) + term(PSI_EPSILON, 0.25), 12);
  });

  it('re-bins a wide bin over several narrow ones and values below the range', () => {
    expect(rebin({ edges: [-1, 3], counts: [8] }, [0, 1, 2])).toEqual([2, 2, 2, 2]);
    expect(rebin({ edges: [0, 10, 20], counts: [0, 5] }, [0, 5, 10])).toEqual([0, 0, 0, 5]);
  });

  it('gives no value for a malformed histogram', () => {
    const psi = histogramPsi({ edges: [0, 1], counts: [1, 2] }, { edges: [0, 1, 2], counts: [1, 2] });
    expect(psi).toMatchObject({ value: null, method: null, reason: 'a histogram is malformed' });
  });

  it('over categories counts a category missing on one side as empty', () => {
    const from = [
      { value: 'x', count: 6 },
      { value: 'y', count: 4 },
    ];
    const to = [
      { value: 'x', count: 4 },
      { value: 'y', count: 4 },
      { value: 'z', count: 2 },
    ];
    expect(categoryPsi(from, to)).toBeCloseTo(term(0.6, 0.4) + term(0.4, 0.4) + term(PSI_EPSILON, 0.2), 12);
  });
});
