import type { Worker } from 'node:worker_threads';
import { CyclopsError } from '../../../core/index.js';
import { spawnWorker } from '../../../exec/index.js';

/** Slots of the control block: SEQ, DONE, model id, the 11 predict kernel arguments, FAILED. */
const SEQ = 0;
const DONE = 1;
const ARGS = 2;
const FAILED = 14;
const HELPER_TIMEOUT_MS = 60_000;

/**
 * One helper thread per process (per thread that predicts) for batch prediction: a model registers its
 * WebAssembly memory once (a message, acknowledged through shared memory), then each large block of
 * rows is split between this thread and the helper, handed off through Atomics as the histogram helper
 * of training does. Idle, the helper sleeps and does not keep the process alive.
 */
class PredictThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(16 * 4));
  private readonly worker: Worker;
  private nextId = 1;
  private seq = 0;
  usable = true;

  constructor() {
    this.worker = spawnWorker(new URL('./predict-worker.js', import.meta.url), import.meta.url);
    this.worker.unref();
    this.worker.on('error', () => {
      this.usable = false;
    });
    this.worker.postMessage({ init: this.control.buffer });
  }

  /** Makes a model's memory known to the helper; null when the helper does not answer. */
  register(memory: WebAssembly.Memory): number | null {
    const id = this.nextId++;
    const ack = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ register: id, memory, control: ack.buffer });
    if (Atomics.wait(ack, 0, 0, 5_000) === 'timed-out' && Atomics.load(ack, 0) !== id) {
      this.usable = false;
      return null;
    }
    return id;
  }

  unregister(id: number): void {
    if (this.usable) this.worker.postMessage({ unregister: id });
  }

  /** Starts the predict kernel on the helper with these arguments; `finish` waits for it. */
  start(model: number, args: number[]): void {
    const seq = ++this.seq;
    this.control.set([model, ...args], ARGS);
    Atomics.store(this.control, SEQ, seq);
    Atomics.notify(this.control, SEQ);
  }

  finish(): void {
    const seq = this.seq;
    if (Atomics.wait(this.control, DONE, seq - 1, HELPER_TIMEOUT_MS) === 'timed-out') {
      this.usable = false;
      throw new CyclopsError('internal', 'prediction: the helper thread stopped responding');
    }
    if (Atomics.load(this.control, FAILED) === seq) {
      throw new CyclopsError('internal', 'prediction: the predict kernel failed on the helper thread');
    }
  }
}

let thread: PredictThread | null | undefined;

/** The process's (this thread's) prediction helper, started on first use; null if it cannot start. */
export function predictThread(): PredictThread | null {
  if (thread === undefined) {
    try {
      thread = new PredictThread();
    } catch {
      thread = null;
    }
  }
  return thread?.usable ? thread : null;
}

export type { PredictThread };
