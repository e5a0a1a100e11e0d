import type { FeatureMatrix } from '../../model.entity.js';
import { type BinMapper, MISSING_BIN } from './bins.js';
import { BINS, STRIDE } from './histogram.js';
import type { Split } from './split.js';
import { WASM_BASE64 } from './wasm/kernels.wasm.js';

/** The exports of kernels.wat. Pointers are byte offsets into the workspace's memory. */
export interface Kernels {
  histogram(
    hist: number,
    binned: number,
    features: number,
    f0: number,
    f1: number,
    idx: number,
    start: number,
    end: number,
    g: number,
    h: number,
  ): void;
  partition(
    col: number,
    idx: number,
    start: number,
    end: number,
    bin: number,
    missingLeft: number,
    set: number,
    scratch: number,
  ): number;
  bin_numeric(
    values: number,
    rows: number,
    t: number,
    n: number,
    rowOut: number,
    features: number,
    colOut: number,
  ): void;
}

/** A node's histogram: where it lives in the workspace memory, and a view of it. */
export interface Histogram {
  ptr: number;
  values: Float64Array;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled kernels module (compiled once per thread). */
export function kernelsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
  return compiled;
}

export function instantiateKernels(memory: WebAssembly.Memory): Kernels {
  const instance = new WebAssembly.Instance(kernelsModule(), { env: { memory } });
  return instance.exports as unknown as Kernels;
}

const PAGE = 65536;
const HIST_BYTES_PER_FEATURE = BINS * STRIDE * 8;

/**
 * Everything a tree trainer's kernels touch, in one WebAssembly memory sized once for the fit (it never
 * grows, so the typed-array views stay valid) and shared, so a helper thread can work on it too:
 * the binned matrix twice (row-major for histograms, one column per feature for partitions), the
 * sample index and its scratch, gradients and hessians per output, and a pool of histograms.
 */
export class TreeWorkspace {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Kernels;
  readonly binnedRows: Uint8Array;
  readonly idx: Uint32Array;
  readonly gradients: Float32Array[];
  readonly hessians: Float32Array[];
  readonly binnedRowsPtr: number;
  readonly idxPtr: number;
  readonly gradientPtrs: number[];
  readonly hessianPtrs: number[];
  private readonly binnedColsPtr: number;
  private readonly scratchPtr: number;
  private readonly setPtr: number;
  private readonly columnPtr: number;
  private readonly thresholdsPtr: number;
  private readonly free: Histogram[] = [];

