import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../exec/index.js';
import {
  type ComputeResult,
  type ComputeTask,
  runTask,
  ScanJob,
  type ScanJobResult,
  type ScanJobSpec,
  warmUp,
} from './compute-tasks.js';
import type { WorkerMessage } from './compute-worker.js';

/** Below this many cells (rows × columns) a table's tasks all run on the calling thread. */
export const PARALLEL_MIN_CELLS = 1_000_000;

/**
 * Runs the tasks on this thread and on one worker thread at once, each taking the next task when it
 * is free: CyclOps' floor is 2 cores, and per-column hashing and profiling is most of an ingest's JS
 * work. The worker is started once per process (startComputeThread starts it ahead of need) and
 * holds no reference to the event loop while idle. If it cannot start or dies, the tasks run here.
 */
export async function runTasks(tasks: ComputeTask[], parallel: boolean): Promise<ComputeResult[]> {
  const results: ComputeResult[] = new Array(tasks.length);
  let next = 0;
  const worker = parallel ? computeThread() : null;
  // A second task in flight on the worker while there is work to spare, so it never waits for this
  // thread to hand it the next one.
  const onWorker = async (spare: number) => {
    while (worker?.usable && tasks.length - next > spare) {
      const i = next++;
      const task = tasks[i] as ComputeTask;
      try {
        results[i] = await worker.run(task);
      } catch (err) {
        if (!(err instanceof ThreadLost)) throw err;
        results[i] = runTask(task);
      }
    }
  };
  const here = async () => {
    // Let the worker take its first tasks before this thread is busy.
    await new Promise((resolve) => setImmediate(resolve));
    while (next < tasks.length) {
      const i = next++;
      results[i] = runTask(tasks[i] as ComputeTask);
      // Between tasks, hand the worker its next one.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all([onWorker(0), onWorker(2), here()]);
  return results;
}

export interface ScanJobHandle {
  /** Rows up to `upTo` have arrived. */
  advance(upTo: number): void;
  /** Every row has arrived: the columns' digests and the numeric columns' moments. */
  finish(rows: number): Promise<ScanJobResult>;
}

/**
 * Starts the work done while a table is read (ScanJob) on the compute thread when `parallel`, so it
 * overlaps the read itself; otherwise, or if the thread is lost, it runs here.
 */
export function startScanJob(spec: ScanJobSpec, parallel: boolean): ScanJobHandle {
  const worker = parallel ? computeThread() : null;
  if (!worker) {
    const job = new ScanJob(spec);
    return { advance: (upTo) => job.advance(upTo), finish: async (rows) => job.finish(rows) };
  }
  const id = worker.startJob(spec);
  return {
    advance: (upTo) => worker.post({ job: id, upTo }),
    finish: async (rows) => {
      try {
        return (await worker.request((rid) => ({
          id: rid,
          job: id,
          finish: { rows },
        }))) as ScanJobResult;
      } catch (err) {
        if (!(err instanceof ThreadLost)) throw err;
        // Everything the thread needed is in shared memory: do it all again here.
        return new ScanJob(spec).finish(rows);
      }
    },
  };
}

/**
 * Starts the compute thread now, so its start overlaps other work (reading a file, say), and warms
 * this thread's hot loops up in the next turn of the event loop.
 */
export function startComputeThread(): void {
  computeThread();
  setImmediate(warmUp);
}

class ThreadLost extends Error {}

class ComputeThread {
  usable = true;
  private readonly pending = new Map<
    number,
    { resolve: (r: ComputeResult | ScanJobResult) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;

  constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on(
      'message',
      (m: {
        id: number;
        result?: ComputeResult | ScanJobResult;
        error?: { message: string; stack?: string };
      }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) worker.unref();
        if (m.error) {
          const err = new Error(m.error.message);
          if (m.error.stack) err.stack = m.error.stack;
          p.reject(err);
        } else p.resolve(m.result as ComputeResult | ScanJobResult);
      },
    );
    const lost = (why: string) => {
      this.usable = false;
      if (thread === this) thread = null;
      for (const p of this.pending.values()) p.reject(new ThreadLost(why));
      this.pending.clear();
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`compute thread exited (${code})`));
  }

  async run(task: ComputeTask): Promise<ComputeResult> {
    return (await this.request((id) => ({ id, task }))) as ComputeResult;
  }

  startJob(spec: ScanJobSpec): number {
    const job = this.nextId++;
    this.post({ job, start: spec });
    return job;
  }

  post(message: WorkerMessage): void {
    if (this.usable) this.worker.postMessage(message);
  }

  /** Sends a message that the thread answers, and resolves to its answer. */
  request(message: (id: number) => WorkerMessage): Promise<ComputeResult | ScanJobResult> {
    if (!this.usable) return Promise.reject(new ThreadLost('compute thread is gone'));
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message(id));
    });
  }
}

let thread: ComputeThread | null | undefined;

function computeThread(): ComputeThread | null {
  if (thread !== undefined) return thread;
  try {
    thread = new ComputeThread(spawn());
  } catch {
    thread = null;
  }
  return thread;
}

function spawn(): Worker {
  return spawnWorker(new URL('./compute-worker.js', import.meta.url), import.meta.url);
}
