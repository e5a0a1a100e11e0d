/**
 * The control block shared by a tree fit and its helper thread (tree-helper.ts), Int32 slots. The fit
 * writes an operation and its arguments, bumps SEQ and notifies; the helper does its part and stores
 * SEQ into DONE (and into FAILED if it threw). SEQ = STOP ends the helper.
 */
export const SEQ = 0;
export const DONE = 1;
export const FAILED = 2;
export const OP = 3;
/** What the operation returns (a partition: where the right side starts). */
export const RESULT = 4;
export const ARGS = 5;
export const CONTROL_SLOTS = 16;
export const STOP = -1;

export enum Op {
  /** histogram_cols kernel: hist, f0, f1, idx (0: rows in order), start, end, gradients, hessians. */
  Histogram = 1,
  /** partition kernel: col, idx, start, end, bin, missing left, bitset, scratch. */
  Partition = 2,
  /** The loss gradients of rows [from, to). */
  Gradients = 3,
}

/** Spins of a waiting thread before it sleeps: two halves of one job end microseconds apart. */
export const SPINS = 20_000;

/** What the helper is given once: the fit's memory and where things are in it. */
export interface HelperInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  cols: number;
  rows: number;
  task: 'regression' | 'binary' | 'multiclass';
  outputs: number;
  y: number;
  raw: number;
  /** Output k's gradients are at gradients + k * stride (bytes), its hessians at hessians + k * stride. */
  gradients: number;
  hessians: number;
  stride: number;
}