  constructor(
    readonly rows: number,
    readonly features: number,
    outputs: number,
    histograms: number,
  ) {
    const regions: number[] = [];
    let end = 64; // Pointer 0 means "none" to the kernels: nothing lives there.
    const region = (bytes: number) => {
      const at = end;
      end += Math.ceil(bytes / 8) * 8;
      regions.push(at);
      return at;
    };
    this.binnedRowsPtr = region(rows * features);
    this.binnedColsPtr = region(rows * features);
    this.idxPtr = region(rows * 4);
    this.scratchPtr = region(rows * 4);
    this.gradientPtrs = Array.from({ length: outputs }, () => region(rows * 4));
    this.hessianPtrs = Array.from({ length: outputs }, () => region(rows * 4));
    this.setPtr = region(32);
    this.columnPtr = region(rows * 8);
    this.thresholdsPtr = region(256 * 8);
    const histPtrs = Array.from({ length: histograms }, () => region(features * HIST_BYTES_PER_FEATURE));
    const pages = Math.ceil(end / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.kernels = instantiateKernels(this.memory);
    const buffer = this.memory.buffer;
    this.binnedRows = new Uint8Array(buffer, this.binnedRowsPtr, rows * features);
    this.idx = new Uint32Array(buffer, this.idxPtr, rows);
    this.gradients = this.gradientPtrs.map((p) => new Float32Array(buffer, p, rows));
    this.hessians = this.hessianPtrs.map((p) => new Float32Array(buffer, p, rows));
    for (const ptr of histPtrs.reverse()) {
      this.free.push({ ptr, values: new Float64Array(buffer, ptr, features * BINS * STRIDE) });
    }
  }

  /** Bins `x` into both layouts: numeric features by the mapper's thresholds, categorical ones by code. */
  bin(mapper: BinMapper, x: FeatureMatrix): void {
    const { rows, features } = this;
    const buffer = this.memory.buffer;
    const column = new Float64Array(buffer, this.columnPtr, rows);
    const cols = new Uint8Array(buffer, this.binnedColsPtr, rows * features);
    for (let j = 0; j < features; j++) {
      const thresholds = mapper.thresholds[j];
      if (thresholds) {
        column.set(x.values.subarray(j * rows, (j + 1) * rows));
        new Float64Array(buffer, this.thresholdsPtr, thresholds.length).set(thresholds);
        this.kernels.bin_numeric(
          this.columnPtr,
          rows,
          this.thresholdsPtr,
          thresholds.length,
          this.binnedRowsPtr + j,
          features,
          this.binnedColsPtr + j * rows,
        );
        continue;
      }
      const limit = mapper.binCount[j] as number;
      const offset = j * rows;
      for (let i = 0; i < rows; i++) {
        const v = x.values[offset + i] as number;
        const b = v >= 0 && v < limit ? v : MISSING_BIN;
        this.binnedRows[i * features + j] = b;
        cols[offset + i] = b;
      }
    }
  }

  take(): Histogram {
    const hist = this.free.pop();
    if (!hist) throw new Error('tree workspace: out of histograms');
    return hist;
  }

  give(hist: Histogram | null): void {
    if (hist) this.free.push(hist);
  }

  /** The histogram of samples idx[start..end) for output k, features [f0, f1) (all by default). */
  histogram(
    hist: Histogram,
    start: number,
    end: number,
    k: number,
    constantHessian: boolean,
    f0 = 0,
    f1 = this.features,
  ): void {
    this.kernels.histogram(
      hist.ptr,
      this.binnedRowsPtr,
      this.features,
      f0,
      f1,
      this.idxPtr,
      start,
      end,
      this.gradientPtrs[k] as number,
      constantHessian ? 0 : (this.hessianPtrs[k] as number),
    );
  }

  /**
   * The sums of output k's gradients and hessians over idx[0..n), each half summed in order and the
   * halves added: the order in which scikit-learn's two-thread reduction adds them, so the root's sums
   * (and the trees) come out bit for bit the same. Constant hessians sum to n.
   */
  sums(n: number, k: number, constantHessian: boolean): { g: number; h: number } {
    const half = (n + 1) >>> 1;
    const { idx } = this;
    const g = this.gradients[k] as Float32Array;
    const h = this.hessians[k] as Float32Array;
    let g0 = 0;
    let g1 = 0;
    let h0 = 0;
    let h1 = 0;
    for (let p = 0; p < half; p++) {
      const i = idx[p] as number;
      g0 += g[i] as number;
      h0 += h[i] as number;
    }
    for (let p = half; p < n; p++) {
      const i = idx[p] as number;
      g1 += g[i] as number;
      h1 += h[i] as number;
    }
    return { g: g0 + g1, h: constantHessian ? n : h0 + h1 };
  }

  /** Reorders idx[start..end) by the split (left first); returns where the right side starts. */
  partition(split: Split, start: number, end: number): number {
    let set = 0;
    if (split.leftSet) {
      new Uint32Array(this.memory.buffer, this.setPtr, 8).set(split.leftSet);
      set = this.setPtr;
    }
    return this.kernels.partition(
      this.binnedColsPtr + split.feature * this.rows,
      this.idxPtr,
      start,
      end,
      split.bin,
      split.missingLeft ? 1 : 0,
      set,
      this.scratchPtr,
    );
  }
}
