import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../random.js';
import { binValue, MISSING_BIN } from '../bins.js';
import { TreeWorkspace } from '../workspace.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

describe('WebAssembly kernels', () => {
  it('are compiled from the committed kernels.wat', () => {
    const run = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  const rows = 3000;
  const features = 5;
  const rng = createRandom(42);
  const space = new TreeWorkspace(rows, features, 1, 2);
  const values = new Float64Array(rows * features);
  for (let i = 0; i < values.length; i++)
    values[i] = rng.next() < 0.1 ? Number.NaN : Math.floor(rng.next() * 40);
  const thresholds = Array.from({ length: features }, (_, j) =>
    Float64Array.from({ length: 10 + j }, (_, k) => k * 3.5),
  );
  space.bin(
    {
      thresholds,
      binCount: Uint16Array.from(thresholds, (t) => t.length + 1),
      hasMissing: new Uint8Array(features).fill(1),
    },
    {
      rows,
      columns: features,
      values,
      names: ['a', 'b', 'c', 'd', 'e'],
      categories: Array(features).fill(null),
    },
  );

  it('bin values as the binary search over thresholds does, NaN to the missing bin', () => {
    for (let j = 0; j < features; j++) {
      for (let i = 0; i < rows; i++) {
        const expected = binValue(thresholds[j] as Float64Array, values[j * rows + i] as number);
        expect(space.binnedCols[j * rows + i]).toBe(expected);
      }
    }
    expect(space.binnedCols.includes(MISSING_BIN)).toBe(true);
  });

  it('build the histogram of the samples given, for the features asked', () => {
    const g = space.gradients[0] as Float32Array;
    const h = space.hessians[0] as Float32Array;
    for (let i = 0; i < rows; i++) {
      g[i] = rng.next() - 0.5;
      h[i] = rng.next();
      space.idx[i] = rows - 1 - i;
    }
    const hist = space.take();
    hist.values.fill(7);
    space.histogram(hist, 100, 2500, 0, false, 1, 4);
    const expected = new Float64Array(hist.values.length).fill(7);
    for (let f = 1; f < 4; f++) expected.fill(0, f * 768, (f + 1) * 768);
    for (let k = 100; k < 2500; k++) {
      const i = space.idx[k] as number;
      for (let f = 1; f < 4; f++) {
        const o = ((f << 8) | (space.binnedCols[f * rows + i] as number)) * 3;
        expected[o] = (expected[o] as number) + (g[i] as number);
        expected[o + 1] = (expected[o + 1] as number) + (h[i] as number);
        expected[o + 2] = (expected[o + 2] as number) + 1;
      }
    }
    expect(Array.from(hist.values)).toEqual(Array.from(expected));
    // Constant hessians: each sample counts 1.
    space.histogram(hist, 0, rows, 0, true);
    for (let o = 0; o < hist.values.length; o += 3) expect(hist.values[o + 1]).toBe(hist.values[o + 2]);
  });

  it('partition samples left and right, each side in its order', () => {
    for (let i = 0; i < rows; i++) space.idx[i] = i;
    const mid = space.partition(
      {
        feature: 2,
        bin: 4,
        missingLeft: true,
        leftSet: null,
        gain: 1,
        gLeft: 0,
        hLeft: 0,
        nLeft: 0,
        gRight: 0,
        hRight: 0,
        nRight: 0,
      },
      10,
      rows,
    );
    const goesLeft = (i: number) => {
      const b = space.binnedCols[2 * rows + i] as number;
      return b === MISSING_BIN || b <= 4;
    };
    const all = Array.from({ length: rows - 10 }, (_, k) => k + 10);
    expect(Array.from(space.idx.subarray(10, mid))).toEqual(all.filter(goesLeft));
    expect(Array.from(space.idx.subarray(mid, rows))).toEqual(all.filter((i) => !goesLeft(i)));
    expect(Array.from(space.idx.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // A categorical split: the bins in the set go left.
    const set = new Uint32Array(8);
    set[0] = (1 << 3) | (1 << 7);
    for (let i = 0; i < rows; i++) space.idx[i] = i;
    const cut = space.partition(
      {
        feature: 0,
        bin: -1,
        missingLeft: false,
        leftSet: set,
        gain: 1,
        gLeft: 0,
        hLeft: 0,
        nLeft: 0,
        gRight: 0,
        hRight: 0,
        nRight: 0,
      },
      0,
      rows,
    );
    for (let k = 0; k < rows; k++) {
      const b = space.binnedCols[space.idx[k] as number] as number;
      expect(k < cut).toBe(b === 3 || b === 7);
    }
  });
});
