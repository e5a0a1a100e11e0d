// The helper thread of a tree fit (tree-helper.ts): does its share of histograms, partitions and
// gradients on the fit's shared WebAssembly memory, woken and answered through Atomics.
import { parentPort } from 'node:worker_threads';
import { ARGS, DONE, FAILED, type HelperInit, OP, Op, RESULT, SEQ, SPINS, STOP } from './helper-protocol.js';
import { lossFor } from './losses.js';
import { instantiateKernels } from './workspace.js';

const port = parentPort;
if (port === null) throw new Error('tree-helper-worker runs inside a worker thread');

port.once('message', (init: HelperInit) => {
  const kernels = instantiateKernels(init.memory);
  const control = new Int32Array(init.control);
  const buffer = init.memory.buffer;
  const K = init.outputs;
  const loss = lossFor(init.task, K);
  const y = new Float64Array(buffer, init.y, init.rows);
  const raw = new Float64Array(buffer, init.raw, init.rows * K);
  const gradients = Array.from(
    { length: K },
    (_, k) => new Float32Array(buffer, init.gradients + k * init.stride, init.rows),
  );
  const hessians = Array.from(
    { length: K },
    (_, k) => new Float32Array(buffer, init.hessians + k * init.stride, init.rows),
  );
  const a = (i: number) => control[ARGS + i] as number;
  let seen = 0;
  for (;;) {
    // The next job usually follows within microseconds: spin a little before sleeping.
    for (let spin = 0; spin < SPINS && Atomics.load(control, SEQ) === seen; spin++);
    Atomics.wait(control, SEQ, seen);
    const seq = Atomics.load(control, SEQ);
    if (seq === STOP) break;
    seen = seq;
    try {
      switch (control[OP]) {
        case Op.Histogram:
          kernels.histogram_cols(a(0), init.cols, init.rows, a(1), a(2), a(3), a(4), a(5), a(6), a(7));
          break;
        case Op.Partition:
          control[RESULT] = kernels.partition(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7));
          break;
        case Op.Gradients:
          loss.gradients(y, raw, gradients, hessians, a(0), a(1));
          break;
        default:
          throw new Error(`unknown operation ${control[OP]}`);
      }
    } catch {
      // The fit is waiting for DONE: tell it, rather than leave it waiting.
      Atomics.store(control, FAILED, seq);
    }
    Atomics.store(control, DONE, seq);
    Atomics.notify(control, DONE);
  }
  port.close();
});
