// The helper thread of a tree fit (histogram-thread.ts): builds its share of each histogram on the fit's
// shared WebAssembly memory, woken and answered through Atomics on a shared control block.
import { parentPort } from 'node:worker_threads';
import { ARGS, type Control, DONE, FAILED, type HelperInit, SEQ, STOP } from './histogram-protocol.js';
import { instantiateKernels } from './workspace.js';

const port = parentPort;
if (port === null) throw new Error('histogram-worker runs inside a worker thread');

port.once('message', (init: HelperInit) => {
  const kernels = instantiateKernels(init.memory);
  const control: Control = new Int32Array(init.control);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, SEQ, seen);
    const seq = Atomics.load(control, SEQ);
    if (seq === STOP) break;
    seen = seq;
    const a = ARGS;
    try {
      kernels.histogram(
        control[a] as number,
        init.binned,
        init.features,
        control[a + 1] as number,
        control[a + 2] as number,
        init.idx,
        control[a + 3] as number,
        control[a + 4] as number,
        control[a + 5] as number,
        control[a + 6] as number,
      );
    } catch {
      // The fit is blocked waiting for DONE: tell it, rather than leave it waiting.
      Atomics.store(control, FAILED, seq);
    }
    Atomics.store(control, DONE, seq);
    Atomics.notify(control, DONE);
  }
  port.close();
});
