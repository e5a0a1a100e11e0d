import type { FeatureMatrix } from '../../model.entity.js';
import { type BinMapper, MISSING_BIN } from './bins.js';
import type { HelperInit } from './helper-protocol.js';
import { BINS, STRIDE } from './histogram.js';
import type { Split } from './split.js';
import { WASM_BASE64 } from './wasm/kernels.wasm.js';

/** The exports of kernels.wat. Pointers are byte offsets into the workspace's memory. */
export interface Kernels {
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
  bin_numeric(values: number, rows: number, t: number, n: number, out: number): void;
  gather(idx: number, start: number, end: number, g: number, h: number, og: number, oh: number): void;
  predict(
    nodes: number,
    roots: number,
    depths: number,
    trees: number,
    outputs: number,
    bitsets: number,
    x: number,
    rows: number,
    features: number,
    raw: number,
    cur: number,
  ): void;
  histogram_cols(
    hist: number,
    cols: number,
    rows: number,
    f0: number,
    f1: number,
    idx: number,
    start: number,
    end: number,
    og: number,
    oh: number,
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
 * grows, so the typed-array views stay valid) and shared, so a helper thread can work on it too: the
 * binned features (a column per feature: a node's samples are looked up one feature at a time, in a
 * column small enough to stay in cache), the sample index and its scratch, gradients and hessians per
 * output, the target and raw predictions, and a pool of histograms.
 */
export class TreeWorkspace {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Kernels;
  /** The binned features, one u8 column of `rows` bins per feature. */
  readonly binnedCols: Uint8Array;
  readonly idx: Uint32Array;
  readonly gradients: Float32Array[];
  readonly hessians: Float32Array[];
  /** The target and the raw predictions (`outputs` per row), where the helper can compute gradients too. */
  readonly y: Float64Array;
  readonly raw: Float64Array;
  readonly idxPtr: number;
  readonly gradientPtrs: number[];
  readonly hessianPtrs: number[];
  readonly binnedColsPtr: number;
  /** A node's gradients and hessians in sample order (gather), read by both threads. */
  readonly orderedGPtr: number;
  readonly orderedHPtr: number;
  private readonly scratchPtr: number;
  private readonly yPtr: number;
  private readonly rawPtr: number;
  private readonly setPtr: number;
  private readonly columnPtr: number;
  private readonly thresholdsPtr: number;
  private readonly free: Histogram[] = [];
  /** idx is 0, 1, 2...: a histogram reads rows and gradients in place, without idx or gather. */
  private identity = false;

