/**
 * The control block shared by a tree fit and its helper thread: Int32 slots. The fit writes the
 * arguments, bumps SEQ and notifies; the helper runs the histogram kernel and stores SEQ into DONE.
 * SEQ = STOP ends the helper.
 */
export type Control = Int32Array;
export const SEQ = 0;
export const DONE = 1;
/** Set to SEQ when the kernel failed on the helper. */
export const FAILED = 2;
/** hist pointer, f0, f1, start, end, gradients pointer, hessians pointer (0: constant). */
export const ARGS = 3;
export const CONTROL_SLOTS = 10;
export const STOP = -1;

export interface HelperInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  binned: number;
  idx: number;
  features: number;
}
