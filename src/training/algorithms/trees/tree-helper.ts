import type { Worker } from 'node:worker_threads';
import { CyclopsError } from '../../../core/index.js';
import { spawnWorker } from '../../../exec/index.js';
import { ARGS, CONTROL_SLOTS, DONE, FAILED, OP, Op, RESULT, SEQ, SPINS, STOP } from './helper-protocol.js';
import type { Split } from './split.js';
import type { Histogram, TreeWorkspace } from './workspace.js';

/**
 * How long the fit waits for the helper's part of one job before it gives up: far more than any real
 * job takes (a billion histogram visits is about a second), and the fit is blocked until then.
 */
const HELPER_TIMEOUT_MS = 120_000;
/** Below this many (sample, feature) visits a histogram is built on one thread: a hand-off costs more. */
const PARALLEL_MIN_VISITS = 20_000;
/** Below this many samples a partition or a gradient pass stays on one thread. */
const PARALLEL_MIN_ROWS = 20_000;

/**
 * A second thread that does half of a tree fit's heavy work on the workspace's shared memory: half
 * the features of each histogram, half the samples of each partition, half the rows of each gradient
 * pass. CyclOps' floor is 2 cores. The hand-off goes through Atomics on a shared control block, with a
 * short spin before sleeping on either side (a few microseconds), not messages: a tree of 31 leaves
 * needs some 30 histograms and 30 partitions, a fit thousands. Results are the same as on one thread:
 * each part does exactly what the single thread would do with it.
 */
export class TreeHelper {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private readonly worker: Worker;
  private seq = 0;

  constructor(
    private readonly space: TreeWorkspace,
    task: 'regression' | 'binary' | 'multiclass',
  ) {
    this.worker = spawnWorker(new URL('./tree-helper-worker.js', import.meta.url), import.meta.url);
    this.worker.unref();
    this.worker.postMessage({ ...space.helperInit(task), control: this.control.buffer });
  }

  /** The histogram of idx[start..end) for output k, the features split between both threads. */
  histogram(hist: Histogram, start: number, end: number, k: number, constantHessian: boolean): void {
    const { space } = this;
    const features = space.features;
    if ((end - start) * features < PARALLEL_MIN_VISITS || features < 2) {
      space.histogram(hist, start, end, k, constantHessian);
      return;
    }
    const half = features >>> 1;
    // Both threads read the gradients in sample order: gathered once, here, first.
    const gather = space.needsGather;
    if (gather) space.gather(start, end, k, constantHessian);
    const g = gather ? space.orderedGPtr : (space.gradientPtrs[k] as number);
    const h = constantHessian ? 0 : gather ? space.orderedHPtr : (space.hessianPtrs[k] as number);
    this.start(Op.Histogram, [hist.ptr, half, features, gather ? space.idxPtr : 0, start, end, g, h]);
    space.histogram(hist, start, end, k, constantHessian, 0, half, true);
    this.finish();
  }

  /**
   * Partitions idx[start..end) by the split: each thread its half of the range (in place, left then
   * right), then the helper's left part is moved before this thread's right part. Returns where the
   * right side starts.
   */
  partition(split: Split, start: number, end: number): number {
    const { space } = this;
    if (end - start < PARALLEL_MIN_ROWS) return space.partition(split, start, end);
    const mid = (start + end) >>> 1;
    this.start(Op.Partition, space.partitionArgs(split, mid, end, mid - start));
    const leftEnd = space.partition(split, start, mid);
    this.finish();
    const rightStart = this.control[RESULT] as number;
    return space.joinPartitions(leftEnd, mid, rightStart);
  }

  /** Output gradients of every row at the current raw predictions, half the rows each. */
  gradients(compute: (from: number, to: number) => void): void {
    const rows = this.space.rows;
    if (rows < PARALLEL_MIN_ROWS) {
      compute(0, rows);
      return;
    }
    const half = rows >>> 1;
    this.start(Op.Gradients, [half, rows]);
    compute(0, half);
    this.finish();
  }

  /** Stops the helper (it exits once it sees STOP). */
  close(): void {
    Atomics.store(this.control, SEQ, STOP);
    Atomics.notify(this.control, SEQ);
    void this.worker.terminate();
  }

  private start(op: Op, args: number[]): void {
    const { control } = this;
    const seq = ++this.seq;
    control[OP] = op;
    control.set(args, ARGS);
    Atomics.store(control, SEQ, seq);
    Atomics.notify(control, SEQ);
  }

  /** Waits for the helper's part: spinning first (waking a sleeping thread costs tens of microseconds). */
  private finish(): void {
    const { control, seq } = this;
    for (let spin = 0; spin < SPINS; spin++) if (Atomics.load(control, DONE) === seq) break;
    while (Atomics.load(control, DONE) !== seq) {
      if (Atomics.wait(control, DONE, seq - 1, HELPER_TIMEOUT_MS) === 'timed-out') {
        throw new CyclopsError('internal', 'training: the helper thread stopped responding');
      }
    }
    if (Atomics.load(control, FAILED) === seq) {
      throw new CyclopsError('internal', 'training: a kernel failed on the helper thread');
    }
  }
}