  constructor(
    readonly rows: number,
    readonly features: number,
    readonly outputs: number,
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
    this.binnedColsPtr = region(rows * features);
    this.idxPtr = region(rows * 4);
    this.scratchPtr = region(rows * 4);
    this.orderedGPtr = region(rows * 4);
    this.orderedHPtr = region(rows * 4);
    this.gradientPtrs = Array.from({ length: outputs }, () => region(rows * 4));
    this.hessianPtrs = Array.from({ length: outputs }, () => region(rows * 4));
    this.yPtr = region(rows * 8);
    this.rawPtr = region(rows * outputs * 8);
    this.setPtr = region(32);
    this.columnPtr = region(rows * 8);
    this.thresholdsPtr = region(256 * 8);
    const histPtrs = Array.from({ length: histograms }, () => region(features * HIST_BYTES_PER_FEATURE));
    const pages = Math.ceil(end / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.kernels = instantiateKernels(this.memory);
    const buffer = this.memory.buffer;
    this.binnedCols = new Uint8Array(buffer, this.binnedColsPtr, rows * features);
    this.idx = new Uint32Array(buffer, this.idxPtr, rows);
    this.gradients = this.gradientPtrs.map((p) => new Float32Array(buffer, p, rows));
    this.hessians = this.hessianPtrs.map((p) => new Float32Array(buffer, p, rows));
    this.y = new Float64Array(buffer, this.yPtr, rows);
    this.raw = new Float64Array(buffer, this.rawPtr, rows * outputs);
    for (const ptr of histPtrs.reverse()) {
      this.free.push({ ptr, values: new Float64Array(buffer, ptr, features * BINS * STRIDE) });
    }
  }

  /** Bins `x` into binnedCols: numeric features by the mapper's thresholds, categorical ones by code. */
  bin(mapper: BinMapper, x: FeatureMatrix): void {
    const { rows, features } = this;
    const buffer = this.memory.buffer;
    const column = new Float64Array(buffer, this.columnPtr, rows);
    const cols = this.binnedCols;
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
          this.binnedColsPtr + j * rows,
        );
        continue;
      }
      const limit = mapper.binCount[j] as number;
      const offset = j * rows;
      for (let i = 0; i < rows; i++) {
        const v = x.values[offset + i] as number;
        cols[offset + i] = v >= 0 && v < limit ? v : MISSING_BIN;
      }
    }
  }

  /** Puts every row in idx, in order (a tree on all rows). */
  useAllRows(): number {
    for (let i = 0; i < this.rows; i++) this.idx[i] = i;
    this.identity = true;
    return this.rows;
  }

  /** Puts the rows of `sample` (increasing) in idx (a tree on a subsample). */
  useRows(sample: Uint32Array): number {
    this.idx.set(sample);
    this.identity = false;
    return sample.length;
  }

  take(): Histogram {
    const hist = this.free.pop();
    if (!hist) throw new Error('tree workspace: out of histograms');
    return hist;
  }

  give(hist: Histogram | null): void {
    if (hist) this.free.push(hist);
  }

  /** Copies output k's gradients (and hessians) of samples idx[start..end) into sample order. */
  gather(start: number, end: number, k: number, constantHessian: boolean): void {
    this.kernels.gather(
      this.idxPtr,
      start,
      end,
      this.gradientPtrs[k] as number,
      constantHessian ? 0 : (this.hessianPtrs[k] as number),
      this.orderedGPtr,
      this.orderedHPtr,
    );
  }

  /**
   * The histogram of samples idx[start..end) for output k, features [f0, f1) (all by default). Gathers
   * the gradients first unless idx is still in row order; `gathered` says they already are.
   */
  histogram(
    hist: Histogram,
    start: number,
    end: number,
    k: number,
    constantHessian: boolean,
    f0 = 0,
    f1 = this.features,
    gathered = false,
  ): void {
    const g = this.gradientPtrs[k] as number;
    const h = constantHessian ? 0 : (this.hessianPtrs[k] as number);
    if (this.identity) {
      this.kernels.histogram_cols(hist.ptr, this.binnedColsPtr, this.rows, f0, f1, 0, start, end, g, h);
      return;
    }
    if (!gathered) this.gather(start, end, k, constantHessian);
    this.kernels.histogram_cols(
      hist.ptr,
      this.binnedColsPtr,
      this.rows,
      f0,
      f1,
      this.idxPtr,
      start,
      end,
      this.orderedGPtr,
      constantHessian ? 0 : this.orderedHPtr,
    );
  }

  /** Whether `histogram` needs the gradients gathered (idx is not in row order). */
  get needsGather(): boolean {
    return !this.identity;
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
    return this.kernels.partition(
      ...(this.partitionArgs(split, start, end, 0) as Parameters<Kernels['partition']>),
    );
  }

  /**
   * The partition kernel's arguments for idx[start..end), its right side parked in the scratch from
   * `scratchAt` (two threads partitioning two halves of a node each need their own).
   */
  partitionArgs(split: Split, start: number, end: number, scratchAt: number): number[] {
    this.identity = false;
    let set = 0;
    if (split.leftSet) {
      new Uint32Array(this.memory.buffer, this.setPtr, 8).set(split.leftSet);
      set = this.setPtr;
    }
    return [
      this.binnedColsPtr + split.feature * this.rows,
      this.idxPtr,
      start,
      end,
      split.bin,
      split.missingLeft ? 1 : 0,
      set,
      this.scratchPtr + scratchAt * 4,
    ];
  }

  /**
   * After two halves of a node were partitioned in place, [left A | right A | left B | right B] with
   * left A ending at `leftEnd`, B starting at `mid` and right B at `rightStart`: moves left B before right
   * A, keeping each side in sample order. Returns where the right side now starts.
   */
  joinPartitions(leftEnd: number, mid: number, rightStart: number): number {
    const { idx } = this;
    const scratch = new Uint32Array(this.memory.buffer, this.scratchPtr, mid - leftEnd);
    scratch.set(idx.subarray(leftEnd, mid));
    idx.copyWithin(leftEnd, mid, rightStart);
    const split = leftEnd + (rightStart - mid);
    idx.set(scratch, split);
    return split;
  }

  /** What the helper thread needs to know of this workspace. */
  helperInit(task: HelperInit['task']): Omit<HelperInit, 'control'> {
    return {
      memory: this.memory,
      cols: this.binnedColsPtr,
      rows: this.rows,
      task,
      outputs: this.outputs,
      y: this.yPtr,
      raw: this.rawPtr,
      gradients: this.gradientPtrs[0] as number,
      hessians: this.hessianPtrs[0] as number,
      stride: Math.ceil((this.rows * 4) / 8) * 8,
    };
  }
}
