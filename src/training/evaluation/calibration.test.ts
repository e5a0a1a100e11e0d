import { describe, expect, it } from 'vitest';
import { calibrationMismatches, f64, reference } from './evaluation-reference.fixture.js';
import { calibrationTable } from './index.js';

describe('calibration table agrees with sklearn calibration_curve(n_bins=10, uniform)', () => {
  for (const c of reference.classification.filter((r) => r.task === 'binary')) {
    it(c.name, () => {
      const table = calibrationTable(f64(c.yTrue), f64(c.probabilities));
      const theirs = c.expected.calibration!;
      expect(calibrationMismatches(table, theirs)).toEqual([]);
      // numpy's linspace edges, bit for bit: 0.30000000000000004 is what decides where 0.3 falls.
      expect(table.map((b) => b.lower)).toEqual(theirs.edges.slice(0, -1));
      expect(table.map((b) => b.upper)).toEqual(theirs.edges.slice(1));
    });
  }

  it('puts a probability on an inner edge in the bin below it, and 0 and 1 in the end bins', () => {
    const p = [0, 0.1, 0.2, 0.3, 0.5, 0.9, 1];
    const probabilities = f64(p.flatMap((v) => [1 - v, v]));
    const table = calibrationTable(f64(p.map(() => 1)), probabilities);
    expect(table.map((b) => b.count)).toEqual([2, 1, 1, 0, 1, 0, 0, 0, 1, 1]);
    expect(table[3]!.meanPredicted).toBeNull();
    expect(table[3]!.fractionPositive).toBeNull();
  });

  it('takes another number of bins, and refuses a bad one or a multiclass input', () => {
    const probabilities = f64([0.9, 0.1, 0.2, 0.8, 0.5, 0.5]);
    const table = calibrationTable(f64([0, 1, 1]), probabilities, { bins: 4 });
    expect(table.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.25, 1],
      [0.25, 0.5, 1],
      [0.5, 0.75, 0],
      [0.75, 1, 1],
    ]);
    expect(() => calibrationTable(f64([0, 1, 1]), probabilities, { bins: 0 })).toThrow(/bins must be/);
    expect(() => calibrationTable(f64([0, 1]), f64([0.2, 0.3, 0.5, 0.1, 0.1, 0.8]))).toThrow(
      /probabilities hold 6/,
    );
  });
});
