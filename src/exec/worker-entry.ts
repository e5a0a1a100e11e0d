import { parentPort } from 'node:worker_threads';
import { serializeError, type TaskRequest, type TaskResponse } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('worker-entry runs inside a worker thread of the executor pool');

port.on('message', (req: TaskRequest) => {
  void run(req).then(send);
});

async function run(req: TaskRequest): Promise<TaskResponse> {
  let mod: Record<string, unknown>;
  try {
    // Imports are cached per worker, so a module's setup (loading a model, say) is paid once per thread.
    mod = (await import(req.moduleUrl)) as Record<string, unknown>;
  } catch (err) {
    return { id: req.id, ok: false, kind: 'load', error: serializeError(err) };
  }
  const fn = mod[req.exportName];
  if (typeof fn !== 'function') {
    const error = { name: 'TypeError', message: `'${req.exportName}' is ${typeof fn}, not a function` };
    return { id: req.id, ok: false, kind: 'export', error };
  }
  try {
    return { id: req.id, ok: true, value: await fn(req.input) };
  } catch (err) {
    return { id: req.id, ok: false, kind: 'task', error: serializeError(err) };
  }
}

function send(res: TaskResponse): void {
  try {
    port!.postMessage(res);
  } catch (err) {
    port!.postMessage({ id: res.id, ok: false, kind: 'output', error: serializeError(err) });
  }
}
