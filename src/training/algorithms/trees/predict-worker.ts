// The helper thread of batch prediction (predict-thread.ts): runs the predict kernel on half of each
// block of rows, on the shared memory of the model it is told about.
import { parentPort } from 'node:worker_threads';
import { instantiateKernels, type Kernels } from './workspace.js';

const port = parentPort;
if (port === null) throw new Error('predict-worker runs inside a worker thread');

type Message =
  | { register: number; memory: WebAssembly.Memory; control: SharedArrayBuffer }
  | { unregister: number }
  | { init: SharedArrayBuffer };

const models = new Map<number, Kernels>();
let control: Int32Array | null = null;

port.on('message', (m: Message) => {
  if ('init' in m) {
    control = new Int32Array(m.init);
    return;
  }
  if ('unregister' in m) {
    models.delete(m.unregister);
    return;
  }
  models.set(m.register, instantiateKernels(m.memory));
  // The model's first batch may be waiting for this (Atomics.wait on the ack slot).
  const c = new Int32Array(m.control);
  Atomics.store(c, 0, m.register);
  Atomics.notify(c, 0);
});

/**
 * The work loop runs between messages: a command is [seq, model, kernel arguments...]; the answer is
 * seq in DONE (or in FAILED too). It waits with a timeout so that registrations (messages) get handled.
 */
function serve(): void {
  if (control === null) {
    setTimeout(serve, 1);
    return;
  }
  const c = control;
  // Not SEQ's value now: the first job may already be posted by the time this runs.
  let seen = 0;
  const loop = () => {
    for (;;) {
      if (Atomics.wait(c, 0, seen, 20) === 'timed-out') {
        setImmediate(loop);
        return;
      }
      const seq = Atomics.load(c, 0);
      if (seq < 0) return;
      seen = seq;
      const kernels = models.get(c[2] as number);
      try {
        if (!kernels) throw new Error('unknown model');
        kernels.predict(
          c[3] as number,
          c[4] as number,
          c[5] as number,
          c[6] as number,
          c[7] as number,
          c[8] as number,
          c[9] as number,
          c[10] as number,
          c[11] as number,
          c[12] as number,
          c[13] as number,
        );
      } catch {
        Atomics.store(c, 14, seq);
      }
      Atomics.store(c, 1, seq);
      Atomics.notify(c, 1);
    }
  };
  loop();
}
serve();
