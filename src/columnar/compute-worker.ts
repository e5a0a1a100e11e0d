import { parentPort } from 'node:worker_threads';
import { type ComputeTask, runTask, ScanJob, type ScanJobSpec, warmUp } from './compute-tasks.js';

// The entry of the compute thread (compute-threads.ts). Messages are handled in order: a task, or a
// scan job's start, progress (rows arrived) and finish.
export type WorkerMessage =
  | { id: number; task: ComputeTask }
  | { job: number; start: ScanJobSpec }
  | { job: number; upTo: number }
  | { id: number; job: number; finish: { rows: number } };

const port = parentPort;
if (port === null) throw new Error('compute-worker runs inside a worker thread');
const jobs = new Map<number, ScanJob>();
warmUp();

port.on('message', (m: WorkerMessage) => {
  const id = 'id' in m ? m.id : 0;
  try {
    if ('task' in m) port.postMessage({ id, result: runTask(m.task) });
    else if ('start' in m) jobs.set(m.job, new ScanJob(m.start));
    else if ('upTo' in m) jobs.get(m.job)?.advance(m.upTo);
    else {
      const job = jobs.get(m.job);
      jobs.delete(m.job);
      if (!job) throw new Error(`no scan job ${m.job}`);
      port.postMessage({ id, result: job.finish(m.finish.rows) });
    }
  } catch (err) {
    if ('job' in m && !('id' in m)) jobs.delete(m.job);
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ id, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
