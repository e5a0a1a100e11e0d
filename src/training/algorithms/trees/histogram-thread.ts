import type { Worker } from 'node:worker_threads';
import { CyclopsError } from '../../../core/index.js';
import { spawnWorker } from '../../../exec/index.js';
import { ARGS, CONTROL_SLOTS, DONE, FAILED, SEQ, STOP } from './histogram-protocol.js';
import type { Histogram, TreeWorkspace } from './workspace.js';

/**
 * How long the fit waits for the helper's half of one histogram before it gives up: far more than any
 * real histogram takes (a billion visits is about a second), and the fit is blocked until then.
 */
const HELPER_TIMEOUT_MS = 120_000;

/** Below this many (sample, feature) visits a histogram is built on one thread: waking the helper costs more. */
const PARALLEL_MIN_VISITS = 200_000;

/**
 * A second thread that builds half of each large histogram (half of the features) on the workspace's
 * shared memory: histograms are most of a boosting round's work, and CyclOps' floor is 2 cores.
 * The hand-off goes through Atomics on a shared control block (a few microseconds), not messages:
 * a tree of 31 leaves needs some 30 histograms, and a fit thousands.
 */
export class HistogramThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private readonly worker: Worker;
  private seq = 0;

  constructor(private readonly space: TreeWorkspace) {
    this.worker = spawnWorker(new URL('./histogram-worker.js', import.meta.url), import.meta.url);
    this.worker.unref();
    this.worker.postMessage({
      memory: space.memory,
      control: this.control.buffer,
      binned: space.binnedRowsPtr,
      idx: space.idxPtr,
      features: space.features,
    });
  }

  /** The histogram of idx[start..end) for output k, the features split between both threads. */
  histogram(hist: Histogram, start: number, end: number, k: number, constantHessian: boolean): void {
    const { space, control } = this;
    const features = space.features;
    if ((end - start) * features < PARALLEL_MIN_VISITS || features < 2) {
      space.histogram(hist, start, end, k, constantHessian);
      return;
    }
    const half = features >>> 1;
    const seq = ++this.seq;
    control.set(
      [
        hist.ptr,
        half,
        features,
        start,
        end,
        space.gradientPtrs[k] as number,
        constantHessian ? 0 : (space.hessianPtrs[k] as number),
      ],
      ARGS,
    );
    Atomics.store(control, SEQ, seq);
    Atomics.notify(control, SEQ);
    space.histogram(hist, start, end, k, constantHessian, 0, half);
    if (Atomics.wait(control, DONE, seq - 1, HELPER_TIMEOUT_MS) === 'timed-out') {
      throw new CyclopsError('internal', 'training: the histogram helper thread stopped responding');
    }
    if (Atomics.load(control, FAILED) === seq) {
      throw new CyclopsError('internal', 'training: the histogram kernel failed on the helper thread');
    }
  }

  /** Stops the helper (it exits once it sees STOP). */
  close(): void {
    Atomics.store(this.control, SEQ, STOP);
    Atomics.notify(this.control, SEQ);
    void this.worker.terminate();
  }
}
